#!/usr/bin/env bash
# Proxy overhead over TLS and HTTP/2, side by side: adaptive-lb with proxy.tls (+ http2) against nginx with
# `listen ssl http2`, the same certificate and key (made with openssl in the run folder), in front of the same
# `fast` backends (they answer at once), in one run, repetitions interleaved. Each proxy gets two loads:
# wrk over https (HTTP/1.1 keep-alive, TLS 1.3) and h2load over h2 (ALPN, streams multiplexed).
#
#   loadtest/protocols.sh [--duration SEC] [--repeat N] [--quick] [--out DIR] [--only ID,ID...]
#                         [--port-offset N] [--h2-requests N]
#   loadtest/protocols.sh --summary DIR      (rewrite DIR/summary.md from DIR/results.csv)
#
# Defaults: 10 s per load, 3 repetitions, output in loadtest/results/protocols-<timestamp>/; --quick = 3 s x 1.
# Loads: wrk -t2 -c100 over https; h2load -t1 -c10 -m10 (100 streams in flight, as wrk's 100 connections)
# for the same duration (-D), or -n N with --h2-requests N. Proxies (--only picks): lb (adaptive-lb
# round-robin, telemetry on: roles proxy, metrics, dashboard with the CSV and a dashboard feed client, as
# perf.sh's lb-rr), lb-off (telemetry off), nginx (1 worker, upstream keepalive). Each adaptive-lb JVM gets
# PERF_LB_WARMUP (20) s of unmeasured load first, half wrk and half h2load; nginx PERF_PEER_WARMUP (2) s each.
# Both proxies keep client connections for as many requests as the run sends (nginx: keepalive_requests
# raised from its default 1000, which would close h2load's connections mid-run; adaptive-lb has no cap).
#
# CPU placement (taskset): the proxy under test on CPU 0; wrk/h2load, the feed client and the backends JVM on
# CPU 1. Ports: adaptive-lb 21180 (TLS), dashboard 21181, nginx 21190 (TLS), backends 22101-22103;
# --port-offset N moves every one by N. Measured per load: req/s, p50/p99 (wrk's report.lua; h2load's
# --log-file), CPU per request of the proxy's processes (utime + stime from /proc around the load), VmRSS
# after it, the TLS version and cipher negotiated, and CPU used meanwhile by processes not ours. The summary
# gives CPU per request adaptive-lb ÷ nginx per protocol, per repetition and over the medians, against the
# target: over TLS within 1.3x nginx's. Outputs: results.csv, summary.md, machine.txt, run.log, runs/, tls/.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
# shellcheck source=lib/overhead.sh
. "$HERE/lib/overhead.sh"
# shellcheck source=lib/certs.sh
. "$HERE/lib/certs.sh"

H2_REQUESTS=0
THREADS=2
CONNECTIONS=100
H2_CLIENTS=10
H2_STREAMS=10
LB_WARMUP=${PERF_LB_WARMUP:-20}
PEER_WARMUP=${PERF_PEER_WARMUP:-2}
PROXY_JAVA_OPTS=${JAVA_OPTS--Xms64m -Xmx256m}
PROXY_CPU=0
LOAD_CPU=1
PROXY_PORT=21180
DASH_PORT=21181
NGINX_PORT=21190
BACKEND_PORTS=(22101 22102 22103)

# id|label|kind|parameters (lb: telemetry on/off; nginx: workers)
PROXIES=(
  "lb|adaptive-lb round-robin, telemetry on|lb|on"
  "lb-off|adaptive-lb round-robin, telemetry off|lb|off"
  "nginx|nginx 1 worker, keepalive|nginx|1"
)

while [ $# -gt 0 ]; do
  case "$1" in
    --h2-requests) H2_REQUESTS="${2:?--h2-requests needs N}"; TAKEN=2 ;;
    *) overhead_option protocols "$@" ;;
  esac
  shift "$TAKEN"
done
whole_numbers protocols "$DURATION" "$REPEAT" "$PORT_OFFSET" "$H2_REQUESTS" "$LB_WARMUP" "$PEER_WARMUP"

