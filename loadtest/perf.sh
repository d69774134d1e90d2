#!/usr/bin/env bash
# Proxy overhead side by side: scenario `fast` (backends answer at once), adaptive-lb against
# nginx, HAProxy and wrk straight at one backend, in one run, repetitions interleaved.
#
#   loadtest/perf.sh [--duration SEC] [--repeat N] [--quick] [--out DIR] [--only ID,ID...] [--port-offset N]
#   loadtest/perf.sh --summary DIR      (rewrite DIR/summary.md from DIR/results.csv)
#
# Defaults: wrk -t2 -c100 -d10s per variant, 3 repetitions (the outer loop: every variant once per
# repetition), output in loadtest/results/perf-<timestamp>/. --quick = 3 s x 1 repetition. --only runs a
# subset of the variant ids (see VARIANTS below; for trials). Every fresh adaptive-lb JVM gets 20 s of
# unmeasured wrk load first (C2 needs it), nginx/HAProxy 2 s (PERF_LB_WARMUP, PERF_PEER_WARMUP override
# them for trials). JAVA_OPTS is passed to the proxy JVM; unset, it is the README's recommended heap
# (-Xms64m -Xmx256m: the default heap, a quarter of RAM, lets G1 grow to ~400 MiB resident with 2 instances).
#
# CPU placement (taskset): the proxy under test on CPU 0, wrk, the dashboard-feed client and the backends
# JVM on CPU 1; "2 cores" variants (nginx auto, HAProxy nbthread 2, adaptive-lb 2 instances) get CPUs 0,1.
# Ports: proxy 21080, dashboard 21081, nginx 21090, HAProxy 21091, backends 22001-22003; --port-offset N moves
# every one of them by N (so a run cannot collide with other work on the machine).
# Per variant: req/s, p50, p99 (wrk done() hook, loadtest/wrk/report.lua), proxy CPU per request (utime +
# stime of the proxy's processes from /proc, around the measured wrk), VmRSS after it, and for adaptive-lb
# the time from launch until the proxy answers 200. Outputs: results.csv (a row per variant and
# repetition), summary.md (the table and the overhead targets), machine.txt, run.log, runs/NN-rR-ID/.
# other_cpu_pct in results.csv: CPU used during the measured wrk by processes this script did not start
# (% of one core): a shared machine's noise, shown per repetition in summary.md.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
# shellcheck source=lib/overhead.sh
. "$HERE/lib/overhead.sh"

THREADS=2
CONNECTIONS=100
LB_WARMUP=${PERF_LB_WARMUP:-20}
PROXY_JAVA_OPTS=${JAVA_OPTS--Xms64m -Xmx256m}
PEER_WARMUP=${PERF_PEER_WARMUP:-2}
PROXY_CPU=0
LOAD_CPU=1
BOTH_CPUS=0,1
PROXY_PORT=21080
DASH_PORT=21081
NGINX_PORT=21090
HAPROXY_PORT=21091
BACKEND_PORTS=(22001 22002 22003)

