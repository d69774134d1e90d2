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
#
#   loadtest/chaos.sh --cluster [--minutes N] [--clients N] [--seed N] [--port-base P] [--recover-sec S]
#                     [--partition auto|netns|off] [--events K,K…] [--jar PATH] [--out DIR]
#
# The same load through the cluster recipe of docs/cluster.md, each member a JVM of its own: a proxy JVM
# (proxy, metrics with the CSV, dashboard), the backends JVM (b1-b3, announced on the bus) and a metrics
# JVM (metrics, dashboard). One event at a time, at random: the backends JVM SIGKILLed and restarted, or
# stopped with SIGTERM (its goodbye) and restarted; the metrics JVM SIGKILLed and restarted; a member
# paused (SIGSTOP/SIGCONT); the backends or metrics JVM partitioned (its network namespace's link down,
# then up); the policy switched through the metrics JVM's dashboard. Besides the checks above: no answer
# later than the configured timeouts allow; 200s again within S s of every event and the metrics JVM
# counting again within S s; no request routed to a backend after its goodbye or after its silence
# expired; every JVM it started stopped.
# --port-base  proxy on P, its dashboard P+1, the metrics JVM's dashboard P+2, backends P+101..P+103,
#              Hazelcast P+51..P+53, event bus P+61..P+63 (default 32000)
# --recover-sec  how soon traffic and the metrics JVM must be back after an event (default 90)
# --partition  netns: the backends and metrics JVMs in network namespaces (needs root and `ip netns`);
#              off: every member on 127.0.0.1, no partition; auto (default): netns when possible
# --events     the kinds to draw from (default all): backends-kill, backends-term, metrics-kill, pause,
#              policy, partition-backends, partition-metrics, partition-proxy
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/harness.sh
. "$HERE/lib/harness.sh"
name=chaos options="--minutes --clients --seed --port-base"
args=()
for arg in "$@"; do
  if [ "$arg" = --cluster ]; then
    name=chaos_cluster options="$options --recover-sec --partition --events"
  else
    args+=("$arg")
  fi
done
harness_options "$options" "${args[@]+"${args[@]}"}"
command -v jcmd >/dev/null || { echo "chaos.sh: needs jcmd (a JDK)" >&2; exit 2; }
harness_run "$name"
