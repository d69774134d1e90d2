#!/usr/bin/env bash
# The load-test study in one command: wrk -t4 -c100 against adaptive-lb in connection modes x policies x
# scenarios, and against nginx and HAProxy (and, for `fast`, one backend directly) on the same simulated
# backends, repetitions interleaved; then results.csv, summary.md, report.html and PNG charts.
#
#   loadtest/run.sh [--proposal | --matrix | --timeline | --quick] [--scenario NAME]... [--policy SPEC]...
#                   [--repeat N] [--duration SEC] [--warmup SEC] [--all-peers | --no-peers]
#                   [--port-offset N] [--out DIR] [--plan]
#
# Modes (the default is --matrix):
#   --proposal  the proposal's evaluation as a user meets it: scenario `spread`, 120 s, persistent and
#               non-persistent x round-robin, sma, ewma, the recommended policy (persistent), and nginx and
#               HAProxy least-connections; every run on a fresh lab with no warm-up (cold start included).
#               With --repeat N it reports per configuration the min/median/max and how many runs settled
#               on a backend other than the fastest.
#   --matrix    every scenario x connection mode x policy, plus nginx/HAProxy least-connections, 30 s, one
#               repetition, 10 s warm-up per lab (--all-peers adds every nginx/HAProxy algorithm).
#   --timeline  scenario `shift`, 120 s, every policy persistent, the backend change at 60 s: per-second
#               share and p95 of the changing backend.
#   --quick     every scenario, policy and least-connections peer at 5 s after a 2 s warm-up: CI, a first look.
# --policy limits adaptive-lb to the given policies (any policy of the jar's catalog, `java -jar
# target/adaptive-lb.jar policies`; by default every policy and variant in it). SPEC is a type, optionally
# with parameters: `p2c-peak-ewma:sampling=weighted`, `sma:explore=0.1,forgetAfterMs=5000`. --port-offset N moves every port
# the study binds (proxy, dashboard, backends, nginx/HAProxy) by N, so two studies can share a machine.
# --plan prints the settings, the run count and the wall-time estimate, and stops before measuring.
#
# A measured run follows --warmup SEC of unmeasured load on the same processes (loadtest/lib/warmup.py,
# 100 keep-alive connections that finish their last request before closing): a cold lab JVM serves a few
# hundred req/s and needs about 5 s of traffic before the JIT has it at speed. Not wrk: wrk's stop abandons
# its in-flight requests, which the proxy logs as 499 and sma/ewma learn as backend failures.
#
# Everything it starts (lab JVMs, nginx, haproxy, chromium) runs in the foreground of a child process with
# its config and pid files under the output folder, and is stopped on exit (never a system service).
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

COMMAND_LINE="loadtest/run.sh $*"
MODE=matrix
SCENARIOS=()
REPEAT=""
DURATION=""
WARMUP=""
OUT=""
PEER_CHOICE=""
PORT_OFFSET=0
PLAN_ONLY=0
THREADS=4
CONNECTIONS=100
# Seconds between the backends' start and wrk's in scenarios with phases (plus --warmup): the phase clock
# starts with the backends, so wrk must start at a known time after them (the proxy is up 1-3 s later).
LEAD=5
PEER_PORT=18090
CHARTJS_VERSION=4.4.1
# The policy the README recommends; --proposal measures it beside the proposal's three.
RECOMMENDED=least-latency
PROPOSAL_POLICIES=(round-robin sma ewma "$RECOMMENDED")
CHOSEN_POLICIES=()
CONNECTION_MODES=(persistent non-persistent)
ALL_PEERS=(nginx:round_robin:keepalive nginx:least_conn:keepalive "nginx:random two least_conn:keepalive"
  nginx:round_robin:off nginx:least_conn:off "nginx:random two least_conn:off"
  haproxy:roundrobin:safe haproxy:leastconn:safe haproxy:random:safe
  haproxy:roundrobin:close haproxy:leastconn:close haproxy:random:close)
# Each peer's strongest policy for these scenarios, least-connections, with upstream keep-alive and (nginx)
# without it, the counterpart of our non-persistent mode; round robin is shown by our own round-robin.
LEAST_CONN_PEERS=(nginx:least_conn:keepalive nginx:least_conn:off haproxy:leastconn:safe)
# Seconds a lab run costs beyond warm-up and wrk (JVM start, readiness, SIGTERM and CSV flush) and a peer
# run beyond wrk (/stats snapshots, start and stop): for the wall-time estimate printed at the start.
LAB_OVERHEAD=5
PEER_OVERHEAD=3

