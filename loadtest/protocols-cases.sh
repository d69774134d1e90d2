#!/usr/bin/env bash
# Protocol behaviours side by side: nginx and adaptive-lb in front of the same real servers on loopback, the
# same clients (curl, ab, wget when installed, a small WebSocket client) against both, and a markdown table
# case | nginx | adaptive-lb | same?. Exit status: 0 when adaptive-lb shows every required behaviour (a
# skipped case does not count), 1 when it misses one, 2 when the set-up failed. nginx's column is there to
# compare with, not judged.
#
#   loadtest/protocols-cases.sh [--out DIR] [--port-offset N] [--jar PATH]
#
# --jar runs another build (default target/adaptive-lb.jar, built when missing), e.g. a branch's.
#
# Servers (lib/case_backends.py, and an nginx for the files): files with ranges, ETag and Last-Modified (nginx
# static), echo (request line, headers, body bytes and SHA-256; two Set-Cookie), server-sent events one second
# apart, a chunked body, a close-delimited body, a backend that answers one request per connection and closes
# the connection on the next, a backend killed (SIGKILL) mid-body, and a WebSocket echo. Front: nginx (plain
# HTTP/1.1, TLS with h2, a plain h2c-only port: nginx cannot serve h2c and HTTP/1.1 on one port) and two
# adaptive-lb JVMs (plain with h2c on the same port; TLS with h2), the same certificate (openssl, run folder),
# a route (pathPrefix) per server on both. Both proxies are configured as an operator would for this: nginx
# with HTTP/1.1 keep-alive upstream, Host and X-Forwarded-* passed, client_max_body_size 100m (adaptive-lb's
# maxBodyBytes default), the WebSocket location with Upgrade/Connection set; everything else stock (so
# proxy_buffering is on). The WebSocket case runs on adaptive-lb only when the jar accepts proxy.websocket.
#
# Ports (--port-offset N moves all): nginx 23080 (HTTP/1.1), 23443 (TLS), 23082 (h2c); adaptive-lb 23081
# (HTTP/1.1 + h2c), 23444 (TLS); servers 23101-23108. Every process it starts lives under the output folder
# (default loadtest/results/protocols-cases-<timestamp>/) and is stopped by its PID on exit. The table is
# printed and kept as cases.md, with what each client did and saw (details) below it.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

OUT=""
PORT_OFFSET=0
JAR_SRC=""
usage() {
  sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    --port-offset) PORT_OFFSET="${2:?--port-offset needs N}"; shift ;;
    --jar) JAR_SRC="${2:?--jar needs a path}"; shift ;;
    -h|--help) usage 0 ;;
    *) echo "protocols-cases.sh: unknown option $1" >&2; usage 2 ;;
  esac
  shift
done
[[ "$PORT_OFFSET" =~ ^[0-9]+$ ]] || { echo "protocols-cases.sh: not a whole number: $PORT_OFFSET" >&2; exit 2; }

port() { echo $(($1 + PORT_OFFSET)); }
NGINX_HTTP=$(port 23080); NGINX_TLS=$(port 23443); NGINX_H2C=$(port 23082)
LB_HTTP=$(port 23081); LB_TLS=$(port 23444)
FILES=$(port 23101); ECHO=$(port 23102); SSE=$(port 23103); CHUNKED=$(port 23104)
CLOSE=$(port 23105); ONESHOT=$(port 23106); DYING=$(port 23107); WS=$(port 23108)
[ "$WS" -le 65535 ] || { echo "protocols-cases.sh: --port-offset $PORT_OFFSET moves ports past 65535" >&2; exit 2; }

