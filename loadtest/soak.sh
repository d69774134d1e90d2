#!/usr/bin/env bash
# Soak: the bundled lab under mixed traffic for a long time, then checks that nothing failed and nothing
# leaked. Not part of the test suite: it takes minutes.
#
#   loadtest/soak.sh [--minutes N] [--connections N] [--threads N] [--ws N] [--sse N] [--posts N]
#                    [--jar PATH] [--port-base P] [--out DIR]
#
# --minutes      length of the measured run (default 10), after 15 s of the same traffic as warm-up
# --connections  wrk connections (default 100); --threads wrk threads (default 4)
# --ws           long-lived WebSockets (default 20), beside 2 workers opening and closing others all along
# --sse          event streams open at once (default 10; one event every 0.5 s, each stream read 10-40 s)
# --posts        keep-alive connections POSTing bodies of 0 B - 512 KiB (default 2)
# --jar          the lab jar (default target/adaptive-lb.jar; built with `mvn -q -DskipTests package` if missing)
# --port-base    proxy on P, dashboard on P+1, backends on P+921..P+923, the echo, SSE and WebSocket
#                servers on P+931..P+933 (default 28080)
# --out          output folder (default loadtest/results/soak-<timestamp>/)
#
# Traffic, all at once: wrk GETs on the lab's simulated backends (the default group and its policy);
# and, through the proxy's routes /soak/echo/, /soak/sse/ and /soak/ws/ to groups of their own (so the
# policy's traffic is untouched), lib/soak_traffic.py's long-lived WebSockets exchanging messages,
# WebSockets opened and closed continually, endless SSE streams read and ended by the client, and POSTs,
# served by lib/case_backends.py. The lab is conf/default.json with the ports changed, those groups and
# routes added and the CSV log off (minutes of rows would only fill the disk).
# Checks: zero wrk errors (socket errors and non-2xx/3xx answers); every WebSocket message echoed
# exactly, every close answered, no WebSocket ended by the other side; every SSE stream got every event,
# ids in order without a gap, until the client ended it; every POST body arrived whole (length and
# SHA-256); heap after a full GC (jcmd GC.run then GC.heap_info) grew by less than max(16 MiB, 25%);
# open descriptors (/proc/<pid>/fd) by at most 10. One summary line; exit status 0 when all hold.
# Stops everything it started on exit.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib/lab.sh
. "$HERE/lib/lab.sh"
JAR="$ROOT/target/adaptive-lb.jar"
MINUTES=10
CONNECTIONS=100
THREADS=4
WS=20
SSE=10
POSTS=2
PORT_BASE=28080
OUT=""
WARMUP_SEC=15

while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="${2:?--minutes needs N}"; shift ;;
    --connections) CONNECTIONS="${2:?--connections needs N}"; shift ;;
    --threads) THREADS="${2:?--threads needs N}"; shift ;;
    --ws) WS="${2:?--ws needs N}"; shift ;;
    --sse) SSE="${2:?--sse needs N}"; shift ;;
    --posts) POSTS="${2:?--posts needs N}"; shift ;;
    --jar) JAR="${2:?--jar needs a path}"; shift ;;
    --port-base) PORT_BASE="${2:?--port-base needs a port}"; shift ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

OUT=${OUT:-$ROOT/loadtest/results/soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
URL="http://127.0.0.1:$PORT_BASE/"
ECHO_PORT=$((PORT_BASE + 931)) SSE_PORT=$((PORT_BASE + 932)) WS_PORT=$((PORT_BASE + 933))

command -v wrk >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v jcmd >/dev/null 2>&1 || { echo "soak.sh: jcmd (a JDK) is needed" >&2; exit 1; }
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -q -DskipTests package)
fi

