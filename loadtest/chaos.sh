#!/usr/bin/env bash
# Chaos run: steady mixed load (GETs, streamed 256 KiB answers, POSTs with bodies) through the proxy
# while, at random every 2-6 s, a backend is SIGKILLed and restarted, paused (SIGSTOP/SIGCONT), made slow
# or failing, or has its connections cut at a relay in front of it; the policy or the connection mode is
# switched; a backend is added and removed; the config file is rewritten and reloaded.
# At the end it checks: every client request accounted for (an allowed status, or cut after its answer
# began because its backend broke mid-body), exactly one CSV row per request, heap after GC and open
# descriptors not grown, the proxy alive; prints one summary line; exit status 0 when all hold.
#
#   loadtest/chaos.sh [--minutes N] [--clients N] [--seed N] [--port-base P] [--jar PATH] [--out DIR]
#
# --minutes    length of the chaos phase (default 10), after 15 s of warm load
# --clients    concurrent keep-alive client connections (default 16)
# --port-base  proxy on P, admin on P+1, relays P+11..P+14, backends P+101..P+104 and their admin
#              P+201..P+204 (default 31000)
# --jar        default target/adaptive-lb.jar (built with `mvn -q -DskipTests package` when missing)
# --out        default loadtest/results/chaos-<timestamp>/ (logs, configs, CSV, unaccounted.txt)
# Every process it starts (one JVM per backend, one for the proxy) is stopped on exit.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/harness.sh
. "$HERE/lib/harness.sh"
harness_options "--minutes --clients --seed --port-base" "$@"
command -v jcmd >/dev/null || { echo "chaos.sh: needs jcmd (a JDK)" >&2; exit 2; }
harness_run chaos