OUT=${OUT:-$ROOT/loadtest/results/protocols-cases-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
# shellcheck source=lib/certs.sh
. "$HERE/lib/certs.sh"
trap_stop_all
trap 'log "set-up failed at line $LINENO; see $OUT/run.log and the logs beside it"; exit 2' ERR

install_missing ab:apache2-utils openssl:openssl
copy_jar "$JAR_SRC"
make_certs "$OUT/tls"
wait_ports_free 30 "$NGINX_HTTP" "$NGINX_TLS" "$NGINX_H2C" "$LB_HTTP" "$LB_TLS" "$FILES" "$ECHO" "$SSE" \
  "$CHUNKED" "$CLOSE" "$ONESHOT" "$DYING" "$WS" || exit 2

# started NAME PORT PID LOG: waits (a minute at most: JVMs on a busy machine) for PORT, else the set-up failed.
started() {
  wait_listening "$2" "$3" "$4" "$1" 60 || exit 2
}

# ---------------------------------------------------------------- the servers
mkdir -p "$OUT/servers/www/files" "$OUT/servers/nginx-tmp"
head -c 1048576 /dev/urandom >"$OUT/servers/www/files/big.bin"
echo "hello from the files server" >"$OUT/servers/www/files/hello.txt"
python3 "$HERE/lib/case_backends.py" serve --echo "$ECHO" --sse "$SSE" --chunked "$CHUNKED" --close "$CLOSE" \
  --oneshot "$ONESHOT" --ws "$WS" >"$OUT/servers/backends.log" 2>&1 &
PIDS+=("$!")
started "test servers" "$ECHO" "$!" "$OUT/servers/backends.log"
for p in "$SSE" "$CHUNKED" "$CLOSE" "$ONESHOT" "$WS"; do started "test servers" "$p" "${PIDS[-1]}" "$OUT/servers/backends.log"; done
python3 "$HERE/lib/case_backends.py" dying --port "$DYING" >"$OUT/servers/dying.log" 2>&1 &
PIDS+=("$!")
started "dying server" "$DYING" "$!" "$OUT/servers/dying.log"

# nginx_head DIR: the lines every nginx here starts with (foreground, its files under DIR).
nginx_head() {
  local dir=$1 t
  echo "worker_processes 1;"
  echo "daemon off;"
  echo "pid $dir/nginx.pid;"
  echo "error_log $dir/error.log warn;"
  echo "events { worker_connections 1024; }"
  echo "http {"
  echo "  access_log $dir/access.log;"
  for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $dir/nginx-tmp/$t;"; done
}
{
  nginx_head "$OUT/servers"
  echo "  server {"
  echo "    listen 127.0.0.1:$FILES;"
  echo "    root $OUT/servers/www;"
  echo "  }"
  echo "}"
} >"$OUT/servers/nginx.conf"
nginx -e "$OUT/servers/error.log" -p "$OUT/servers/" -c "$OUT/servers/nginx.conf" >"$OUT/servers/nginx.log" 2>&1 &
PIDS+=("$!")
started "files nginx" "$FILES" "$!" "$OUT/servers/nginx.log"

# ---------------------------------------------------------------- nginx in front
ROUTES=("files:$FILES" "sse:$SSE" "chunked:$CHUNKED" "close:$CLOSE" "oneshot:$ONESHOT" "dying:$DYING" "ws:$WS" "echo:$ECHO")
N="$OUT/nginx"
mkdir -p "$N/nginx-tmp"
{
  nginx_head "$N"
  echo "  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }"
  for r in "${ROUTES[@]}"; do
    echo "  upstream ${r%%:*} { server 127.0.0.1:${r#*:}; keepalive 16; }"
  done
  for listen in "$NGINX_HTTP" "$NGINX_TLS ssl http2" "$NGINX_H2C http2"; do
    echo "  server {"
    echo "    listen 127.0.0.1:$listen;"
    if [[ "$listen" == *ssl* ]]; then
      echo "    ssl_certificate $OUT/tls/server.pem;"
      echo "    ssl_certificate_key $OUT/tls/server-key.pem;"
      echo "    ssl_protocols TLSv1.2 TLSv1.3;"
    fi
    echo "    client_max_body_size 100m;"
    echo "    proxy_http_version 1.1;"
    for r in "${ROUTES[@]}"; do
      echo "    location /${r%%:*}/ {"
      echo "      proxy_pass http://${r%%:*};"
      # a location's own proxy_set_header drops every inherited one: all of them here
      echo "      proxy_set_header Host \$http_host;"
      echo "      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
      echo "      proxy_set_header X-Forwarded-Proto \$scheme;"
      if [ "${r%%:*}" = ws ]; then
        echo "      proxy_set_header Upgrade \$http_upgrade;"
        echo "      proxy_set_header Connection \$connection_upgrade;"
      else
        echo "      proxy_set_header Connection \"\";"
      fi
      echo "    }"
    done
    echo "  }"
  done
  echo "}"
} >"$N/nginx.conf"
nginx -e "$N/error.log" -p "$N/" -c "$N/nginx.conf" >"$N/nginx.log" 2>&1 &
PIDS+=("$!")
started nginx "$NGINX_HTTP" "$!" "$N/nginx.log"
started nginx "$NGINX_TLS" "${PIDS[-1]}" "$N/nginx.log"

# ---------------------------------------------------------------- adaptive-lb in front
# lb_conf FILE PORT CSV TLS(yes/no) WEBSOCKET(yes/no/probe)
lb_conf() {
  python3 - "$@" "$OUT/tls" "${ROUTES[@]}" <<'EOF'
import json, sys
path, port, csv, tls, websocket, certs, *routes = sys.argv[1:]
groups, rules = {}, []
for r in routes:
    name, p = r.split(":")
    if name == "echo":
        continue
    groups[name] = {"backends": [{"name": name, "url": "http://127.0.0.1:%s" % p}]}
    rules.append({"pathPrefix": "/%s/" % name, "group": name})
groups["dying"]["health"] = {"passive": {"consecutiveFailures": 0}}  # the same crash three times: not a reason to eject
echo = [r for r in routes if r.startswith("echo:")][0].split(":")[1]
proxy = {"host": "127.0.0.1", "port": int(port), "instances": 1, "http2": True, "policy": {"type": "round-robin"},
         "backends": [{"name": "echo", "url": "http://127.0.0.1:%s" % echo}], "groups": groups, "routes": rules}
if tls == "yes":
    proxy["tls"] = {"cert": certs + "/server.pem", "key": certs + "/server-key.pem"}
if websocket in ("yes", "probe"):
    proxy["websocket"] = True
json.dump({"roles": ["proxy", "metrics"], "proxy": proxy, "metrics": {"csv": csv}}, open(path, "w"), indent=2)
EOF
}

L="$OUT/adaptive-lb"
mkdir -p "$L/http" "$L/tls"
lb_conf "$L/http/lab.json" "$LB_HTTP" "$L/http/proxy_log.csv" no no
java -jar "$JAR" --check -conf "$L/http/lab.json" >"$L/check.log" 2>&1 || { log "config refused: $(tail -2 "$L/check.log")"; exit 2; }
lb_conf "$L/probe.json" "$LB_HTTP" "" no probe
if java -jar "$JAR" --check -conf "$L/probe.json" >"$L/websocket-probe.log" 2>&1; then WEBSOCKET=yes; else WEBSOCKET=no; fi
log "this build's proxy.websocket: $([ "$WEBSOCKET" = yes ] && echo supported || echo "not supported ($(grep -m1 -i websocket "$L/websocket-probe.log" || tail -1 "$L/websocket-probe.log"))")"
lb_conf "$L/http/lab.json" "$LB_HTTP" "$L/http/proxy_log.csv" no "$WEBSOCKET"
lb_conf "$L/tls/lab.json" "$LB_TLS" "$L/tls/proxy_log.csv" yes "$WEBSOCKET"
for side in http tls; do
  java -Xms64m -Xmx256m -jar "$JAR" -conf "$L/$side/lab.json" >"$L/$side/lab.log" 2>&1 &
  PIDS+=("$!")
done
started "adaptive-lb (plain)" "$LB_HTTP" "${PIDS[-2]}" "$L/http/lab.log"
started "adaptive-lb (TLS)" "$LB_TLS" "${PIDS[-1]}" "$L/tls/lab.log"

# ---------------------------------------------------------------- the cases
python3 - "$OUT/targets.json" <<EOF
import json, sys
json.dump({
  "work": "$OUT/work", "ca": "$OUT/tls/ca.pem", "files": "$OUT/servers/www/files",
  "targets": {
    "nginx": {"http": "http://127.0.0.1:$NGINX_HTTP", "tls": "https://localhost:$NGINX_TLS",
              "h2c": "http://127.0.0.1:$NGINX_H2C", "websocket": True, "csv": {}},
    "adaptive-lb": {"http": "http://127.0.0.1:$LB_HTTP", "tls": "https://localhost:$LB_TLS",
                    "h2c": "http://127.0.0.1:$LB_HTTP", "websocket": "$WEBSOCKET" == "yes",
                    "csv": {"http": "$L/http/proxy_log.csv", "tls": "$L/tls/proxy_log.csv"}}}
}, open(sys.argv[1], "w"), indent=2)
EOF
log "servers and proxies up; running the cases"
trap - ERR
set +e
python3 "$HERE/lib/cases.py" "$OUT/targets.json" "$OUT/cases.md"
RC=$?
set -e
log "table: $OUT/cases.md (exit $RC)"
exit "$RC"