usage() {
  awk 'NR > 1 && !/^#/ {exit} NR > 1 {sub(/^# ?/, ""); print}' "${BASH_SOURCE[0]}"
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --proposal) MODE=proposal ;;
    --matrix) MODE=matrix ;;
    --timeline) MODE=timeline ;;
    --scenario) SCENARIOS+=("${2:?--scenario needs a name}"); shift ;;
    --policy) CHOSEN_POLICIES+=("${2:?--policy needs a type}"); shift ;;
    --repeat) REPEAT="${2:?--repeat needs N}"; shift ;;
    --duration) DURATION="${2:?--duration needs seconds}"; shift ;;
    --warmup) WARMUP="${2:?--warmup needs seconds}"; shift ;;
    --all-peers) PEER_CHOICE=all ;;
    --no-peers) PEER_CHOICE=none ;;
    --port-offset) PORT_OFFSET="${2:?--port-offset needs N}"; shift ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    --plan) PLAN_ONLY=1 ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage 2 ;;
  esac
  shift
done
for n in "${REPEAT:-1}" "${DURATION:-1}" "${WARMUP:-0}" "$PORT_OFFSET"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "run.sh: not a whole number: $n" >&2; exit 2; }
done

# FRESH_BACKENDS=1: every peer run gets its own backends JVM, as every adaptive-lb run does.
# CHANGE_AT_HALF=1: a scenario's first backend change is moved to the middle of the wrk window.
FRESH_BACKENDS=0
CHANGE_AT_HALF=0
WANTED_POLICIES=() # none: every policy and variant of the jar's catalog
PEERS=("${LEAST_CONN_PEERS[@]}")
case "$MODE" in
  quick)
    DURATION=${DURATION:-5}; WARMUP=${WARMUP:-2}; REPEAT=${REPEAT:-1}
    DEFAULT_SCENARIOS=(spread capacity shift fast flaky) ;;
  matrix)
    DURATION=${DURATION:-30}; WARMUP=${WARMUP:-10}; REPEAT=${REPEAT:-1}
    DEFAULT_SCENARIOS=(spread capacity shift fast flaky) ;;
  proposal)
    DURATION=${DURATION:-120}; WARMUP=${WARMUP:-0}; REPEAT=${REPEAT:-1}
    DEFAULT_SCENARIOS=(spread)
    WANTED_POLICIES=("${PROPOSAL_POLICIES[@]}")
    FRESH_BACKENDS=1 ;;
  timeline)
    DURATION=${DURATION:-120}; WARMUP=${WARMUP:-10}; REPEAT=${REPEAT:-1}
    DEFAULT_SCENARIOS=(shift)
    CONNECTION_MODES=(persistent)
    PEERS=()
    LEAD=15
    CHANGE_AT_HALF=1 ;;
esac
case "$PEER_CHOICE" in
  all) PEERS=("${ALL_PEERS[@]}") ;;
  none) PEERS=() ;;
