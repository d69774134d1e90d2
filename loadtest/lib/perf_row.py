#!/usr/bin/env python3
"""One measured load run as a row of a results.csv (perf.sh, protocols.sh): throughput and latency from the
load tool's output, CPU per request and RSS from the /proc figures the script took around it.

usage: perf_row.py CSV LOAD_OUTPUT --tool wrk|h2load --rep R --variant ID --label TEXT --cpus LIST
                   --connection MODE --ticks T --sys-ticks S --clk HZ [--rss KIB] [--ready MS]
                   [--csv-rows N] [--feed N] [--other TICKS] [--h2load-log FILE] [--extra KEY=VALUE ...]

wrk: the WRK_JSON line of loadtest/wrk/report.lua. h2load: its summary ("finished in", "requests:",
"status codes:") and, for p50/p99, its --log-file (one line per request: start, status, microseconds).
Errors are wrk's socket errors and non-2xx/3xx answers, or h2load's failed + errored + timed-out requests
and non-2xx/3xx statuses. --extra columns go after the standard ones, in the order given.
"""
import argparse
import csv
import json
import os
import re
import sys

p = argparse.ArgumentParser()
p.add_argument("csv")
p.add_argument("output")
p.add_argument("--tool", choices=("wrk", "h2load"), default="wrk")
p.add_argument("--rep", required=True)
p.add_argument("--variant", required=True)
p.add_argument("--label", required=True)
p.add_argument("--cpus", required=True)
p.add_argument("--connection", required=True)
p.add_argument("--ticks", type=int, required=True)
p.add_argument("--sys-ticks", type=int, required=True)
p.add_argument("--clk", type=int, required=True)
p.add_argument("--rss", default="")
p.add_argument("--ready", default="")
p.add_argument("--csv-rows", default="")
p.add_argument("--feed", default="")
p.add_argument("--other", default="")
p.add_argument("--h2load-log", default="")
p.add_argument("--extra", action="append", default=[])
a = p.parse_args()


def quantile(sorted_xs, q):
    if not sorted_xs:
        return 0.0
    return sorted_xs[min(len(sorted_xs) - 1, int(q * len(sorted_xs)))]


def from_wrk(path):
    for line in open(path):
        if line.startswith("WRK_JSON "):
            data = json.loads(line[len("WRK_JSON "):])
            return (data["requests"], data["duration_us"] / 1e6, data["latency_us"]["p50"] / 1000,
                    data["latency_us"]["p99"] / 1000, sum(data["errors"].values()))
    return None


def from_h2load(path, log):
    text = open(path).read()
    finished = re.search(r"finished in ([0-9.]+)(m?s)", text)
    requests = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                         r"(\d+) errored, (\d+) timeout", text)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
    if not (finished and requests and codes):
        return None
    secs = float(finished.group(1)) / (1000 if finished.group(2) == "ms" else 1)
    done = int(requests.group(1))
    errors = sum(int(requests.group(i)) for i in (3, 4, 5)) + int(codes.group(3)) + int(codes.group(4))
    times = []
    if log and os.path.exists(log):
        for line in open(log):
            parts = line.split("\t")
            if len(parts) >= 3:
                times.append(int(parts[2]) / 1000)
        times.sort()
    return done, secs, quantile(times, 0.5), quantile(times, 0.99), errors


parsed = from_wrk(a.output) if a.tool == "wrk" else from_h2load(a.output, a.h2load_log)
if parsed is None:
    print("perf_row.py: no %s summary in %s" % (a.tool, a.output), file=sys.stderr)
    sys.exit(0)
req, secs, p50, p99, errors = parsed
row = {
    "rep": a.rep, "variant": a.variant, "label": a.label,
    "cores": "-" if a.cpus == "-" else str(len(a.cpus.split(","))),
    "connection": a.connection, "requests": req, "duration_s": "%.3f" % secs,
    "rps": "%.1f" % (req / secs if secs else 0),
    "p50_ms": "%.3f" % p50, "p99_ms": "%.3f" % p99,
    "errors": errors,
    "cpu_us_per_req": "" if a.cpus == "-" or not req else "%.2f" % (a.ticks * 1e6 / a.clk / req),
    "rss_mib": "" if not a.rss else "%.1f" % (int(a.rss) / 1024),
    "ready_ms": a.ready, "csv_rows": a.csv_rows, "feed_snapshots": a.feed,
    "other_cpu_pct": "" if a.other == "" or not secs else "%.1f" % (int(a.other) * 100 / a.clk / secs),
    # The kernel's part of cpu_us_per_req (stime): syscalls and TCP on loopback, which no user-space trick removes.
    "cpu_sys_us_per_req": "" if a.cpus == "-" or not req else "%.2f" % (a.sys_ticks * 1e6 / a.clk / req),
}
for item in a.extra:
    key, _, value = item.partition("=")
    row[key] = value
new = not os.path.exists(a.csv)
with open(a.csv, "a", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(row))
    if new:
        w.writeheader()
    w.writerow(row)
print("  %s: %s req/s, p50 %s ms, p99 %s ms, %s errors, CPU %s us/req, RSS %s MiB%s" % (
    a.variant, row["rps"], row["p50_ms"], row["p99_ms"], row["errors"], row["cpu_us_per_req"] or "-",
    row["rss_mib"] or "-", ", ready %s ms" % a.ready if a.ready else ""), file=sys.stderr)
