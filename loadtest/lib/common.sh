# Shared by the load-test scripts (its functions want OUT set: log writes $OUT/run.log): logging, the
# processes a script started and their stopping on exit, the tools it needs, the jar, loopback port checks,
# and the nginx and HAProxy configs of the peers. Defines functions and PIDS.
#
#   log MSG...                  timestamped to stderr and $OUT/run.log
#   now_ms                      epoch milliseconds
#   PIDS+=("$!") / stop_pid PID SIGTERM (a lab writes its last CSV rows), SIGKILL after 15 s; forgotten
#   stop_all                    stop_pid every PID left (run on EXIT once trap_stop_all is called)
#   install_missing [CMD:PKG]…  apt-get the load tools (wrk, nginx, haproxy, curl, python3) and any extra,
#                               waiting up to 10 min for a dpkg/apt lock another process holds
#   copy_jar [SRC]              JAR=$OUT/adaptive-lb.jar, a copy of SRC or target/adaptive-lb.jar (built when missing)
#   port_open PORT              something listens on 127.0.0.1:PORT
#   wait_listening PORT PID LOG NAME [SEC]   PORT listens before PID dies or SEC (10) s pass; else 1, PID stopped
#   wait_ports_free SEC PORT…   wait up to SEC seconds for each port to be free (other tests may hold them)
#   nginx_conf DIR WORKERS BALANCE KEEPALIVE PORT BACKEND_PORT…   (NGINX_TLS_DIR=DIR: TLS and h2 with DIR/server.pem)
#                               DIR/nginx.conf: nginx on 127.0.0.1:PORT in front of the backends; BALANCE
#                               round_robin or an upstream directive (least_conn, ...); KEEPALIVE on pools
#                               upstream connections, off opens one per request
#   haproxy_conf DIR NBTHREAD BALANCE REUSE PORT BACKEND_PORT…
#                               DIR/haproxy.cfg, the same for HAProxy; REUSE safe | never (http-reuse; server
#                               connections still kept per client connection) | close (one per request)

PIDS=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
now_ms() { date +%s%3N; }

stop_pid() {
  local pid=$1 i
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  PIDS=("${keep[@]+"${keep[@]}"}")
}

stop_all() {
  local p
  for p in "${PIDS[@]+"${PIDS[@]}"}"; do stop_pid "$p"; done
}

trap_stop_all() {
  trap stop_all EXIT
  trap 'log "interrupted"; exit 130' INT TERM
}

install_missing() {
  local need=() spec
  for spec in wrk:wrk nginx:nginx haproxy:haproxy curl:curl python3:python3 "$@"; do
    command -v "${spec%%:*}" >/dev/null || [ -x "/usr/sbin/${spec%%:*}" ] || need+=("${spec#*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
  fi
  export PATH="$PATH:/usr/sbin:/sbin"
}

# The jar is copied into the output folder: other people rebuild target/ while a run goes on.
# copy_jar [SRC]: another build's jar instead of target/adaptive-lb.jar.
copy_jar() {
  local src=${1:-}
  if [ -z "$src" ]; then
    src="$ROOT/target/adaptive-lb.jar"
    if [ ! -f "$src" ]; then
      log "target/adaptive-lb.jar missing: mvn -q -DskipTests package"
      (cd "$ROOT" && mvn -q -DskipTests package)
    fi
  fi
  [ -f "$src" ] || { log "no jar at $src"; exit 2; }
  JAR="$OUT/adaptive-lb.jar"
  cp "$src" "$JAR"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_listening PORT PID LOG NAME [SEC]: up to SEC (10) s for PORT to listen while PID lives; 1 (and PID stopped) if not.
wait_listening() {
  local port=$1 pid=$2 logf=$3 name=$4 tenths=$((${5:-10} * 10)) i
  for i in $(seq 1 "$tenths"); do
    port_open "$port" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  log "$name did not start on $port: $(tail -3 "$logf" 2>/dev/null | tr '\n' ' ')"
  stop_pid "$pid"
  return 1
}

wait_ports_free() {
  local seconds=$1 port i
  shift
  for port in "$@"; do
    for i in $(seq 1 "$seconds"); do
      port_open "$port" || break
      [ "$i" = 1 ] && log "port $port busy, waiting"
      sleep 1
    done
    if port_open "$port"; then log "port $port still busy after $seconds s"; return 1; fi
  done
}

nginx_conf() {
  local dir=$1 workers=$2 balance=$3 keepalive=$4 listen=$5 port t
  shift 5
  mkdir -p "$dir/nginx-tmp"
  {
    echo "worker_processes $workers;"
    echo "daemon off;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/nginx-error.log warn;"
    echo "worker_rlimit_nofile 65536;"
    echo "events { worker_connections 8192; }"
    echo "http {"
    echo "  access_log off;"
    for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $dir/nginx-tmp/$t;"; done
    echo "  upstream backends {"
    [ "$balance" = round_robin ] || echo "    $balance;"
    for port in "$@"; do echo "    server 127.0.0.1:$port;"; done
    [ "$keepalive" != on ] || echo "    keepalive 128;"
    # adaptive-lb puts no cap on requests per connection; nginx's 1000 would close h2load's connections mid-run
    [ -z "${NGINX_TLS_DIR:-}" ] || echo "    keepalive_requests 1000000;"
    echo "  }"
    echo "  server {"
    if [ -n "${NGINX_TLS_DIR:-}" ]; then
      echo "    listen 127.0.0.1:$listen ssl http2;"
      echo "    ssl_certificate $NGINX_TLS_DIR/server.pem;"
      echo "    ssl_certificate_key $NGINX_TLS_DIR/server-key.pem;"
      echo "    ssl_protocols TLSv1.2 TLSv1.3;"
      echo "    keepalive_requests 1000000;"
    else
      echo "    listen 127.0.0.1:$listen;"
    fi
    echo "    location / {"
    echo "      proxy_pass http://backends;"
    if [ "$keepalive" = on ]; then
      # Upstream keep-alive needs HTTP/1.1 and no "Connection: close" from nginx.
      echo "      proxy_http_version 1.1;"
      echo "      proxy_set_header Connection \"\";"
    fi
    echo "    }"
    echo "  }"
    echo "}"
  } >"$dir/nginx.conf"
}

haproxy_conf() {
  local dir=$1 nbthread=$2 balance=$3 reuse=$4 listen=$5 i=0 port
  shift 5
  {
    echo "global"
    echo "  maxconn 4000"
    echo "  nbthread $nbthread"
    echo "defaults"
    echo "  mode http"
    echo "  timeout connect 5s"
    echo "  timeout client 60s"
    echo "  timeout server 60s"
    if [ "$reuse" = close ]; then
      # `http-reuse never` alone still keeps one server connection per client connection; the
      # counterpart of nginx without upstream keepalive also closes the server side after each response.
      echo "  option http-server-close"
      echo "  http-reuse never"
    else
      echo "  option http-keep-alive"
      echo "  http-reuse $reuse"
    fi
    echo "frontend fe"
    echo "  bind 127.0.0.1:$listen"
    echo "  default_backend be"
    echo "backend be"
    echo "  balance $balance"
    for port in "$@"; do i=$((i + 1)); echo "  server b$i 127.0.0.1:$port"; done
  } >"$dir/haproxy.cfg"
}