if [ -n "$SUMMARY_ONLY" ]; then
  python3 "$HERE/lib/protocols_summary.py" "$SUMMARY_ONLY"
  exit 0
fi

offset_ports protocols "$PORT_OFFSET" PROXY_PORT DASH_PORT NGINX_PORT
overhead_begin protocols PROXIES taskset:util-linux h2load:nghttp2-client openssl:openssl
TLS="$OUT/tls"
make_certs "$TLS"

if [ "$H2_REQUESTS" -gt 0 ]; then H2_AMOUNT=(-n "$H2_REQUESTS"); else H2_AMOUNT=(-D "$DURATION"); fi
{
  machine_facts
  echo "h2load:    $(h2load --version 2>&1 | head -1)"
  echo "openssl:   $(openssl version)"
  echo "command:   loadtest/protocols.sh --duration $DURATION --repeat $REPEAT${ONLY:+ --only $ONLY}$([ "$PORT_OFFSET" = 0 ] || echo " --port-offset $PORT_OFFSET")$([ "$H2_REQUESTS" = 0 ] || echo " --h2-requests $H2_REQUESTS")"
  echo "load:      wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s https://...; h2load -t1 -c$H2_CLIENTS -m$H2_STREAMS ${H2_AMOUNT[*]} https://...; warm-up ${LB_WARMUP}s per adaptive-lb JVM, ${PEER_WARMUP}s per load for nginx"
  echo "tls:       one EC P-256 certificate and key for both proxies (tls/server.pem), TLS 1.2 and 1.3 enabled on both"
  echo "placement: proxy under test on CPU $PROXY_CPU; wrk/h2load, feed client, backends JVM on CPU $LOAD_CPU"
  echo "ports:     adaptive-lb $PROXY_PORT, dashboard $DASH_PORT, nginx $NGINX_PORT, backends ${BACKEND_PORTS[*]}"
  echo "backends:  one JVM (roles [backends], scenario fast) for the whole run, reused by every proxy"
} >"$OUT/machine.txt"

# h2load_at URL OUTFILE LOGFILE [AMOUNT...]: h2 load on the load CPU (AMOUNT: -D SEC or -n N).
h2load_at() {
  local url=$1 outf=$2 logf=$3
  shift 3
  timeout $((DURATION + 120)) taskset -c "$LOAD_CPU" h2load -t1 -c"$H2_CLIENTS" -m"$H2_STREAMS" "$@" \
    ${logf:+--log-file="$logf"} "$url" >"$outf" 2>&1 || log "h2load exited non-zero ($outf)"
}

