#!/usr/bin/env python3
"""protocols.sh's summary: DIR/summary.md from DIR/results.csv and DIR/machine.txt.

usage: protocols_summary.py DIR

A table per protocol (wrk over https, h2load over h2) with the medians over the repetitions, then CPU per
request adaptive-lb ÷ nginx per protocol: per repetition (the proxies ran back to back, so each repetition's
ratio shares its noise) and over the medians, against the target over TLS (within 1.3x nginx's).
"""
import csv
import re
import statistics
import sys

TARGET = 1.3
out = sys.argv[1]
try:
    rows = list(csv.DictReader(open(out + "/results.csv")))
except FileNotFoundError:
    print("protocols_summary.py: no results.csv in " + out, file=sys.stderr)
    sys.exit(1)
machine = open(out + "/machine.txt").read()
PROTOCOLS = (("https", "wrk over https (HTTP/1.1, keep-alive)"), ("h2", "h2load over h2 (TLS, ALPN h2)"))


def median(xs):
    xs = [float(x) for x in xs if x not in ("", None)]
    return statistics.median(xs) if xs else None


def f(x, fmt="%.2f"):
    return "–" if x is None else fmt % x


def n0(x):
    return "–" if x is None else "{:,.0f}".format(x)


md = ["## Proxy overhead over TLS and HTTP/2: scenario fast (loadtest/protocols.sh)\n"]
for key in ("command", "load", "tls", "placement", "date", "kernel", "cpu", "memory", "java", "nginx", "h2load",
            "openssl", "git", "jar", "elapsed"):
    for line in machine.splitlines():
        if line.startswith(key + ":"):
            md.append("- " + re.sub(" +", " ", line))
md.append("")

ratios = []
for proto, title in PROTOCOLS:
    sel = [r for r in rows if r["protocol"] == proto]
    if not sel:
        continue
    order, by = [], {}
    for r in sel:
        if r["proxy"] not in by:
            order.append(r["proxy"])
            by[r["proxy"]] = []
        by[r["proxy"]].append(r)
    md.append("### " + title + "\n")
    md.append("| proxy | req/s median (min–max) | p50 ms | p99 ms | CPU µs/req | of it kernel | RSS MiB | TLS | errors | runs |")
    md.append("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    cpu = {}
    for p in order:
        rs = by[p]
        rps = [float(r["rps"]) for r in rs]
        cpu[p] = median(r["cpu_us_per_req"] for r in rs)
        rss = [float(r["rss_mib"]) for r in rs if r["rss_mib"]]
        tls = sorted({r["tls"] for r in rs if r["tls"]})
        md.append("| %s | %s (%s–%s) | %s | %s | %s | %s | %s | %s | %d | %d |" % (
            rs[0]["label"], n0(statistics.median(rps)), n0(min(rps)), n0(max(rps)),
            f(median(r["p50_ms"] for r in rs)), f(median(r["p99_ms"] for r in rs)), f(cpu[p], "%.1f"),
            f(median(r["cpu_sys_us_per_req"] for r in rs), "%.1f"), f(max(rss) if rss else None, "%.0f"),
            ", ".join(tls) or "–", sum(int(r["errors"]) for r in rs), len(rs)))
    md.append("")
    if "nginx" in cpu and cpu["nginx"]:
        for p in order:
            if p == "nginx" or cpu[p] is None:
                continue
            per_rep = []
            for r in by[p]:
                peer = [x for x in by["nginx"] if x["rep"] == r["rep"] and x["cpu_us_per_req"]]
                if peer and r["cpu_us_per_req"]:
                    per_rep.append(float(r["cpu_us_per_req"]) / float(peer[0]["cpu_us_per_req"]))
            ratios.append((proto, by[p][0]["label"], cpu[p] / cpu["nginx"], per_rep))
        for p in order:
            if cpu[p] is None:
                ratios.append((proto, by[p][0]["label"], None, []))

if ratios:
    md.append("### CPU per request, adaptive-lb ÷ nginx\n")
    for proto, label, ratio, per_rep in ratios:
        load = dict(PROTOCOLS)[proto].split(" (")[0]
        if ratio is None:
            md.append("- %s, %s: no request answered, not measured%s" % (
                load, label, " → target: **not measured**" if proto == "https" else ""))
            continue
        line = "- %s, %s: %.2f over the medians (per repetition: %s)" % (
            load, label, ratio, ", ".join("%.2f" % x for x in per_rep) or "–")
        if proto == "https":
            line += " → target ≤ %.1f: **%s**" % (TARGET, "met" if ratio <= TARGET else "missed")
        md.append(line)
    md.append("")
md.append("Medians over the repetitions (req/s also min–max). CPU µs/req = utime + stime of the proxy's "
          "processes (nginx: master + worker) during the measured load ÷ requests answered, \"of it kernel\" "
          "its stime part; RSS the largest VmRSS after a measured load; TLS as openssl's client negotiates it "
          "with each proxy (the library of wrk and h2load). p50/p99 over h2: from h2load's per-request log. "
          "Both proxies on one CPU, the load and the backends on the other.\n")
others = [float(r["other_cpu_pct"]) for r in rows if r.get("other_cpu_pct")]
if others:
    md.append("CPU used by other processes during the measured loads (%% of one core; not ours): median %.0f%%, "
              "max %.0f%%\n" % (statistics.median(others), max(others)))
text = "\n".join(md) + "\n"
open(out + "/summary.md", "w").write(text)
print(text)
