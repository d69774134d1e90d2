#!/usr/bin/env bash
# Slow clients against the lab: slowhttptest's slowloris (-H), slow body (-B) and slow read (-X),
# one after the other, while a probe (curl every second on a fresh connection) checks that ordinary
# clients keep being served. Prints, per attack, how many probes got 200 and slowhttptest's own verdict.
#
#   loadtest/slow.sh [--jar PATH] [--seconds N] [--connections N] [--port-base P] [--out DIR]
#
# --jar          the lab jar (default target/adaptive-lb.jar; built with `mvn -q -DskipTests package` if missing)
# --seconds      length of each attack (default 30)
# --connections  slow connections per attack (default 500)
# --port-base    proxy on P, dashboard on P+1, backends on P+921..P+923 (default 28080: 28080/28081/29001-29003),
#                away from the default lab and the harness
# --out          output folder (default loadtest/results/slow-<timestamp>/)
#
# It starts one lab JVM from a copy of conf/default.json with the ports changed, and stops it (and the
# probe) on exit, whatever happens. Installs slowhttptest with apt-get when it is missing.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib/lab.sh
. "$HERE/lib/lab.sh"
JAR="$ROOT/target/adaptive-lb.jar"
SECONDS_PER_ATTACK=30
CONNECTIONS=500
PORT_BASE=28080
OUT=""

while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR="${2:?--jar needs a path}"; shift ;;
    --seconds) SECONDS_PER_ATTACK="${2:?--seconds needs N}"; shift ;;
    --connections) CONNECTIONS="${2:?--connections needs N}"; shift ;;
    --port-base) PORT_BASE="${2:?--port-base needs a port}"; shift ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "slow.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

OUT=${OUT:-$ROOT/loadtest/results/slow-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
PROXY_PORT=$PORT_BASE
DASH_PORT=$((PORT_BASE + 1))
URL="http://127.0.0.1:$PROXY_PORT/"

if ! command -v slowhttptest >/dev/null 2>&1; then
  echo "installing slowhttptest"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slowhttptest >/dev/null
fi
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -q -DskipTests package)
fi

PROBE_PID=""
cleanup() {
  [ -n "$PROBE_PID" ] && kill "$PROBE_PID" 2>/dev/null && wait "$PROBE_PID" 2>/dev/null || true
  lab_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The bundled lab with other ports and the CSV in the output folder.
lab_config "$OUT/lab.json" "$PORT_BASE" "$OUT/proxy_log.csv"
lab_start "$JAR" "$OUT/lab.json" "$OUT/lab.log"
echo "lab pid $LAB_PID on $URL (output in $OUT)"

fds() { ls "/proc/$LAB_PID/fd" 2>/dev/null | wc -l; }

# Probe: one fresh connection per second; each line "epoch status seconds".
probe() {
  while true; do
    printf '%s %s\n' "$(date +%s)" "$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 "$URL" || true)"
    sleep 1
  done
}

SUMMARY="$OUT/summary.txt"
{
  echo "slowhttptest against adaptive-lb, $CONNECTIONS connections, ${SECONDS_PER_ATTACK}s per attack, $(nproc) cores"
  printf '%-10s %12s %14s %10s %12s %12s\n' attack probes_200 probe_max_s fds_after slowtest_ok slowtest_max_conn
} >"$SUMMARY"

run_attack() {
  local name=$1; shift
  echo "== $name: slowhttptest $*"
  probe >"$OUT/$name-probe.txt" 2>/dev/null &
  PROBE_PID=$!
  slowhttptest "$@" -c "$CONNECTIONS" -r 200 -l "$SECONDS_PER_ATTACK" -p 3 -g -o "$OUT/$name" -u "${ATTACK_URL:-$URL}" \
    >"$OUT/$name-slowhttptest.txt" 2>&1 || true
  kill "$PROBE_PID" 2>/dev/null; wait "$PROBE_PID" 2>/dev/null || true
  PROBE_PID=""
  kill -0 "$LAB_PID" 2>/dev/null || { echo "the lab died during $name" | tee -a "$SUMMARY"; exit 1; }
  local total ok max avail maxconn
  total=$(wc -l <"$OUT/$name-probe.txt")
  ok=$(awk '$2 == 200' "$OUT/$name-probe.txt" | wc -l)
  max=$(awk 'BEGIN{m=0} $3+0 > m {m=$3+0} END{printf "%.3f", m}' "$OUT/$name-probe.txt")
  # slowhttptest's CSV: seconds,closed,pending,connected,service_available (1 = its own probe got an answer)
  avail=$(awk -F, 'NR>1 {n++; if ($5+0 > 0) a++} END{printf "%d/%d", a, n}' "$OUT/$name.csv" 2>/dev/null || echo "-")
  maxconn=$(awk -F, 'NR>1 && $4+0 > m {m=$4+0} END{print m+0}' "$OUT/$name.csv" 2>/dev/null || echo "-")
  printf '%-10s %12s %14s %10s %12s %12s\n' "$name" "$ok/$total" "$max" "$(fds)" "$avail" "$maxconn" | tee -a "$SUMMARY"
}

echo "fds before: $(fds)" | tee -a "$SUMMARY"
run_attack slowloris -H -i 5 -x 24
run_attack slowbody -B -i 5 -s 65536 -x 10 -t POST
# slow read needs answers larger than what the tiny advertised windows let through: 256 KiB (?size=N)
ATTACK_URL="${URL}?size=262144" run_attack slowread -X -k 3 -n 5 -w 10 -y 20 -z 32
echo "lab still alive after all attacks: $(kill -0 "$LAB_PID" 2>/dev/null && echo yes || echo no); fds now: $(fds)" | tee -a "$SUMMARY"
curl -s -o /dev/null -w 'final probe: %{http_code}\n' --max-time 5 "$URL" | tee -a "$SUMMARY"