# negotiated URL ALPN: "TLSv1.3 TLS_AES_256_GCM_SHA384" as openssl's client (wrk's and h2load's library) gets it.
negotiated() {
  local hostport=${1#https://}
  hostport=${hostport%%/*}
  openssl s_client -connect "$hostport" -servername localhost -alpn "$2" </dev/null 2>/dev/null \
    | sed -n 's/^New, \(TLSv[0-9.]*\), Cipher is \(.*\)$/\1 \2/p' | head -1
}

# measured DIR LOAD ID-SUFFIX: one measured load (wrk over https or h2load) at URL; a row in results.csv.
measured() {
  local dir=$1 load=$2 row_id=$3 output tls alpn
  mkdir -p "$dir"
  sleep 1
  measure_start "$dir" "$PIDLIST"
  if [ "$load" = https ]; then
    wrk_at "$URL" "$DURATION" "$dir/wrk.txt"
    output="$dir/wrk.txt"
    alpn=http/1.1
  else
    h2load_at "$URL" "$dir/h2load.txt" "$dir/h2load-requests.tsv" "${H2_AMOUNT[@]}"
    output="$dir/h2load.txt"
    alpn=h2
  fi
  measure_stop "$dir" "$PIDLIST" "$BACKENDS_PID ${FEED_PID:-}"
  tls=$(negotiated "$URL" "$alpn")
  python3 "$HERE/lib/perf_row.py" "$OUT/results.csv" "$output" --tool "$([ "$load" = https ] && echo wrk || echo h2load)" \
    --rep "$REP" --variant "$row_id" --label "$LABEL" --cpus "$PROXY_CPU" --connection persistent \
    --ticks "$CPU_TICKS" --sys-ticks "$SYS_TICKS" --clk "$CLK_TCK" --rss "$RSS_KIB" --ready "$READY" \
    --other "$OTHER_TICKS" --h2load-log "$dir/h2load-requests.tsv" \
    --extra "proxy=$PROXY_ID" --extra "protocol=$load" --extra "tls=$tls"
  rm -f "$dir/h2load-requests.tsv" # a line per request: the quantiles are in the row
}

# run_proxy SPEC: one proxy started, warmed, measured over https then h2, stopped.
run_proxy() {
  local spec=$1 kind params dir pid warm
  IFS='|' read -r PROXY_ID LABEL kind params <<<"$spec"
  KIND=$kind
  SEQ=$((SEQ + 1))
  dir="$OUT/runs/$(printf '%02d' "$SEQ")-r$REP-$PROXY_ID"
  mkdir -p "$dir"
  log "rep $REP/$REPEAT: $LABEL"
  FEED_PID=""
  READY=""
  local tls_json="{\"tls\": {\"cert\": \"$TLS/server.pem\", \"key\": \"$TLS/server-key.pem\"}, \"http2\": true}"
  if [ "$kind" = lb ]; then
    local roles=proxy csv=""
    if [ "$params" = on ]; then roles=proxy,metrics,dashboard; csv="$dir/proxy_log.csv"; fi
    lab_conf "$dir/lab.json" "$roles" round-robin persistent "$csv" 1 "$tls_json"
    URL="https://127.0.0.1:$PROXY_PORT/"
    start_lb "$dir" "$PROXY_CPU" "$URL" -k || return 1
    pid=$PID
    READY=$READY_MS
    warm=$(( LB_WARMUP > 1 ? LB_WARMUP / 2 : 1 ))
    [ "$params" != on ] || start_feed_client "$dir"
  else
    NGINX_TLS_DIR="$TLS" nginx_conf "$dir" "$params" round_robin on "$NGINX_PORT" "${BACKEND_PORTS[@]}"
    start_nginx "$dir" "$PROXY_CPU" "$NGINX_PORT" || return 1
    pid=$PID
    URL="https://127.0.0.1:$NGINX_PORT/"
    warm=$(( PEER_WARMUP > 0 ? PEER_WARMUP : 1 ))
  fi
  echo "$spec" >"$dir/proxy.txt"
  wrk_at "$URL" "$warm" "$dir/warmup-https.txt"
  h2load_at "$URL" "$dir/warmup-h2.txt" "" -D "$warm"
  PIDLIST=$(proxy_pids "$pid" | tr '\n' ' ')
  measured "$dir/https" https "$PROXY_ID-tls"
  measured "$dir/h2" h2 "$PROXY_ID-h2"
  if [ -n "$FEED_PID" ]; then stop_pid "$FEED_PID"; fi
  stop_pid "$pid"
  rm -f "$dir/proxy_log.csv" # one row per request: big, and only proof the telemetry was on
}

PER_REP=0
for v in "${SELECTED[@]}"; do
  case "$v" in *"|lb|"*) PER_REP=$((PER_REP + LB_WARMUP + 2 * DURATION + 10)) ;;
    *) PER_REP=$((PER_REP + 2 * PEER_WARMUP + 2 * DURATION + 6)) ;; esac
done
log "${#SELECTED[@]} proxies x 2 loads x $REPEAT repetition(s), ${DURATION}s each (about $(( (PER_REP * REPEAT + LB_WARMUP + 30) / 60 + 1 )) min); output $OUT"
run_repetitions run_proxy proxy
python3 "$HERE/lib/protocols_summary.py" "$OUT"
log "done in ${ELAPSED} s: $OUT/summary.md, $OUT/results.csv"