# id|label|cpus|connection|kind|parameters (kind lb: policy,connection,telemetry,instances; nginx: workers,
# keepalive; haproxy: nbthread,reuse; direct: -). connection = what the proxy does upstream.
VARIANTS=(
  "lb-rr|adaptive-lb round-robin, telemetry on|0|persistent|lb|round-robin,persistent,on,1"
  "lb-p2c|adaptive-lb p2c-peak-ewma, telemetry on|0|persistent|lb|p2c-peak-ewma,persistent,on,1"
  "lb-rr-off|adaptive-lb round-robin, telemetry off|0|persistent|lb|round-robin,persistent,off,1"
  "lb-p2c-off|adaptive-lb p2c-peak-ewma, telemetry off|0|persistent|lb|p2c-peak-ewma,persistent,off,1"
  "lb-rr-2i|adaptive-lb round-robin, telemetry on, 2 instances|0,1|persistent|lb|round-robin,persistent,on,2"
  "nginx-1|nginx 1 worker, keepalive|0|persistent|nginx|1,on"
  "nginx-auto|nginx auto workers, keepalive|0,1|persistent|nginx|auto,on"
  "haproxy-1|HAProxy nbthread 1, http-reuse safe|0|persistent|haproxy|1,safe"
  "haproxy-2|HAProxy nbthread 2, http-reuse safe|0,1|persistent|haproxy|2,safe"
  "haproxy-1-never|HAProxy nbthread 1, http-reuse never (server connection kept per client connection)|0|persistent|haproxy|1,never"
  "lb-np|adaptive-lb non-persistent round-robin, telemetry on|0|non-persistent|lb|round-robin,non-persistent,on,1"
  "nginx-1-close|nginx 1 worker, no keepalive|0|non-persistent|nginx|1,off"
  "haproxy-1-close|HAProxy nbthread 1, http-server-close|0|non-persistent|haproxy|1,close"
  "direct|wrk straight at b1 (ceiling)|-|none|direct|-"
)