esac
if [ ${#SCENARIOS[@]} -eq 0 ]; then
  SCENARIOS=("${DEFAULT_SCENARIOS[@]}")
fi
for s in "${SCENARIOS[@]}"; do
  [ -f "$ROOT/conf/scenarios/$s.json" ] || { echo "run.sh: no scenario conf/scenarios/$s.json" >&2; exit 2; }
done
PEER_PORT=$((PEER_PORT + PORT_OFFSET))
OUT=${OUT:-$ROOT/loadtest/results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT/runs"
OUT=$(cd "$OUT" && pwd)
STARTED=$(date +%s)

# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
trap_stop_all
install_missing

copy_jar
# The report runs from the same jar as the proxy it measures: it reads the lab configs with the
# proxy's own config reader.
REPORT_CP="$JAR"

# ---------------------------------------------------------------- which policies to measure
# The jar's policy catalog lists every policy and the variants it declares worth measuring. A policy named
# on the command line or by the mode is checked by the jar (type, keys, ranges) before anything starts,
# so a typo costs seconds, not a study.
catalog_specs() {
  java -jar "$JAR" policies --json \
    | python3 -c 'import json, sys; print(" ".join(s for p in json.load(sys.stdin)["policies"] for s in p["specs"]))'
}
read -r -a CATALOG_SPECS <<<"$(catalog_specs)"
[ ${#CATALOG_SPECS[@]} -gt 0 ] || { echo "run.sh: could not read the policy catalog from $JAR" >&2; exit 1; }
if [ ${#CHOSEN_POLICIES[@]} -gt 0 ]; then
  POLICIES=("${CHOSEN_POLICIES[@]}")
elif [ ${#WANTED_POLICIES[@]} -gt 0 ]; then
  POLICIES=("${WANTED_POLICIES[@]}")
else
  POLICIES=("${CATALOG_SPECS[@]}")
fi
for p in "${POLICIES[@]}"; do
  java -jar "$JAR" policies --check "$p" >/dev/null || { echo "run.sh: policy $p refused by the jar" >&2; exit 2; }
done

# ---------------------------------------------------------------- machine facts and settings
{
  echo "date:      $(date -Is)"
  echo "kernel:    $(uname -srm)"
  echo "cpu:       $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "memory:    $(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
  echo "java:      $(java -version 2>&1 | head -1)"
  echo "nginx:     $(nginx -v 2>&1)"
  echo "haproxy:   $(haproxy -v 2>&1 | head -1)"
  echo "wrk:       $(wrk -v 2>&1 | head -1)"
  echo "git:       $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown) ($(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l) uncommitted paths in the tree)"
  echo "jar:       $(sha256sum "$JAR" | cut -c1-16) (sha256 prefix)"
} >"$OUT/machine.txt"

# In --quick, policy variants (type:params) run in persistent mode only; in --proposal the recommended policy
# runs in persistent mode, the one a user gets without choosing.
runs_policy() {
  case "$MODE" in
    quick) [ "$1" = persistent ] || [[ "$2" != *:* ]] ;;
    proposal) [ "$1" = persistent ] || [ "$2" != "$RECOMMENDED" ] ;;
    *) return 0 ;;
  esac
}
LAB_RUNS=0
for conn in "${CONNECTION_MODES[@]}"; do
  for policy in "${POLICIES[@]}"; do
    if runs_policy "$conn" "$policy"; then LAB_RUNS=$((LAB_RUNS + 1)); fi
  done
done
RUNS_PER_REP=0
SECONDS_PER_REP=0
for s in "${SCENARIOS[@]}"; do
  has_phases=$(python3 "$HERE/lib/scenario_ports.py" "$ROOT/conf/scenarios/$s.json" 0 | sed -n 's/^HAS_PHASES=//p')
  peer_runs=${#PEERS[@]}
  [ "$s" != fast ] || peer_runs=$((peer_runs + 1))
  RUNS_PER_REP=$((RUNS_PER_REP + LAB_RUNS + peer_runs))
  SECONDS_PER_REP=$((SECONDS_PER_REP + LAB_RUNS * (DURATION + WARMUP + LAB_OVERHEAD) + peer_runs * (DURATION + PEER_OVERHEAD)))
  if [ "$FRESH_BACKENDS" = 1 ] || [ "$has_phases" = 1 ]; then
    SECONDS_PER_REP=$((SECONDS_PER_REP + peer_runs * (LAB_OVERHEAD + WARMUP)))
  elif [ "$peer_runs" -gt 0 ]; then
    SECONDS_PER_REP=$((SECONDS_PER_REP + LAB_OVERHEAD + WARMUP))
  fi
done
TOTAL_RUNS=$((RUNS_PER_REP * REPEAT))
# The report (Java, then a Chromium screenshot per chart page) takes about a minute.
ESTIMATE_MIN=$(( (SECONDS_PER_REP * REPEAT + 60 + 59) / 60 ))
{
  echo "command:     $COMMAND_LINE"
  echo "mode:        $MODE"
  echo "wrk:         -t$THREADS -c$CONNECTIONS -d${DURATION}s (unmeasured warm-up before each: ${WARMUP}s), $REPEAT repetition(s) interleaved (repetition is the outer loop)"
  echo "scenarios:   ${SCENARIOS[*]}"
  echo "policies:    ${POLICIES[*]} (the jar's catalog: ${CATALOG_SPECS[*]})"
  echo "connections: ${CONNECTION_MODES[*]}"
  echo "peers:       $(printf '%s, ' "${PEERS[@]+"${PEERS[@]}"}" | sed 's/, $//')$([[ " ${SCENARIOS[*]} " != *" fast "* ]] || echo " (+ wrk direct to b1 in fast)")"
  echo "backends:    $([ "$FRESH_BACKENDS" = 1 ] && echo "a fresh backends JVM for every run" || echo "fresh for every adaptive-lb run; shared by the peers of a scenario without phases")"
  echo "runs:        $TOTAL_RUNS"
  echo "estimate:    about $ESTIMATE_MIN min wall time (ends around $(date -d "+$ESTIMATE_MIN min" +%H:%M))"
} >"$OUT/settings.txt"
log "$TOTAL_RUNS runs of ${DURATION}s, about $ESTIMATE_MIN min; output $OUT"
cat "$OUT/settings.txt" >&2
[ "$PLAN_ONLY" = 0 ] || exit 0

# ---------------------------------------------------------------- helpers for one run
# start_lab CONFIG LOG: launches the lab JVM, sets LAB_PID.
start_lab() {
  local cfg=$1 logf=$2
  java -jar "$JAR" -conf "$cfg" >"$logf" 2>&1 &
  LAB_PID=$!
  PIDS+=("$LAB_PID")
}

# wait_until CHECK...: polls a command for up to 60 s; fails early when the lab process died.
wait_until() {
  local i
  for i in $(seq 1 600); do
    if "$@"; then return 0; fi
    if ! kill -0 "$LAB_PID" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

stats_ready() { curl -sf "http://127.0.0.1:$DASH_PORT/stats" | python3 "$HERE/lib/stats_ready.py" $BACKEND_NAMES; }

# Start a lab and wait until it serves; retried when a port was taken between our check and its bind.
launch_ready() {
  local cfg=$1 logf=$2 check=$3 attempt
  for attempt in 1 2 3; do
    wait_ports_free 120 $PORTS || return 1  # other engineers' tests sometimes hold the lab's ports for a while
    start_lab "$cfg" "$logf"
    # The backends arm their phase timers just before they listen: the first backend's port opening is
    # the phase clock's zero (a busy machine can take several seconds to start the JVM, so not the launch).
    if wait_until port_open "${BACKEND_PORTS%% *}"; then
      LAUNCH_MS=$(now_ms)
      if wait_until $check; then return 0; fi
    fi
    stop_pid "$LAB_PID"
    if grep -qi "address already in use\|bind" "$logf"; then
      log "lab could not bind (attempt $attempt), retrying"
      sleep 3
      continue
    fi
    log "lab did not start: $(tail -3 "$logf" | tr '\n' ' ')"
    return 1
  done
  return 1
}

# A busy machine can take longer than the lead to start the proxy: the phases then come that much earlier
# in the measured window (the report places the change marker where it really was).
warn_if_late() {
  local late=$(( $(now_ms) - LAUNCH_MS - $1 * 1000 ))
  if [ "$HAS_PHASES" = 1 ] && [ "$late" -gt 0 ]; then
    log "wrk starts $((late / 1000)) s after the planned phase lead: the backend change comes that much earlier in the run"
  fi
}

sleep_until_ms() {
  local left=$(($1 - $(now_ms)))
  if [ "$left" -gt 0 ]; then sleep "$(awk -v ms="$left" 'BEGIN {printf "%.3f", ms / 1000}')"; fi
}

# The warm-up: load that is not measured, so the JIT has compiled the hot path before the real run.
warm_up() {
  local url=$1 dir=$2
  if [ "$WARMUP" -gt 0 ]; then
    timeout $((WARMUP + 60)) python3 "$HERE/lib/warmup.py" "$url" "$WARMUP" "$CONNECTIONS" \
      >"$dir/warmup.txt" 2>&1 || log "warm-up exited non-zero in $dir"
  fi
}

run_wrk() {
  local url=$1 dir=$2
  WRK_START_MS=$(now_ms)
  timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s \
    -s "$HERE/wrk/report.lua" "$url" >"$dir/wrk.txt" 2>&1 || log "wrk exited non-zero in $dir"
  WRK_END_MS=$(now_ms)
}

write_meta() {
  local dir=$1 kind=$2 connection=$3 policy=$4 label=$5
  python3 - "$dir/meta.json" <<EOF
import json, sys
json.dump({"seq": $SEQ, "rep": $REP, "scenario": "$SCENARIO", "kind": "$kind", "connection": "$connection",
           "policy": "$policy", "label": "$label", "labConfig": "lab.json", "backendsStartMs": $LAUNCH_MS,
           "wrkStartMs": $WRK_START_MS, "wrkEndMs": $WRK_END_MS, "connections": $CONNECTIONS,
           "durationSec": $DURATION}, open(sys.argv[1], "w"), indent=2)
EOF
}

SEQ=0
DONE_RUNS=0
new_run_dir() {
  SEQ=$((SEQ + 1))
  DONE_RUNS=$((DONE_RUNS + 1))
  RUN_DIR="$OUT/runs/$(printf '%04d' "$SEQ")-r$REP-$SCENARIO-$(echo "$1" | tr ' :' '__')"
  mkdir -p "$RUN_DIR"
  # The estimate printed at the start assumes a quiet machine; this one follows the pace actually reached.
  local spent left=""
  spent=$(( $(date +%s) - STARTED ))
  if [ "$DONE_RUNS" = 1 ]; then
    FIRST_RUN_AT=$(date +%s)
  else
    left=", about $(( ($(date +%s) - FIRST_RUN_AT) * (TOTAL_RUNS - DONE_RUNS + 1) / (DONE_RUNS - 1) / 60 + 1 )) min left"
  fi
  log "[$DONE_RUNS/$TOTAL_RUNS] rep $REP $SCENARIO $1 (${spent} s in$left)"
}

# Phases are timed from the backends' start: wrk must start at a fixed offset, after readiness and warm-up.
lead_for_scenario() { if [ "$HAS_PHASES" = 1 ]; then echo $((LEAD + WARMUP)); else echo 0; fi; }
# Phases are written for a 120 s run and scaled to this one; --timeline moves the first change to the middle.
phase_scale() {
  if [ "$CHANGE_AT_HALF" = 1 ] && [ "$HAS_PHASES" = 1 ]; then
    awk -v d="$DURATION" -v c="$FIRST_CHANGE_SEC" 'BEGIN {printf "%.6f", d / 2 / c}'
  else
    awk -v d="$DURATION" 'BEGIN {printf "%.6f", d / 120}'
  fi
}

# ---------------------------------------------------------------- adaptive-lb
run_lab() {
  local conn=$1 policy=$2 lead
  lead=$(lead_for_scenario)
  new_run_dir "lb-$conn-$policy"
  python3 "$HERE/lib/derive.py" "$SCENARIO_FILE" "$RUN_DIR/lab.json" --roles backends,proxy,metrics,dashboard \
    --policy "$policy" --connection "$conn" --csv "$RUN_DIR/proxy_log.csv" \
    --phase-scale "$(phase_scale)" --phase-lead "$lead" --port-offset "$PORT_OFFSET"
  PORTS="$PROXY_PORT $DASH_PORT $BACKEND_PORTS"
  launch_ready "$RUN_DIR/lab.json" "$RUN_DIR/lab.log" "port_open $PROXY_PORT" || return 1
  warm_up "http://127.0.0.1:$PROXY_PORT/" "$RUN_DIR"
  warn_if_late "$lead"
  sleep_until_ms $((LAUNCH_MS + lead * 1000))
  run_wrk "http://127.0.0.1:$PROXY_PORT/" "$RUN_DIR"
  stop_pid "$LAB_PID"
  write_meta "$RUN_DIR" lab "$conn" "$policy" "adaptive-lb $conn $policy"
}

# ---------------------------------------------------------------- peers
start_peer() {
  local kind=$1 dir=$2
  if [ "$kind" = nginx ]; then
    nginx -e "$dir/nginx-error.log" -p "$dir/" -c "$dir/nginx.conf" >"$dir/peer.log" 2>&1 &
  else
    haproxy -db -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid" >"$dir/peer.log" 2>&1 &
  fi
  PEER_PID=$!
  PIDS+=("$PEER_PID")
  local i
  for i in $(seq 1 100); do
    port_open "$PEER_PORT" && return 0
    kill -0 "$PEER_PID" 2>/dev/null || break
    sleep 0.1
  done
  log "$kind did not start: $(tail -3 "$dir/peer.log" | tr '\n' ' ')"
  stop_pid "$PEER_PID"
  return 1
}

# One backends-only lab: roles backends, metrics and dashboard, so /stats shows the backends' counters.
BACKENDS_LAB_PID=""
start_backends_lab() {
  local dir=$1 lead
  lead=$(lead_for_scenario)
  python3 "$HERE/lib/derive.py" "$SCENARIO_FILE" "$dir/lab.json" --roles backends,metrics,dashboard --csv "" \
    --phase-scale "$(phase_scale)" --phase-lead "$lead" --port-offset "$PORT_OFFSET"
  PORTS="$DASH_PORT $BACKEND_PORTS"
  launch_ready "$dir/lab.json" "$dir/lab.log" stats_ready || return 1
  BACKENDS_LAB_PID=$LAB_PID
  BACKENDS_WARM=0
  BACKENDS_LAB_CONFIG="$dir/lab.json"
  BACKENDS_LAUNCH_MS=$LAUNCH_MS
}

stop_backends_lab() {
  if [ -n "$BACKENDS_LAB_PID" ]; then stop_pid "$BACKENDS_LAB_PID"; BACKENDS_LAB_PID=""; fi
}

# measure_through URL DIR: wrk through a peer (or at a backend) with /stats snapshots around it.
measure_through() {
  local url=$1 dir=$2 lead
  lead=$(lead_for_scenario)
  [ "$BACKENDS_LAB_CONFIG" = "$dir/lab.json" ] || cp "$BACKENDS_LAB_CONFIG" "$dir/lab.json"
  LAUNCH_MS=$BACKENDS_LAUNCH_MS
  # nginx and HAProxy need no JIT: only a fresh backends JVM is warmed up, through the first peer.
  if [ "$BACKENDS_WARM" = 0 ] && [ "$WARMUP" -gt 0 ]; then
    warm_up "$url" "$dir"
    # The backends publish their counters once per second: let the warm-up's last second arrive first.
    sleep 1.5
  fi
  BACKENDS_WARM=1
  sleep_until_ms $((LAUNCH_MS + lead * 1000))
  curl -sf "http://127.0.0.1:$DASH_PORT/stats" >"$dir/stats-before.json"
  run_wrk "$url" "$dir"
  # The backends publish their counters once per second: wait for the last second's to arrive.
  sleep 1.5
  curl -sf "http://127.0.0.1:$DASH_PORT/stats" >"$dir/stats-after.json"
}

# A scenario whose backends change over time gets a fresh backends lab per peer (the phase clock must
# start with that peer's run); the others share one backends lab across all peers of a repetition.
run_peer() {
  local spec=$1 kind algo reuse label
  IFS=: read -r kind algo reuse <<<"$spec"
  if [ "$kind" = nginx ]; then
    label="nginx $algo $([ "$reuse" = keepalive ] && echo keepalive || echo no-keepalive)"
  else
    if [ "$reuse" = close ]; then label="haproxy $algo server-close (reuse never)"; else label="haproxy $algo reuse-$reuse"; fi
  fi
  new_run_dir "$kind-$algo-$reuse"
  if [ "$PEER_OWN_BACKENDS" = 1 ]; then start_backends_lab "$RUN_DIR" || return 1; fi
  # shellcheck disable=SC2086 # BACKEND_PORTS is a list of words
  if [ "$kind" = nginx ]; then
    nginx_conf "$RUN_DIR" 2 "$algo" "$([ "$reuse" = keepalive ] && echo on || echo off)" "$PEER_PORT" $BACKEND_PORTS
  else
    haproxy_conf "$RUN_DIR" 2 "$algo" "$reuse" "$PEER_PORT" $BACKEND_PORTS
  fi
  start_peer "$kind" "$RUN_DIR" || { [ "$PEER_OWN_BACKENDS" = 0 ] || stop_backends_lab; return 1; }
  measure_through "http://127.0.0.1:$PEER_PORT/" "$RUN_DIR"
  stop_pid "$PEER_PID"
  [ "$PEER_OWN_BACKENDS" = 0 ] || stop_backends_lab
  write_meta "$RUN_DIR" "$kind" "$reuse" "$algo" "$label"
}

# The ceiling: wrk straight at b1, no proxy at all.
run_direct() {
  local first
  first=${BACKEND_PORTS%% *}
  new_run_dir "direct-b1"
  measure_through "http://127.0.0.1:$first/" "$RUN_DIR"
  write_meta "$RUN_DIR" direct none none "direct b1 (ceiling)"
}

run_peers() {
  local spec
  mkdir -p "$OUT/backends-labs/r$REP-$SCENARIO"
  if [ "$PEER_OWN_BACKENDS" = 0 ] && { [ ${#PEERS[@]} -gt 0 ] || [ "$SCENARIO" = fast ]; }; then
    start_backends_lab "$OUT/backends-labs/r$REP-$SCENARIO" || { log "backends lab failed: skipping peers"; return 0; }
  fi
  for spec in "${PEERS[@]}"; do
    run_peer "$spec" || log "peer $spec failed in $SCENARIO"
  done
  if [ "$SCENARIO" = fast ]; then
    if [ "$PEER_OWN_BACKENDS" = 1 ]; then start_backends_lab "$OUT/backends-labs/r$REP-$SCENARIO" || return 0; fi
    run_direct || log "direct run failed"
  fi
  stop_backends_lab
}

# ---------------------------------------------------------------- the study
for REP in $(seq 1 "$REPEAT"); do
  for SCENARIO in "${SCENARIOS[@]}"; do
    SCENARIO_FILE="$ROOT/conf/scenarios/$SCENARIO.json"
    eval "$(python3 "$HERE/lib/scenario_ports.py" "$SCENARIO_FILE" "$PORT_OFFSET")"
    # A peer run gets its own backends JVM when the phase clock must start with it, or when every
    # configuration is to meet a fresh lab.
    PEER_OWN_BACKENDS=$HAS_PHASES
    [ "$FRESH_BACKENDS" = 0 ] || PEER_OWN_BACKENDS=1
    for conn in "${CONNECTION_MODES[@]}"; do
      for policy in "${POLICIES[@]}"; do
        runs_policy "$conn" "$policy" || continue
        run_lab "$conn" "$policy" || log "adaptive-lb $conn $policy failed in $SCENARIO"
      done
    done
    run_peers
  done
done

# ---------------------------------------------------------------- report
echo "measuring:   $(( $(date +%s) - STARTED )) s (all runs, before the report)" >>"$OUT/settings.txt"
log "all runs done in $(( $(date +%s) - STARTED )) s; writing the report"
CHARTJS_JAR="$HOME/.m2/repository/org/webjars/npm/chart.js/$CHARTJS_VERSION/chart.js-$CHARTJS_VERSION.jar"
if [ ! -f "$CHARTJS_JAR" ]; then
  (cd "$OUT" && mvn -q dependency:get -Dartifact="org.webjars.npm:chart.js:$CHARTJS_VERSION" -Dtransitive=false)
fi
python3 - "$CHARTJS_JAR" "$OUT/chart.umd.js" "$CHARTJS_VERSION" <<'EOF'
import sys, zipfile
src, dst, v = sys.argv[1:4]
with zipfile.ZipFile(src) as z, open(dst, "wb") as f:
    f.write(z.read("META-INF/resources/webjars/chart.js/%s/dist/chart.umd.js" % v))
EOF
cp "$HERE/report/charts.js" "$OUT/charts.js"
PAGES=$(java -cp "$REPORT_CP" io.adaptivelb.report.ReportMain "$OUT")

if ! command -v chromium >/dev/null; then
  log "installing chromium for the PNG charts"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
mkdir -p "$OUT/png"
for page in $PAGES; do
  timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --user-data-dir="$OUT/.chromium" --hide-scrollbars --virtual-time-budget=5000 \
    --window-size=1400,1000 --screenshot="$OUT/png/${page%.html}.png" "file://$OUT/$page" \
    >>"$OUT/chromium.log" 2>&1 || log "chromium failed on $page (see chromium.log)"
done
rm -rf "$OUT/.chromium"
ELAPSED=$(( $(date +%s) - STARTED ))
echo "elapsed:     ${ELAPSED} s" >>"$OUT/settings.txt"
log "done in ${ELAPSED} s: $OUT/summary.md, $OUT/report.html, $OUT/png/"
