# Shared by slow.sh and soak.sh: one bundled lab (conf/default.json) moved to other ports, started from the
# jar and stopped again. Source it; it defines functions only.
#
#   lab_config DST PORT_BASE CSV   conf/default.json with the proxy on P, the dashboard on P+1, the
#                                  backends on P+921.. (the proxy's URLs follow), metrics.csv = CSV ("" = off)
#   lab_start JAR CONF LOG         starts the lab in the background (LAB_PID) and waits until the proxy
#                                  answers on LAB_URL; exits the script if it does not
#   lab_stop                       SIGTERM (the lab flushes its CSV), SIGKILL after 15 s (common.sh's stop_pid)

# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LAB_PID=""
LAB_URL=""

lab_config() {
  local dst=$1 base=$2 csv=$3
  python3 - "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/conf/default.json" "$dst" "$base" "$csv" <<'PY'
import json, sys
src, dst, base, csv = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
conf = json.load(open(src))
conf["proxy"]["port"] = base
conf["dashboard"]["port"] = base + 1
ports = {}
for i, b in enumerate(conf["backends"]):
    ports[b["port"]] = base + 921 + i
    b["port"] = ports[b["port"]]
for u in conf["proxy"]["backends"]:
    for old, new in ports.items():
        u["url"] = u["url"].replace(":%d" % old, ":%d" % new)
conf["metrics"]["csv"] = csv
json.dump(conf, open(dst, "w"), indent=2)
PY
  LAB_URL="http://127.0.0.1:$base/"
}

lab_start() {
  local jar=$1 conf=$2 log=$3
  java -jar "$jar" -conf "$conf" >"$log" 2>&1 &
  LAB_PID=$!
  for _ in $(seq 1 300); do
    curl -s -o /dev/null --max-time 1 "$LAB_URL" && break
    kill -0 "$LAB_PID" 2>/dev/null || { echo "lab exited; see $log" >&2; exit 1; }
    sleep 0.1
  done
  curl -sf -o /dev/null --max-time 2 "$LAB_URL" || { echo "lab not answering on $LAB_URL" >&2; exit 1; }
}

lab_stop() {
  [ -z "$LAB_PID" ] || stop_pid "$LAB_PID"
}
