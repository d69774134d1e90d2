#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the code that reads untrusted bytes: the client request head and
# body decoding, the upstream response decoding and the config reader. Each target runs in a JVM of
# its own (Jazzer fuzzes one test per JVM): with --minutes one JVM for the whole time, with --rounds
# that many rounds of its @FuzzTest maxDuration; the corpus it grows is kept in
# verticles/.cifuzz-corpus/ between runs, so later runs go deeper.
# A crash is written straight into the target's regression inputs
# (verticles/src/test/resources/<package>/<Class>Inputs/<method>/), where `mvn test` replays it.
#
#   loadtest/fuzz.sh --minutes N      fuzz every target for N minutes each, one JVM each (default 1)
#   loadtest/fuzz.sh --rounds 1       one round per target (what .ci/run does: about 90 s in all)
#   loadtest/fuzz.sh --target NAME    only targets whose Class#method contains NAME (repeatable)
# Prints per target the rounds, executions and crashes; exit status 1 when any crash was found.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

TARGETS=(
  io.adaptivelb.proxy.RequestDecodingFuzzTest#anyBytes
  io.adaptivelb.proxy.RequestDecodingFuzzTest#chunkedBody
  io.adaptivelb.upstream.ResponseDecodingFuzzTest#anyResponse
  io.adaptivelb.config.ConfigReaderFuzzTest#anyText
  io.adaptivelb.config.ConfigReaderFuzzTest#labWithOneValueChanged
)
minutes=1 rounds="" filters=()
while (($#)); do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --target) filters+=("$2"); shift 2 ;;
    -h|--help) sed -n "2,14p" "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$minutes" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --minutes needs a whole number" >&2; exit 2; }

echo "fuzz: compiling the tests and resolving the test class path"
mvn -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz-classpath.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/fuzz-classpath.txt)"
LOGS=target/fuzz-logs
mkdir -p "$LOGS"

found=0
for target in "${TARGETS[@]}"; do
  if ((${#filters[@]})); then
    keep=0; for f in "${filters[@]}"; do [[ "$target" == *"$f"* ]] && keep=1; done
    ((keep)) || continue
  fi
  class=${target%#*} method=${target#*#}
  # Jazzer writes findings into the source tree's inputs folder when it exists.
  mkdir -p "verticles/src/test/resources/${class//.//}Inputs/$method"
  deadline=$((SECONDS + minutes * 60)) round=0 runs=0 crashes=0
  while :; do
    round=$((round + 1))
    log="$LOGS/${class##*.}-$method-$round.log"
    status=0 length=()
    # --minutes: the time left in one JVM (a round ends early only on a crash); --rounds: @FuzzTest's maxDuration
    [[ -z "$rounds" ]] && length=($((deadline - SECONDS > 15 ? deadline - SECONDS : 15)))
    (cd verticles && JAZZER_FUZZ=1 java -Djazzer.internal.basedir="$ROOT/verticles" -cp "$(sed "s#target/#$ROOT/target/#g" <<<"$CP")" \
      io.adaptivelb.fuzz.FuzzRun "$target" "${length[@]}") >"$log" 2>&1 || status=$?
    done_runs=$(grep -a -o 'Done [0-9]* runs' "$log" | tail -1 | grep -o '[0-9]*' || true)
    runs=$((runs + ${done_runs:-0}))
    if ((status == 1)); then
      crashes=$((crashes + 1))
      echo "fuzz: $target found a crash (round $round): $(grep -a -m1 -o 'Test unit written to .*' "$log" || echo "see $log")"
      grep -a -m3 'Caused by\|FuzzTestFindingException' "$log" | sed 's/^/    /' || true
      break
    elif ((status != 0)); then
      echo "fuzz: $target could not run (exit $status), see $log"; found=1; break
    fi
    if [[ -n "$rounds" ]]; then ((round >= rounds)) && break; else ((SECONDS >= deadline)) && break; fi
  done
  ((crashes)) && found=1
  printf 'fuzz: %-62s rounds %3d  executions %10d  crashes %d\n' "$target" "$round" "$runs" "$crashes"
done
exit "$found"
