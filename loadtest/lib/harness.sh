# Shared by chaos.sh and differential.sh, thin fronts for a Python harness in lib/: their options, the jar
# (built when missing), the output directory, then the harness itself. Source it; it defines functions only.
#
#   harness_options "OPTION…" "$@"   reads --jar PATH, --out DIR, -h/--help (the script's header comment)
#                                    and each listed option with its value (passed on in ARGS); sets JAR, OUT
#   harness_run NAME                 builds the jar when missing, makes OUT (default
#                                    loadtest/results/NAME-<timestamp>) and runs lib/NAME.py in this process

HARNESS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

harness_options() {
  local passed=" $1 " script
  script=$(basename "$0")
  shift
  JAR="$HARNESS_ROOT/target/adaptive-lb.jar" OUT="" ARGS=()
  while (($#)); do
    case "$1" in
      --jar) JAR=$2; shift 2 ;;
      --out) OUT=$2; shift 2 ;;
      -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
      *)
        if [[ "$1" == --* && "$passed" == *" $1 "* ]]; then
          ARGS+=("$1" "$2"); shift 2
        else
          echo "$script: unknown option $1 (see --help)" >&2; exit 2
        fi ;;
    esac
  done
}

harness_run() {
  local name=$1
  [ -f "$JAR" ] || (cd "$HARNESS_ROOT" && mvn -q -DskipTests package)
  OUT=${OUT:-"$HARNESS_ROOT/loadtest/results/$name-$(date +%Y%m%d-%H%M%S)"}
  mkdir -p "$OUT"
  echo "$name: output in $OUT" >&2
  exec python3 "$HARNESS_ROOT/loadtest/lib/$name.py" --jar "$(realpath "$JAR")" --out "$(realpath "$OUT")" \
    "${ARGS[@]+"${ARGS[@]}"}"
}
