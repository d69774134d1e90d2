#!/usr/bin/env bash
# The simulator's scale table in one command: every policy of the jar's catalog over each fleet mix,
# P proxies x B backends x R measured requests (Poisson at 70 % of the fleet's capacity), one JVM per
# run under /usr/bin/time -v, so each row carries its own wall time and peak memory.
# Usage: loadtest/sim-scale.sh [--mix MIX]... [--policy SPEC]... [any other `simulate scale` option...]
#   e.g. loadtest/sim-scale.sh --subset 50            (the table in docs/simulator.md)
#        loadtest/sim-scale.sh --mix uniform --policy marginal --requests 100000
# Prints a Markdown table; JAVA_OPTS passes options to the JVM.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/adaptive-lb.jar
[[ -f $JAR ]] || { echo "build first: mvn -DskipTests package" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

mixes=() specs=() rest=()
while (($#)); do
  case $1 in
    --mix) mixes+=("$2"); shift 2 ;;
    --policy) specs+=("$2"); shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
((${#mixes[@]})) || mixes=(uniform capacity mixed degrading)
if ! ((${#specs[@]})); then
  read -r -a specs <<<"$(java -jar "$JAR" policies --json \
    | python3 -c 'import json, sys; print(" ".join(s for p in json.load(sys.stdin)["policies"] for s in p["specs"]))')"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
header_done=
for mix in "${mixes[@]}"; do
  for spec in "${specs[@]}"; do
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$tmp/time" java ${JAVA_OPTS:-} -jar "$JAR" simulate scale --mix "$mix" --policy "$spec" \
      "${rest[@]}" >"$tmp/out"
    if [[ -z $header_done ]]; then
      head -n 1 "$tmp/out"
      echo
      echo "| mix | policy | req/s | % of best | mean ms | p99 ms | best mean ms | simulated s | simulation wall s | JVM wall s | CPU s | peak RSS MB |"
      echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      header_done=1
    fi
    row=$(grep "^| $mix | " "$tmp/out")
    python3 - "$row" "$tmp/time" <<'PY'
import re, sys
row, timefile = sys.argv[1], open(sys.argv[2]).read()
def field(name):
    return re.search(re.escape(name) + r":\s*(.+)", timefile).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall_s = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rss = int(field("Maximum resident set size (kbytes)")) / 1024
print(f"{row} {wall_s:.1f} | {cpu:.1f} | {rss:.0f} |")
PY
  done
done
