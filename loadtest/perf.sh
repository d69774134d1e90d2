#!/usr/bin/env bash
# Proxy overhead side by side: scenario `fast` (backends answer at once), adaptive-lb against
# nginx, HAProxy and wrk straight at one backend, in one run, repetitions interleaved.
#
#   loadtest/perf.sh [--duration SEC] [--repeat N] [--quick] [--out DIR] [--only ID,ID...]
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
# Ports: proxy 21080, dashboard 21081, nginx 21090, HAProxy 21091, backends 22001-22003.
# Per variant: req/s, p50, p99 (wrk done() hook, loadtest/wrk/report.lua), proxy CPU per request (utime +
# stime of the proxy's processes from /proc, around the measured wrk), VmRSS after it, and for adaptive-lb
# the time from launch until the proxy answers 200. Outputs: results.csv (a row per variant and
# repetition), summary.md (the table and the overhead targets), machine.txt, run.log, runs/NN-rR-ID/.
# other_cpu_pct in results.csv: CPU used during the measured wrk by processes this script did not start
# (% of one core): a shared machine's noise, shown per repetition in summary.md.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

DURATION=10
REPEAT=3
OUT=""
ONLY=""
SUMMARY_ONLY=""
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

usage() {
  sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="${2:?--duration needs seconds}"; shift ;;
    --repeat) REPEAT="${2:?--repeat needs N}"; shift ;;
    --quick) DURATION=3; REPEAT=1 ;;
    --out) OUT="${2:?--out needs a folder}"; shift ;;
    --only) ONLY="${2:?--only needs ids}"; shift ;;
    --summary) SUMMARY_ONLY="${2:?--summary needs a folder}"; shift ;;
    -h|--help) usage 0 ;;
    *) echo "perf.sh: unknown option $1" >&2; usage 2 ;;
  esac
  shift
done

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

SELECTED=()
for v in "${VARIANTS[@]}"; do
  id=${v%%|*}
  if [ -z "$ONLY" ] || [[ ",$ONLY," == *",$id,"* ]]; then SELECTED+=("$v"); fi
