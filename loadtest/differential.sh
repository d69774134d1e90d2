#!/usr/bin/env bash
# Differential framing test: the same raw requests (smuggling families among them: CL.TE, TE.CL, TE.TE
# obfuscations, duplicate and folded fields, bare LF, odd chunk extensions) sent through adaptive-lb, nginx
# and HAProxy to one recording backend. Prints a markdown table of what each forwarded or refused, and
# fails when adaptive-lb does anything RFC 9112 does not allow for a case. docs/edge-hardening.md
# quotes its table and justifies each disagreement with nginx and HAProxy.
#
#   loadtest/differential.sh [--port-base P] [--jar PATH] [--out DIR]
#
# --port-base  recorder on P, adaptive-lb P+1, nginx P+2, HAProxy P+3 (default 32000)
# Installs nginx and haproxy with apt-get when missing; stops every process it starts.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
JAR="$ROOT/target/adaptive-lb.jar" OUT="" ARGS=()
while (($#)); do
  case "$1" in
    --jar) JAR=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --port-base) ARGS+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "differential.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if ! command -v nginx >/dev/null || ! command -v haproxy >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx haproxy
fi
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -DskipTests package)
OUT=${OUT:-"$ROOT/loadtest/results/differential-$(date +%Y%m%d-%H%M%S)"}
mkdir -p "$OUT"
exec python3 "$HERE/lib/differential.py" --jar "$(realpath "$JAR")" --out "$(realpath "$OUT")" "${ARGS[@]}"
