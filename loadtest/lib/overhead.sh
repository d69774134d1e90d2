# Shared by perf.sh and protocols.sh (source it with common.sh, HERE and ROOT set): the options both take
# and the start of a run, the `fast` scenario's backends JVM, the proxies under test started pinned to CPUs,
# the repetitions, and what is measured around a load run (CPU ticks and RSS of the proxy's processes from
# /proc, other processes' CPU). Functions from overhead_begin down want what it sets (OUT, JAR, CLK_TCK).
#
# Settings it reads (the sourcing script sets them): PROXY_PORT DASH_PORT NGINX_PORT BACKEND_PORTS (array),
# LOAD_CPU, THREADS, CONNECTIONS, LB_WARMUP, PROXY_JAVA_OPTS, KIND (lb | nginx | haproxy | direct).
#
#   overhead_option NAME ARG [VALUE] one of the options both scripts take (TAKEN: words read), or --help
#   whole_numbers NAME VALUE...      exit 2 (NAME.sh: ...) unless every VALUE is a whole number
#   offset_ports NAME OFFSET VAR...  the ports in VAR... and BACKEND_PORTS moved by --port-offset OFFSET
#   overhead_begin NAME SPECS [CMD:PKG...]
#                                    after the options: SELECTED, OUT, STARTED, CLK_TCK, stop on exit, tools, JAR
#   run_repetitions FN NOUN          the backends JVM, then FN SPEC per selected spec per repetition; ELAPSED
#   machine_facts                    the machine, tool versions, commit and jar lines of machine.txt
#   lab_conf OUT ROLES POLICY CONNECTION CSV INSTANCES [PROXY_JSON]
#                                    the fast scenario on our ports; PROXY_JSON is merged into "proxy"
#                                    nginx in front of the backends; with TLS_DIR (certs.sh's files):
#                                    `listen ... ssl http2`, TLS 1.2/1.3 as adaptive-lb's
#   start_backends                   one backends JVM for the whole run, warmed (BACKENDS_PID)
#   start_lb DIR CPUS URL [CURL_OPT...]   adaptive-lb from DIR/lab.json, until URL answers 200 (PID, READY_MS)
#   start_nginx DIR CPUS PORT        nginx from DIR/nginx.conf, until PORT listens (PID)
#   start_feed_client DIR            the dashboard's WebSocket feed, read as a browser would (FEED_PID)
#   wrk_at URL SECS OUTFILE          wrk -t$THREADS -c$CONNECTIONS on the load CPU, report.lua's WRK_JSON line
#   proxy_pids PID                   the processes that make up the proxy under test
#   measure_start DIR PIDS / measure_stop DIR PIDS [EXCLUDED_PIDS]
#                                    around a measured load: CPU_TICKS SYS_TICKS OTHER_TICKS RSS_KIB, DIR/proc.txt

# The options overhead_option reads, at their defaults: 10 s per load, 3 repetitions.
DURATION=10
REPEAT=3
OUT=""
ONLY=""
SUMMARY_ONLY=""
PORT_OFFSET=0

# overhead_option NAME ARG [VALUE]: reads one option both scripts take into DURATION, REPEAT, OUT, ONLY,
# PORT_OFFSET or SUMMARY_ONLY (--quick: 3 s x 1 repetition); TAKEN: how many words it read. -h/--help prints
# the script's opening comment and exits 0; any other word prints it after an error and exits 2.
overhead_option() {
  local name=$1
  TAKEN=1
  case "$2" in
    --duration) DURATION="${3:?--duration needs seconds}"; TAKEN=2 ;;
    --repeat) REPEAT="${3:?--repeat needs N}"; TAKEN=2 ;;
    --quick) DURATION=3; REPEAT=1 ;;
    --out) OUT="${3:?--out needs a folder}"; TAKEN=2 ;;
    --only) ONLY="${3:?--only needs ids}"; TAKEN=2 ;;
    --port-offset) PORT_OFFSET="${3:?--port-offset needs N}"; TAKEN=2 ;;
    --summary) SUMMARY_ONLY="${3:?--summary needs a folder}"; TAKEN=2 ;;
    -h|--help) opening_comment; exit 0 ;;
    *) echo "$name.sh: unknown option $2" >&2; opening_comment; exit 2 ;;
  esac
}

