#!/usr/bin/env bash
# Soak: wrk at 100 connections through the lab for a long time, then checks that nothing
# failed and nothing leaked: zero wrk errors (socket errors and non-2xx/3xx answers), heap after a full
# GC flat (jcmd GC.run then GC.heap_info at the start and at the end), open file descriptors flat
# (/proc/<pid>/fd). Not part of the test suite: it takes minutes.
#
#   loadtest/soak.sh [--minutes N] [--connections N] [--threads N] [--jar PATH] [--port-base P] [--out DIR]
#
# --minutes      length of the measured run (default 10)
# --connections  wrk connections (default 100); --threads wrk threads (default 4)
# --jar          the lab jar (default target/adaptive-lb.jar; built with `mvn -q -DskipTests package` if missing)
# --port-base    proxy on P, dashboard on P+1, backends on P+921..P+923 (default 28080)
# --out          output folder (default loadtest/results/soak-<timestamp>/)
#
# The lab is conf/default.json with the ports changed and the CSV log off (minutes of rows would only
# fill the disk). Flat means: heap after GC grew by less than max(16 MiB, 25%), descriptors by at most
# 10. Exit status 0 when all three hold. Stops the lab it started on exit.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib/lab.sh
. "$HERE/lib/lab.sh"
JAR="$ROOT/target/adaptive-lb.jar"
MINUTES=10
CONNECTIONS=100
THREADS=4
PORT_BASE=28080
OUT=""
WARMUP_SEC=15

while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="${2:?--minutes needs N}"; shift ;;
    --connections) CONNECTIONS="${2:?--connections needs N}"; shift ;;
    --threads) THREADS="${2:?--threads needs N}"; shift ;;
    --jar) JAR="${2:?--jar needs a path}"; shift ;;
    --port-base) PORT_BASE="${2:?--port-base needs a port}"; shift ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

OUT=${OUT:-$ROOT/loadtest/results/soak-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
URL="http://127.0.0.1:$PORT_BASE/"

command -v wrk >/dev/null 2>&1 || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v jcmd >/dev/null 2>&1 || { echo "soak.sh: jcmd (a JDK) is needed" >&2; exit 1; }
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -q -DskipTests package)
fi

SAMPLER_PID=""
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null || true
  lab_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The bundled lab with other ports and the CSV log off (minutes of rows would only fill the disk).
lab_config "$OUT/lab.json" "$PORT_BASE" ""
lab_start "$JAR" "$OUT/lab.json" "$OUT/lab.log"
echo "lab pid $LAB_PID on $URL (output in $OUT)"

fds() { ls "/proc/$LAB_PID/fd" | wc -l; }
# Heap in use right after a full GC, in KiB (G1 prints "garbage-first heap total NK, used MK").
heap_after_gc() {
  jcmd "$LAB_PID" GC.run >/dev/null
  jcmd "$LAB_PID" GC.heap_info | tee -a "$OUT/heap_info.txt" | sed -n 's/.*heap *total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1
}

# Warm-up (JIT, pools, buffers) before the start figures; not measured.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_SEC}s" "$URL" >"$OUT/wrk-warmup.txt" 2>&1
HEAP_START=$(heap_after_gc)
FD_START=$(fds)
echo "start: heap after GC ${HEAP_START} KiB, fds ${FD_START}"

# One sample a minute while wrk runs (no GC forced: used heap and descriptors as they are).
( while true; do
    sleep 60
    printf '%s fds=%s %s\n' "$(date +%s)" "$(fds)" "$(jcmd "$LAB_PID" GC.heap_info | grep -m1 'total')"
  done ) >"$OUT/samples.txt" 2>&1 &
SAMPLER_PID=$!

wrk -t"$THREADS" -c"$CONNECTIONS" -d"${MINUTES}m" --timeout 10s --latency "$URL" | tee "$OUT/wrk.txt"
kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""

HEAP_END=$(heap_after_gc)
FD_END=$(fds)
REQUESTS=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$OUT/wrk.txt")
NON2XX=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$OUT/wrk.txt")
SOCKET=$(sed -n 's/^ *Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$OUT/wrk.txt")
SOCKET_ERRORS=$(echo "${SOCKET:-0 0 0 0}" | awk '{print $1+$2+$3+$4}')
ERRORS=$(( ${NON2XX:-0} + SOCKET_ERRORS ))
HEAP_ALLOWED=$(( HEAP_START / 4 > 16384 ? HEAP_START / 4 : 16384 ))

verdict=PASS
[ "$ERRORS" -eq 0 ] || verdict=FAIL
[ $(( HEAP_END - HEAP_START )) -lt "$HEAP_ALLOWED" ] || verdict=FAIL
[ $(( FD_END - FD_START )) -le 10 ] || verdict=FAIL
{
  echo "soak: ${MINUTES} min, wrk -t${THREADS} -c${CONNECTIONS}, $(nproc) cores, jar $(sha256sum "$JAR" | cut -c1-12)"
  echo "requests: ${REQUESTS:-?}  errors: ${ERRORS} (non-2xx/3xx ${NON2XX:-0}, socket ${SOCKET:-0 0 0 0} connect/read/write/timeout)"
  echo "heap after GC: start ${HEAP_START} KiB, end ${HEAP_END} KiB (allowed growth < ${HEAP_ALLOWED} KiB)"
  echo "open fds: start ${FD_START}, end ${FD_END}"
  echo "verdict: ${verdict}"
} | tee "$OUT/summary.txt"
[ "$verdict" = PASS ]
