#!/usr/bin/env bash
# JMH benchmark of every policy's hot path (pick + begin + end), in ns per request.
# Usage: loadtest/jmh.sh [JMH options...]   e.g. loadtest/jmh.sh -p backends=3 -wi 2 -i 3
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.adaptivelb.bench.PolicyBenchmark "$@"