done
[ ${#SELECTED[@]} -gt 0 ] || { echo "perf.sh: --only matched no variant" >&2; exit 2; }

OUT=${OUT:-$ROOT/loadtest/results/perf-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT/runs"
OUT=$(cd "$OUT" && pwd)
STARTED=$(date +%s)
CLK_TCK=$(getconf CLK_TCK)

# shellcheck source=lib/common.sh
. "$HERE/lib/common.sh"
trap_stop_all

# ---------------------------------------------------------------- tools, jar
install_missing taskset:util-linux

if [ ! -f "$ROOT/target/adaptive-lb.jar" ]; then
  log "target/adaptive-lb.jar missing: mvn -q -DskipTests package"
  (cd "$ROOT" && mvn -q -DskipTests package)
fi
# A copy: other engineers rebuild target/ while this runs.
JAR="$OUT/adaptive-lb.jar"
cp "$ROOT/target/adaptive-lb.jar" "$JAR"

{
  echo "date:      $(date -Is)"
  echo "kernel:    $(uname -srm)"
  echo "cpu:       $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "memory:    $(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
  echo "java:      $(java -version 2>&1 | head -1)  JAVA_OPTS=${PROXY_JAVA_OPTS}"
  echo "nginx:     $(nginx -v 2>&1)"
  echo "haproxy:   $(haproxy -v 2>&1 | head -1)"
  echo "wrk:       $(wrk -v 2>&1 | head -1)"
  echo "git:       $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown) ($(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l) uncommitted paths in the tree)"
  echo "jar:       $(sha256sum "$JAR" | cut -c1-16) (sha256 prefix)"
  echo "command:   loadtest/perf.sh --duration $DURATION --repeat $REPEAT${ONLY:+ --only $ONLY}"
  echo "load:      wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s; warm-up ${LB_WARMUP}s per adaptive-lb JVM, ${PEER_WARMUP}s per nginx/HAProxy/direct"
  echo "placement: proxy under test on CPU $PROXY_CPU (2-core variants: CPUs $BOTH_CPUS); wrk, feed client, backends JVM on CPU $LOAD_CPU"
  echo "backends:  one JVM (roles [backends]) for the whole run, reused by every variant"
} >"$OUT/machine.txt"

# ---------------------------------------------------------------- configs

# lab_conf OUT ROLES POLICY CONNECTION CSV INSTANCES: the fast scenario with our ports.
lab_conf() {
  local out=$1 roles=$2 policy=${3:-round-robin} conn=${4:-persistent} csv=${5:-} instances=${6:-1}
  python3 "$HERE/lib/derive.py" "$ROOT/conf/scenarios/fast.json" "$out" --roles "$roles" \
    --policy "$policy" --connection "$conn" --csv "$csv"
  python3 - "$out" "$PROXY_PORT" "$DASH_PORT" "$instances" "${BACKEND_PORTS[@]}" <<'EOF'
import json, sys
path, proxy, dash, instances, *ports = sys.argv[1:]
with open(path) as f:
    cfg = json.load(f)
for b, port in zip(cfg["backends"], ports):
    b["port"] = int(port)
for b, port in zip(cfg["proxy"]["backends"], ports):
    b["url"] = "http://127.0.0.1:%s" % port
cfg["proxy"]["port"] = int(proxy)
cfg["proxy"]["instances"] = int(instances)
cfg["dashboard"]["port"] = int(dash)
if "backends" not in cfg["roles"]:
    del cfg["backends"]
if "proxy" not in cfg["roles"]:
    del cfg["proxy"]
if "dashboard" not in cfg["roles"]:
    del cfg["dashboard"]
if "metrics" not in cfg["roles"]:
    del cfg["metrics"]
with open(path, "w") as f:
    json.dump(cfg, f, indent=2)
EOF
}

# ---------------------------------------------------------------- measuring
# cpu_ticks PID...: "TOTAL SYS": utime + stime, and stime alone, of each process (all its threads), summed.
cpu_ticks() {
  local pid s f total=0 sys=0
  for pid in "$@"; do
    s=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    s=${s##*) }
    read -r -a f <<<"$s"
    total=$((total + f[11] + f[12]))
    sys=$((sys + f[12]))
  done
  echo "$total $sys"
}
rss_kib() {
  local pid total=0 v
  for pid in "$@"; do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
# CPU of every process but ours, around the measured wrk: `other_cpu snap FILE`, then
# `other_cpu diff FILE PID...` prints the ticks used meanwhile by processes not in PID... (and not us).
other_cpu() {
  python3 - "$@" "$$" <<'EOF'
import glob, json, os, sys
mode, path, *ours = sys.argv[1:]
def ticks():
    t = {}
    for f in glob.glob("/proc/[0-9]*/stat"):
        try:
            s = open(f).read()
        except OSError:
            continue
        head, rest = s.rsplit(") ", 1)
        x = rest.split()
        t[head.split(" ", 1)[0] + ":" + x[19]] = int(x[11]) + int(x[12])  # pid:starttime
    return t
if mode == "snap":
    json.dump(ticks(), open(path, "w"))
else:
    before = json.load(open(path))
    skip = set(ours) | {str(os.getpid()), str(os.getppid())}
    print(sum(v - before.get(k, 0) for k, v in ticks().items() if k.split(":")[0] not in skip))
EOF
}

# The processes that make up the proxy under test: nginx's master and its workers, else the one process.
proxy_pids() {
  local pid=$1
  echo "$pid"
  if [ "$KIND" = nginx ]; then pgrep -P "$pid" || true; fi
}

wrk_at() {
  local url=$1 secs=$2 outf=$3
  timeout $((secs + 60)) taskset -c "$LOAD_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 10s \
    -s "$HERE/wrk/report.lua" "$url" >"$outf" 2>&1 || log "wrk exited non-zero ($outf)"
}

# The dashboard feed, as a browser would hold it open: a WebSocket on /ws read and discarded.
start_feed_client() {
  local dir=$1
  taskset -c "$LOAD_CPU" python3 - "$DASH_PORT" >"$dir/feed.txt" 2>&1 <<'EOF' &
import base64, os, signal, socket, sys
port = int(sys.argv[1])
counts = {"bytes": 0, "frames": 0}
def done(*_):
    print("FEED bytes=%d snapshots=%d" % (counts["bytes"], counts["frames"]), flush=True)
    os._exit(0)
signal.signal(signal.SIGTERM, done)
s = socket.create_connection(("127.0.0.1", port))
key = base64.b64encode(os.urandom(16)).decode()
s.sendall(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (port, key)).encode())
buf = b""
while b"\r\n\r\n" not in buf:
    d = s.recv(4096)
    if not d:
        print("FEED closed before the upgrade", flush=True); sys.exit(1)
    buf += d
if b" 101 " not in buf.split(b"\r\n", 1)[0]:
    print("FEED no upgrade: %r" % buf[:200], flush=True); sys.exit(1)
tail = buf
while True:
    counts["frames"] += tail.count(b'"type":"snapshot"')
    d = s.recv(65536)
    if not d:
        done()
    counts["bytes"] += len(d)
    tail = tail[-20:] + d
EOF
  FEED_PID=$!
  PIDS+=("$FEED_PID")
}

BACKENDS_PID=""
start_backends() {
  local dir="$OUT/backends"
  mkdir -p "$dir"
  lab_conf "$dir/lab.json" backends
  wait_ports_free 60 "${BACKEND_PORTS[@]}"
  taskset -c "$LOAD_CPU" java -jar "$JAR" -conf "$dir/lab.json" >"$dir/lab.log" 2>&1 &
  BACKENDS_PID=$!
  PIDS+=("$BACKENDS_PID")
  local i port
  for port in "${BACKEND_PORTS[@]}"; do
    for i in $(seq 1 600); do
      port_open "$port" && break
      kill -0 "$BACKENDS_PID" 2>/dev/null || { log "backends JVM died: $(tail -3 "$dir/lab.log")"; exit 1; }
      sleep 0.1
    done
  done
  # The backends' JIT: 20 s of load straight at them, split over the three (one code path).
  log "backends JVM up (pid $BACKENDS_PID); warming it for ${LB_WARMUP}s"
  for port in "${BACKEND_PORTS[@]}"; do
    wrk_at "http://127.0.0.1:$port/" $((LB_WARMUP / ${#BACKEND_PORTS[@]} + 1)) "$dir/warmup-$port.txt"
  done
}

# run_variant SPEC: one measured run of one variant; appends a row to results.csv.
run_variant() {
  local spec=$1 id label cpus conn params dir url pid ready_ms="" t0 pids before after requests
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
      wait_ports_free 60 "$PROXY_PORT" "$DASH_PORT" || return 1
      url="http://127.0.0.1:$PROXY_PORT/"
      t0=$(now_ms)
      # shellcheck disable=SC2086
      taskset -c "$cpus" java ${PROXY_JAVA_OPTS} -jar "$JAR" -conf "$dir/lab.json" >"$dir/lab.log" 2>&1 &
      pid=$!
      PIDS+=("$pid")
      local i code
      for i in $(seq 1 3000); do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null || true)
        [ "$code" = 200 ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
      done
      if [ "$code" != 200 ]; then log "adaptive-lb did not answer: $(tail -3 "$dir/lab.log" | tr '\n' ' ')"; stop_pid "$pid"; return 1; fi
      ready_ms=$(($(now_ms) - t0))
      warm=$LB_WARMUP
      [ "$tele" != on ] || start_feed_client "$dir"
      ;;
    nginx|haproxy)
      local a b port
      IFS=, read -r a b <<<"$params"
      if [ "$KIND" = nginx ]; then
        port=$NGINX_PORT
        nginx_conf "$dir" "$a" round_robin "$b" "$port" "${BACKEND_PORTS[@]}"
        wait_ports_free 60 "$port" || return 1
        taskset -c "$cpus" nginx -e "$dir/nginx-error.log" -p "$dir/" -c "$dir/nginx.conf" >"$dir/peer.log" 2>&1 &
      else
        port=$HAPROXY_PORT
        haproxy_conf "$dir" "$a" roundrobin "$b" "$port" "${BACKEND_PORTS[@]}"
        wait_ports_free 60 "$port" || return 1
        taskset -c "$cpus" haproxy -db -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid" >"$dir/peer.log" 2>&1 &
      fi
      pid=$!
      PIDS+=("$pid")
      local i
      for i in $(seq 1 100); do
        port_open "$port" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      port_open "$port" || { log "$KIND did not start: $(tail -3 "$dir/peer.log" | tr '\n' ' ')"; stop_pid "$pid"; return 1; }
      url="http://127.0.0.1:$port/"
      ;;
    direct)
      pid=""
      url="http://127.0.0.1:${BACKEND_PORTS[0]}/"
      ;;
  esac
  echo "$spec" >"$dir/variant.txt"
  wrk_at "$url" "$warm" "$dir/warmup.txt"
  sleep 1
  pids=""
  [ -z "$pid" ] || pids=$(proxy_pids "$pid" | tr '\n' ' ')
  other_cpu snap "$dir/proc-before.json"
  read -r before before_sys <<<"$(cpu_ticks $pids)"
  wrk_at "$url" "$DURATION" "$dir/wrk.txt"
  read -r after after_sys <<<"$(cpu_ticks $pids)"
  local other
  # shellcheck disable=SC2086
  other=$(other_cpu diff "$dir/proc-before.json" $pids $BACKENDS_PID ${FEED_PID:-} 2>/dev/null || echo "")
  rm -f "$dir/proc-before.json"
  local rss=""
  [ -z "$pid" ] || rss=$(rss_kib $pids)
  echo "pids: $pids cpu ticks: $before -> $after (sys $before_sys -> $after_sys) (CLK_TCK $CLK_TCK) rss KiB: $rss" >"$dir/proc.txt"
  if [ -n "$FEED_PID" ]; then stop_pid "$FEED_PID"; feed=$(sed -n 's/^FEED bytes=[0-9]* snapshots=\([0-9]*\).*/\1/p' "$dir/feed.txt"); fi
  [ -z "$pid" ] || stop_pid "$pid"
  if [ -f "$dir/proxy_log.csv" ]; then
    # Rows written (one per request, all runs of this JVM): proof the CSV was on; the file itself is big.
    csv_rows=$(($(wc -l <"$dir/proxy_log.csv") - 1))
    rm -f "$dir/proxy_log.csv"
  fi
  python3 - "$OUT/results.csv" "$dir/wrk.txt" "$REP" "$id" "$label" "$cpus" "$conn" \
    "$((after - before))" "$CLK_TCK" "${rss:-}" "${ready_ms:-}" "${csv_rows:-}" "${feed:-}" "${other:-}" \
    "$((after_sys - before_sys))" <<'EOF'
import csv, json, os, sys
out, wrk, rep, vid, label, cpus, conn, ticks, clk, rss, ready, csv_rows, feed, other, sys_ticks = sys.argv[1:]
data = None
for line in open(wrk):
    if line.startswith("WRK_JSON "):
        data = json.loads(line[len("WRK_JSON "):])
if data is None:
    print("perf.sh: no WRK_JSON line in " + wrk, file=sys.stderr)
    sys.exit(0)
req = data["requests"]
e = data["errors"]
row = {
    "rep": rep, "variant": vid, "label": label,
    "cores": "-" if cpus == "-" else str(len(cpus.split(","))),
    "connection": conn, "requests": req, "duration_s": "%.3f" % (data["duration_us"] / 1e6),
    "rps": "%.1f" % (req / (data["duration_us"] / 1e6)),
    "p50_ms": "%.3f" % (data["latency_us"]["p50"] / 1000), "p99_ms": "%.3f" % (data["latency_us"]["p99"] / 1000),
    "errors": sum(e.values()),
    "cpu_us_per_req": "" if cpus == "-" or not req else "%.2f" % (int(ticks) * 1e6 / int(clk) / req),
    "rss_mib": "" if not rss else "%.1f" % (int(rss) / 1024),
    "ready_ms": ready, "csv_rows": csv_rows, "feed_snapshots": feed,
    "other_cpu_pct": "" if other == "" else "%.1f" % (int(other) * 100 / int(clk) / (data["duration_us"] / 1e6)),
    # The kernel's part of cpu_us_per_req (stime): syscalls and TCP on loopback, which no user-space trick removes.
    "cpu_sys_us_per_req": "" if cpus == "-" or not req else "%.2f" % (int(sys_ticks) * 1e6 / int(clk) / req),
}
new = not os.path.exists(out)
with open(out, "a", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(row))
    if new:
        w.writeheader()
    w.writerow(row)
print("  %s: %s req/s, p50 %s ms, p99 %s ms, %s errors, CPU %s us/req, RSS %s MiB%s" % (
    vid, row["rps"], row["p50_ms"], row["p99_ms"], row["errors"], row["cpu_us_per_req"] or "-",
    row["rss_mib"] or "-", ", ready %s ms" % ready if ready else ""), file=sys.stderr)
EOF
}

# ---------------------------------------------------------------- the run
VARIANT_SECS=0
for v in "${SELECTED[@]}"; do
  case "$v" in *"|lb|"*) VARIANT_SECS=$((VARIANT_SECS + LB_WARMUP + DURATION + 5)) ;;
    *) VARIANT_SECS=$((VARIANT_SECS + PEER_WARMUP + DURATION + 3)) ;; esac
done
log "${#SELECTED[@]} variants x $REPEAT repetition(s), ${DURATION}s each (about $(( (VARIANT_SECS * REPEAT + 40) / 60 + 1 )) min); output $OUT"
start_backends
SEQ=0
for REP in $(seq 1 "$REPEAT"); do
  for v in "${SELECTED[@]}"; do
    run_variant "$v" || log "variant ${v%%|*} failed in repetition $REP"
  done
done
stop_pid "$BACKENDS_PID"
ELAPSED=$(( $(date +%s) - STARTED ))
echo "elapsed:   ${ELAPSED} s" >>"$OUT/machine.txt"

write_summary
log "done in ${ELAPSED} s: $OUT/summary.md, $OUT/results.csv"
