#!/usr/bin/env bash
# Starts the fat jar with its bundled lab in a scratch folder, checks the proxy answers from a
# backend, /stats lists three backends, and SIGTERM leaves one CSV row per request. Stops what it starts.
set -euo pipefail
jar=$(realpath "$1")
work=$(mktemp -d)
cd "$work"
java -jar "$jar" >lab.out 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 100); do
  curl -sf -o /dev/null http://127.0.0.1:8080/ 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat lab.out; echo "smoke: the lab exited"; exit 1; }
  sleep 0.2
done
requests=20
for _ in $(seq 2 "$requests"); do curl -sf -o /dev/null http://127.0.0.1:8080/; done
curl -si http://127.0.0.1:8080/ | grep -qi '^x-backend: b[123]' || { echo "smoke: no X-Backend header"; exit 1; }
requests=$((requests + 1))
backends=$(curl -sf http://127.0.0.1:8081/stats | grep -o '"name" : "b[123]"' | sort -u | wc -l)
[ "$backends" -ge 3 ] || { curl -s http://127.0.0.1:8081/stats; echo "smoke: /stats lists $backends backends"; exit 1; }
kill -TERM "$pid"
wait "$pid" || true
rows=$(($(wc -l < proxy_log.csv) - 1))
[ "$rows" -eq "$requests" ] || { echo "smoke: proxy_log.csv has $rows rows for $requests requests"; exit 1; }
echo "smoke: jar OK (${requests} requests, ${rows} CSV rows, /stats lists ${backends} backends)"