while [ $# -gt 0 ]; do
  overhead_option perf "$@"
  shift "$TAKEN"
done
whole_numbers perf "$DURATION" "$REPEAT" "$PORT_OFFSET"
offset_ports perf "$PORT_OFFSET" PROXY_PORT DASH_PORT NGINX_PORT HAPROXY_PORT

# ---------------------------------------------------------------- summary (from results.csv)
write_summary() {
python3 - "$OUT" "$ELAPSED" <<'EOF'
import csv, re, statistics, sys
out, elapsed = sys.argv[1], int(sys.argv[2])
try:
    rows = list(csv.DictReader(open(out + "/results.csv")))
except FileNotFoundError:
    print("perf.sh: no results", file=sys.stderr); sys.exit(1)
machine = open(out + "/machine.txt").read()
order, by = [], {}
for r in rows:
    if r["variant"] not in by:
        order.append(r["variant"]); by[r["variant"]] = []
    by[r["variant"]].append(r)

def med(v, key):
    xs = [float(r[key]) for r in by[v] if r[key] != ""]
    return statistics.median(xs) if xs else None

info = {}
for v in order:
    r0 = by[v][0]
    info[v] = dict(label=r0["label"], cores=r0["cores"], conn=r0["connection"], rps=med(v, "rps"),
                   rmin=min(float(r["rps"]) for r in by[v]), rmax=max(float(r["rps"]) for r in by[v]),
                   p50=med(v, "p50_ms"), p99=med(v, "p99_ms"), cpu=med(v, "cpu_us_per_req"),
                   sys=med(v, "cpu_sys_us_per_req") if "cpu_sys_us_per_req" in r0 else None,
                   rss=max((float(r["rss_mib"]) for r in by[v] if r["rss_mib"]), default=None),
                   ready=med(v, "ready_ms"), errors=sum(int(r["errors"]) for r in by[v]), n=len(by[v]))
peer = lambda v: v.startswith(("nginx", "haproxy"))
def best_peer(conn, cores=None):
    c = [v for v in order if peer(v) and info[v]["conn"] == conn and (cores is None or info[v]["cores"] == cores)]
    return max(c, key=lambda v: info[v]["rps"]) if c else None
ceiling = info.get("direct", {}).get("rps")

def f(x, fmt="%.2f"):
    return "–" if x is None else fmt % x
def n0(x):
    return "–" if x is None else "{:,.0f}".format(x)

lines = []
lines.append("| variant | cores | req/s median (min–max) | p50 ms | p99 ms | CPU µs/req | of it kernel | RSS MiB | ready ms | ÷ best peer | ÷ ceiling | errors |")
lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for v in order:
    i = info[v]
    bp = best_peer(i["conn"]) if i["conn"] != "none" else None
    ratio = "%.2f" % (i["rps"] / info[bp]["rps"]) if bp else "–"
    if bp == v:
        ratio = "1.00 (best)"
    cores = {"1": "1 core", "2": "2 cores", "-": "–"}[i["cores"]]
    lines.append("| %s | %s | %s (%s–%s) | %s | %s | %s | %s | %s | %s | %s | %s | %d |" % (
        i["label"], cores, n0(i["rps"]), n0(i["rmin"]), n0(i["rmax"]), f(i["p50"]), f(i["p99"]),
        f(i["cpu"], "%.1f"), f(i["sys"], "%.1f"), f(i["rss"], "%.0f"), n0(i["ready"]), ratio,
        "%.2f" % (i["rps"] / ceiling) if ceiling else "–", i["errors"]))

tele = []
for on, off, name in (("lb-rr", "lb-rr-off", "round-robin"), ("lb-p2c", "lb-p2c-off", "p2c-peak-ewma")):
    if on in info and off in info:
        tele.append((name, info[on]["rps"] / info[off]["rps"]))

targets = []
def mark(ok):
    return "**met**" if ok else "**missed**"
lb_on = [v for v in ("lb-rr", "lb-p2c") if v in info]
bp = best_peer("persistent")
if lb_on and bp:
    best = max(lb_on, key=lambda v: info[v]["rps"])
    b, p = info[best], info[bp]
    targets.append("- req/s ≥ best peer: %s %s vs %s %s = %.2f → %s" % (
        b["label"], n0(b["rps"]), p["label"], n0(p["rps"]), b["rps"] / p["rps"], mark(b["rps"] >= p["rps"])))
    bp1 = best_peer("persistent", "1")
    if bp1 and bp1 != bp:
        p1 = info[bp1]
        targets.append("  - one core each (same CPU budget): vs %s %s = %.2f → %s" % (
            p1["label"], n0(p1["rps"]), b["rps"] / p1["rps"], mark(b["rps"] >= p1["rps"])))
    lo = min((v for v in order if peer(v) and info[v]["conn"] == "persistent"), key=lambda v: info[v]["p99"])
    targets.append("- p99 ≤ the peers' (lowest persistent peer p99): %s ms vs %s ms (%s) → %s" % (
        f(b["p99"]), f(info[lo]["p99"]), info[lo]["label"], mark(b["p99"] <= info[lo]["p99"])))
    if b["cpu"] is not None and p["cpu"] is not None:
        targets.append("- CPU per request ≤ best peer's: %.1f µs vs %.1f µs → %s" % (b["cpu"], p["cpu"], mark(b["cpu"] <= p["cpu"])))
for name, r in tele:
    targets.append("- telemetry costs ≤ 5%% of req/s (%s): on ÷ off = %.3f (%+.1f%%) → %s" % (name, r, (r - 1) * 100, mark(r >= 0.95)))
if "lb-np" in info and "nginx-1-close" in info:
    a, n = info["lb-np"], info["nginx-1-close"]
    targets.append("- non-persistent ≥ nginx no-keepalive: %s vs %s = %.2f → %s" % (
        n0(a["rps"]), n0(n["rps"]), a["rps"] / n["rps"], mark(a["rps"] >= n["rps"])))
lbs = [v for v in order if v.startswith("lb")]
rss = [info[v]["rss"] for v in lbs if info[v]["rss"] is not None]
rss1 = [info[v]["rss"] for v in lbs if info[v]["rss"] is not None and info[v]["cores"] == "1"]
if rss:
    targets.append("- resident memory ≤ 256 MiB at 100 connections: largest %.0f MiB%s → %s" % (
        max(rss), " (1 instance: largest %.0f MiB)" % max(rss1) if rss1 and max(rss1) != max(rss) else "",
        mark(max(rss) <= 256)))
ready = [float(r["ready_ms"]) for v in lbs for r in by[v] if r["ready_ms"]]
if ready:
    targets.append("- ready < 2 s after start: median %s ms, slowest %s ms → %s" % (
        n0(statistics.median(ready)), n0(max(ready)), mark(max(ready) < 2000)))

md = []
md.append("## Proxy overhead: scenario fast (loadtest/perf.sh)\n")
for key in ("command", "load", "placement", "backends", "git", "jar"):
    for l in machine.splitlines():
        if l.startswith(key + ":"):
            md.append("- " + re.sub(" +", " ", l))
md.append("- repetitions per variant: %d; run took %d s\n" % (max(i["n"] for i in info.values()), elapsed))
md += lines
md.append("")
md.append("Medians over the repetitions (req/s also min–max); RSS is the largest VmRSS after the measured wrk "
          "(nginx: master + workers summed); CPU µs/req = utime+stime of the proxy's processes during the "
          "measured wrk ÷ requests, \"of it kernel\" its stime part; ÷ best peer = against the best nginx/HAProxy variant with the same upstream "
          "connection mode (any cores); ÷ ceiling = against wrk straight at b1; ready = launch until the "
          "first 200 through the proxy (median).\n")
reps = sorted({r["rep"] for r in rows}, key=int)
if rows and "other_cpu_pct" in rows[0]:
    per = []
    for rp in reps:
        xs = [float(r["other_cpu_pct"]) for r in rows if r["rep"] == rp and r["other_cpu_pct"] != ""]
        if xs:
            per.append("rep %s median %.0f%%, max %.0f%%" % (rp, statistics.median(xs), max(xs)))
    if per:
        md.append("CPU used by other processes during the measured runs (% of one core; not ours): " + "; ".join(per) + "\n")
if tele:
    md.append("Telemetry cost (req/s on ÷ off): " + ", ".join("%s %.3f" % t for t in tele) + "\n")
if targets:
    md.append("Overhead targets:\n")
    md += targets
text = "\n".join(md) + "\n"
open(out + "/summary.md", "w").write(text)
print(text)
EOF
}

if [ -n "$SUMMARY_ONLY" ]; then
  OUT=$(cd "$SUMMARY_ONLY" && pwd)
  ELAPSED=$(sed -n 's/^elapsed: *\([0-9]*\).*/\1/p' "$OUT/machine.txt" | tail -1)
  write_summary
  exit 0
fi

overhead_begin perf VARIANTS taskset:util-linux

{
  machine_facts
  echo "command:   loadtest/perf.sh --duration $DURATION --repeat $REPEAT${ONLY:+ --only $ONLY}$([ "$PORT_OFFSET" = 0 ] || echo " --port-offset $PORT_OFFSET")"
  echo "load:      wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; warm-up ${LB_WARMUP}s per adaptive-lb JVM, ${PEER_WARMUP}s per nginx/HAProxy/direct"
  echo "placement: proxy under test on CPU $PROXY_CPU (2-core variants: CPUs $BOTH_CPUS); wrk, feed client, backends JVM on CPU $LOAD_CPU"
  echo "ports:     proxy $PROXY_PORT, dashboard $DASH_PORT, nginx $NGINX_PORT, HAProxy $HAPROXY_PORT, backends ${BACKEND_PORTS[*]}"
  echo "backends:  one JVM (roles [backends]) for the whole run, reused by every variant"
} >"$OUT/machine.txt"

# ---------------------------------------------------------------- configs (lab_conf: lib/overhead.sh; nginx_conf, haproxy_conf: lib/common.sh)


# run_variant SPEC: one measured run of one variant; appends a row to results.csv.
run_variant() {
  local spec=$1 id label cpus conn params dir url pid="" ready_ms=""
  IFS='|' read -r id label cpus conn KIND params <<<"$spec"
  SEQ=$((SEQ + 1))
  dir="$OUT/runs/$(printf '%02d' "$SEQ")-r$REP-$id"
  mkdir -p "$dir"
  log "rep $REP/$REPEAT: $label"
  FEED_PID=""
  local warm=$PEER_WARMUP csv_rows="" feed=""
  case "$KIND" in
    lb)
      local policy lconn tele inst roles csv=""
      IFS=, read -r policy lconn tele inst <<<"$params"
      roles=proxy
      if [ "$tele" = on ]; then roles=proxy,metrics,dashboard; csv="$dir/proxy_log.csv"; fi
      lab_conf "$dir/lab.json" "$roles" "$policy" "$lconn" "$csv" "$inst"
      url="http://127.0.0.1:$PROXY_PORT/"
      start_lb "$dir" "$cpus" "$url" || return 1
      pid=$PID
      ready_ms=$READY_MS
      warm=$LB_WARMUP
      [ "$tele" != on ] || start_feed_client "$dir"
      ;;
    nginx)
      local workers keepalive
      IFS=, read -r workers keepalive <<<"$params"
      nginx_conf "$dir" "$workers" round_robin "$keepalive" "$NGINX_PORT" "${BACKEND_PORTS[@]}"
      start_nginx "$dir" "$cpus" "$NGINX_PORT" || return 1
      pid=$PID
      url="http://127.0.0.1:$NGINX_PORT/"
      ;;
    haproxy)
      local nbthread reuse
      IFS=, read -r nbthread reuse <<<"$params"
      haproxy_conf "$dir" "$nbthread" roundrobin "$reuse" "$HAPROXY_PORT" "${BACKEND_PORTS[@]}"
      wait_ports_free 60 "$HAPROXY_PORT" || return 1
      taskset -c "$cpus" haproxy -db -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid" >"$dir/peer.log" 2>&1 &
      pid=$!
      PIDS+=("$pid")
      wait_listening "$HAPROXY_PORT" "$pid" "$dir/peer.log" HAProxy || return 1
      url="http://127.0.0.1:$HAPROXY_PORT/"
      ;;
    direct)
      url="http://127.0.0.1:${BACKEND_PORTS[0]}/"
      ;;
  esac
  echo "$spec" >"$dir/variant.txt"
  wrk_at "$url" "$warm" "$dir/warmup.txt"
  sleep 1
  local pids=""
  [ -z "$pid" ] || pids=$(proxy_pids "$pid" | tr '\n' ' ')
  measure_start "$dir" "$pids"
  wrk_at "$url" "$DURATION" "$dir/wrk.txt"
  measure_stop "$dir" "$pids" "$BACKENDS_PID ${FEED_PID:-}"
  if [ -n "$FEED_PID" ]; then stop_pid "$FEED_PID"; feed=$(sed -n 's/^FEED bytes=[0-9]* snapshots=\([0-9]*\).*/\1/p' "$dir/feed.txt"); fi
  [ -z "$pid" ] || stop_pid "$pid"
  if [ -f "$dir/proxy_log.csv" ]; then
    # Rows written (one per request, all runs of this JVM): proof the CSV was on; the file itself is big.
    csv_rows=$(($(wc -l <"$dir/proxy_log.csv") - 1))
    rm -f "$dir/proxy_log.csv"
  fi
  python3 "$HERE/lib/perf_row.py" "$OUT/results.csv" "$dir/wrk.txt" --tool wrk --rep "$REP" --variant "$id" \
    --label "$label" --cpus "$cpus" --connection "$conn" --ticks "$CPU_TICKS" --sys-ticks "$SYS_TICKS" \
    --clk "$CLK_TCK" --rss "$RSS_KIB" --ready "$ready_ms" --csv-rows "$csv_rows" --feed "$feed" --other "$OTHER_TICKS"
}

# ---------------------------------------------------------------- the run
VARIANT_SECS=0
for v in "${SELECTED[@]}"; do
  case "$v" in *"|lb|"*) VARIANT_SECS=$((VARIANT_SECS + LB_WARMUP + DURATION + 5)) ;;
    *) VARIANT_SECS=$((VARIANT_SECS + PEER_WARMUP + DURATION + 3)) ;; esac
done
log "${#SELECTED[@]} variants x $REPEAT repetition(s), ${DURATION}s each (about $(( (VARIANT_SECS * REPEAT + 40) / 60 + 1 )) min); output $OUT"
run_repetitions run_variant variant
write_summary
log "done in ${ELAPSED} s: $OUT/summary.md, $OUT/results.csv"