SAMPLER_PID="" SERVERS_PID="" TRAFFIC_PID=""
cleanup() {
  local pid
  for pid in "$TRAFFIC_PID" "$SAMPLER_PID"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  lab_stop
  [ -z "$SERVERS_PID" ] || stop_pid "$SERVERS_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The servers behind the /soak/ routes: echo (POST bodies), endless SSE, WebSocket echo.
python3 "$HERE/lib/case_backends.py" serve --echo "$ECHO_PORT" --sse "$SSE_PORT" --ws "$WS_PORT" >"$OUT/servers.log" 2>&1 &
SERVERS_PID=$!
for port in "$ECHO_PORT" "$SSE_PORT" "$WS_PORT"; do
  wait_listening "$port" "$SERVERS_PID" "$OUT/servers.log" "case_backends.py" || exit 1
done

# The bundled lab with other ports, the CSV log off, and a group and route per soak server. Passive
# ejection is off in those groups: each has one backend, and an error should be counted, not turned
# into a run of 503s.
lab_config "$OUT/lab.json" "$PORT_BASE" ""
python3 - "$OUT/lab.json" "$ECHO_PORT" "$SSE_PORT" "$WS_PORT" <<'PY'
import json, sys
path, ports = sys.argv[1], dict(zip(("echo", "sse", "ws"), sys.argv[2:5]))
conf = json.load(open(path))
conf["proxy"]["groups"] = {
    f"soak-{name}": {"backends": [{"name": f"soak-{name}", "url": f"http://127.0.0.1:{port}"}],
                     "health": {"passive": {"consecutiveFailures": 0}}}
    for name, port in ports.items()}
conf["proxy"]["routes"] = [{"pathPrefix": f"/soak/{name}/", "group": f"soak-{name}"} for name in ports]
json.dump(conf, open(path, "w"), indent=2)
PY
lab_start "$JAR" "$OUT/lab.json" "$OUT/lab.log"
echo "lab pid $LAB_PID on $URL (output in $OUT)"

fds() { ls "/proc/$LAB_PID/fd" | wc -l; }
# Heap in use right after a full GC, in KiB (G1 prints "garbage-first heap total NK, used MK").
heap_after_gc() {
  jcmd "$LAB_PID" GC.run >/dev/null
  jcmd "$LAB_PID" GC.heap_info | tee -a "$OUT/heap_info.txt" | sed -n 's/.*heap *total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1
}
traffic() {  # traffic SECONDS NAME: soak_traffic.py in the background (TRAFFIC_PID)
  python3 "$HERE/lib/soak_traffic.py" --port "$PORT_BASE" --seconds "$1" --out "$OUT/$2.json" \
    --ws "$WS" --sse "$SSE" --posts "$POSTS" >"$OUT/$2.txt" 2>&1 &
  TRAFFIC_PID=$!
}

# Warm-up (JIT, pools, buffers) with the same traffic before the start figures; not measured.
traffic "$WARMUP_SEC" traffic-warmup
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_SEC}s" "$URL" >"$OUT/wrk-warmup.txt" 2>&1
wait "$TRAFFIC_PID" || true
TRAFFIC_PID=""
HEAP_START=$(heap_after_gc)
FD_START=$(fds)
echo "start: heap after GC ${HEAP_START} KiB, fds ${FD_START}"

# One sample a minute while the traffic runs (no GC forced: used heap and descriptors as they are).
( while true; do
    sleep 60
    printf '%s fds=%s %s\n' "$(date +%s)" "$(fds)" "$(jcmd "$LAB_PID" GC.heap_info | grep -m1 'total')"
  done ) >"$OUT/samples.txt" 2>&1 &
SAMPLER_PID=$!

traffic "$((MINUTES * 60))" traffic
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${MINUTES}m" --timeout 10s --latency "$URL" | tee "$OUT/wrk.txt"
TRAFFIC_OK=true
wait "$TRAFFIC_PID" || TRAFFIC_OK=false
TRAFFIC_PID=""
cat "$OUT/traffic.txt"
kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""

HEAP_END=$(heap_after_gc)
FD_END=$(fds)
REQUESTS=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$OUT/wrk.txt")
NON2XX=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$OUT/wrk.txt")
SOCKET=$(sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$OUT/wrk.txt")
SOCKET_ERRORS=$(echo "${SOCKET:-0 0 0 0}" | awk '{print $1+$2+$3+$4}')
WRK_ERRORS=$(( ${NON2XX:-0} + SOCKET_ERRORS ))
HEAP_ALLOWED=$(( HEAP_START / 4 > 16384 ? HEAP_START / 4 : 16384 ))
# The traffic's counts, or "traffic: no result" when it died without writing them (then it failed).
TRAFFIC_COUNTS=$(python3 - "$OUT/traffic.json" <<'PY'
import json, sys
try:
    t = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print("traffic: no result (see traffic.txt) 1")
    sys.exit()
kinds = ", ".join(f"{k} {v}" for k, v in t["error_kinds"].items())
print(f"WS {t['ws_connections']} connections ({t['ws_churn_connections']} opened and closed), {t['ws_messages']} "
      f"messages echoed; SSE {t['sse_streams']} streams, {t['sse_events']} events in order; POST {t['posts']} bodies "
      f"echoed; traffic errors {t['errors']}{' (' + kinds + ')' if kinds else ''}", t["errors"])
PY
)
TRAFFIC_ERRORS=${TRAFFIC_COUNTS##* }
[ "$TRAFFIC_OK" = true ] || [ "$TRAFFIC_ERRORS" -gt 0 ] || TRAFFIC_ERRORS=1

verdict=PASS
[ "$WRK_ERRORS" -eq 0 ] || verdict=FAIL
[ "$TRAFFIC_ERRORS" -eq 0 ] || verdict=FAIL
[ $(( HEAP_END - HEAP_START )) -lt "$HEAP_ALLOWED" ] || verdict=FAIL
[ $(( FD_END - FD_START )) -le 10 ] || verdict=FAIL
echo "soak: ${MINUTES} min, $(nproc) cores, jar $(sha256sum "$JAR" | cut -c1-12); wrk -t${THREADS} -c${CONNECTIONS} ${REQUESTS:-?} requests, ${WRK_ERRORS} errors (non-2xx/3xx ${NON2XX:-0}, socket ${SOCKET:-0 0 0 0}); ${TRAFFIC_COUNTS% *}; heap after GC ${HEAP_START} -> ${HEAP_END} KiB (allowed growth < ${HEAP_ALLOWED}); fds ${FD_START} -> ${FD_END}: ${verdict}" \
  | tee "$OUT/summary.txt"
[ "$verdict" = PASS ]