# The comment under the running script's #! line: its usage.
opening_comment() {
  sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
}

# whole_numbers NAME VALUE...: exit 2 unless every VALUE is a whole number.
whole_numbers() {
  local name=$1 n
  shift
  for n in "$@"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "$name.sh: not a whole number: $n" >&2; exit 2; }
  done
}

# offset_ports NAME OFFSET VAR...: each port variable named, and every one of BACKEND_PORTS, moved by OFFSET
# (so a run cannot collide with other work on the machine); exit 2 when one would pass 65535.
offset_ports() {
  local name=$1 offset=$2 var i
  shift 2
  for var in "$@"; do printf -v "$var" '%d' $((${!var} + offset)); done
  for i in "${!BACKEND_PORTS[@]}"; do BACKEND_PORTS[i]=$((BACKEND_PORTS[i] + offset)); done
  for var in "$@" "BACKEND_PORTS[@]"; do
    for i in ${!var}; do
      [ "$i" -le 65535 ] || { echo "$name.sh: --port-offset $offset moves ports past 65535" >&2; exit 2; }
    done
  done
}

# overhead_begin NAME SPECS [CMD:PKG...]: the start of a run, once the options are read. SELECTED: the specs
# (id|..., the array named SPECS) whose id --only (ONLY) names, all of them without it. OUT: made with its
# runs/ folder, absolute (default loadtest/results/NAME-<timestamp>). STARTED, CLK_TCK. Every process the run
# starts is stopped on exit; the load tools and CMD:PKG... are installed; JAR is the run's copy of the jar.
overhead_begin() {
  local name=$1 v ids=()
  local -n specs=$2
  shift 2
  SELECTED=()
  for v in "${specs[@]}"; do
    ids+=("${v%%|*}")
    if [ -z "$ONLY" ] || [[ ",$ONLY," == *",${v%%|*},"* ]]; then SELECTED+=("$v"); fi
  done
  [ ${#SELECTED[@]} -gt 0 ] || { echo "$name.sh: --only matched none of $(IFS=,; echo "${ids[*]}")" >&2; exit 2; }
  OUT=${OUT:-$ROOT/loadtest/results/$name-$(date +%Y%m%d-%H%M%S)}
  mkdir -p "$OUT/runs"
  OUT=$(cd "$OUT" && pwd)
  STARTED=$(date +%s)
  CLK_TCK=$(getconf CLK_TCK)
  trap_stop_all
  install_missing "$@"
  copy_jar
}

# run_repetitions FN NOUN: one backends JVM for the whole run, then REPEAT repetitions (the outer loop), each
# FN SPEC for every selected spec in order, with REP and SEQ set for it; one that fails is logged as
# "NOUN ID failed" and the run goes on. ELAPSED after, also as the last line of machine.txt.
run_repetitions() {
  local fn=$1 noun=$2 v
  start_backends
  SEQ=0
  for REP in $(seq 1 "$REPEAT"); do
    for v in "${SELECTED[@]}"; do
      "$fn" "$v" || log "$noun ${v%%|*} failed in repetition $REP"
    done
  done
  stop_pid "$BACKENDS_PID"
  ELAPSED=$(($(date +%s) - STARTED))
  echo "elapsed:   ${ELAPSED} s" >>"$OUT/machine.txt"
}

machine_facts() {
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
}

# ---------------------------------------------------------------- configs

lab_conf() {
  local out=$1 roles=$2 policy=${3:-round-robin} conn=${4:-persistent} csv=${5:-} instances=${6:-1} extra=${7:-"{}"}
  python3 "$HERE/lib/derive.py" "$ROOT/conf/scenarios/fast.json" "$out" --roles "$roles" \
    --policy "$policy" --connection "$conn" --csv "$csv"
  python3 - "$out" "$PROXY_PORT" "$DASH_PORT" "$instances" "$extra" "${BACKEND_PORTS[@]}" <<'EOF'
import json, sys
path, proxy, dash, instances, extra, *ports = sys.argv[1:]
with open(path) as f:
    cfg = json.load(f)
for b, port in zip(cfg["backends"], ports):
    b["port"] = int(port)
for b, port in zip(cfg["proxy"]["backends"], ports):
    b["url"] = "http://127.0.0.1:%s" % port
cfg["proxy"]["port"] = int(proxy)
cfg["proxy"]["instances"] = int(instances)
cfg["proxy"].update(json.loads(extra))
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


# ---------------------------------------------------------------- processes

wrk_at() {
  local url=$1 secs=$2 outf=$3
  timeout $((secs + 60)) taskset -c "$LOAD_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --timeout 10s \
    -s "$HERE/wrk/report.lua" "$url" >"$outf" 2>&1 || log "wrk exited non-zero ($outf)"
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
  # The backends' JIT: LB_WARMUP seconds of load straight at them, split over the three (one code path).
  log "backends JVM up (pid $BACKENDS_PID); warming it for ${LB_WARMUP}s"
  for port in "${BACKEND_PORTS[@]}"; do
    wrk_at "http://127.0.0.1:$port/" $((LB_WARMUP / ${#BACKEND_PORTS[@]} + 1)) "$dir/warmup-$port.txt"
  done
}

# start_lb DIR CPUS URL [CURL_OPT...]: PID and READY_MS (launch until the first 200 on URL); 1 when it never answers.
start_lb() {
  local dir=$1 cpus=$2 url=$3 t0 i code=""
  shift 3
  wait_ports_free 60 "$PROXY_PORT" "$DASH_PORT" || return 1
  t0=$(now_ms)
  # shellcheck disable=SC2086
  taskset -c "$cpus" java ${PROXY_JAVA_OPTS} -jar "$JAR" -conf "$dir/lab.json" >"$dir/lab.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  for i in $(seq 1 3000); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$@" "$url" 2>/dev/null || true)
    [ "$code" = 200 ] && break
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.02
  done
  if [ "$code" != 200 ]; then log "adaptive-lb did not answer: $(tail -3 "$dir/lab.log" | tr '\n' ' ')"; stop_pid "$PID"; return 1; fi
  READY_MS=$(($(now_ms) - t0))
}

# start_nginx DIR CPUS PORT: PID (nginx's master, in the foreground).
start_nginx() {
  local dir=$1 cpus=$2 port=$3 i
  wait_ports_free 60 "$port" || return 1
  taskset -c "$cpus" nginx -e "$dir/nginx-error.log" -p "$dir/" -c "$dir/nginx.conf" >"$dir/peer.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  wait_listening "$port" "$PID" "$dir/peer.log" nginx
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

# ---------------------------------------------------------------- measuring

# The processes that make up the proxy under test: nginx's master and its workers, else the one process.
proxy_pids() {
  local pid=$1
  echo "$pid"
  if [ "$KIND" = nginx ]; then pgrep -P "$pid" || true; fi
}

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

# CPU of every process but ours, around the measured load: `other_cpu snap FILE`, then
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

# measure_start DIR "PIDS": snapshots before the measured load.
measure_start() {
  local dir=$1
  # shellcheck disable=SC2086
  other_cpu snap "$dir/proc-before.json"
  # shellcheck disable=SC2086
  read -r MEASURE_T0 MEASURE_S0 <<<"$(cpu_ticks $2)"
}

# measure_stop DIR "PIDS" ["EXCLUDED"]: CPU_TICKS, SYS_TICKS (the proxy's, since measure_start), OTHER_TICKS
# (every process but the proxy's, ours and EXCLUDED: a shared machine's noise), RSS_KIB; DIR/proc.txt says them.
measure_stop() {
  local dir=$1 pids=$2 excluded=${3:-} t1 s1
  # shellcheck disable=SC2086
  read -r t1 s1 <<<"$(cpu_ticks $pids)"
  CPU_TICKS=$((t1 - MEASURE_T0))
  SYS_TICKS=$((s1 - MEASURE_S0))
  # shellcheck disable=SC2086
  OTHER_TICKS=$(other_cpu diff "$dir/proc-before.json" $pids $excluded 2>/dev/null || echo "")
  rm -f "$dir/proc-before.json"
  RSS_KIB=""
  # shellcheck disable=SC2086
  [ -z "$pids" ] || RSS_KIB=$(rss_kib $pids)
  echo "pids: $pids cpu ticks: $MEASURE_T0 -> $t1 (sys $MEASURE_S0 -> $s1) (CLK_TCK $CLK_TCK) rss KiB: $RSS_KIB" >>"$dir/proc.txt"
}
