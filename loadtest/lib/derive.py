#!/usr/bin/env python3
"""Derive one run's lab config from a scenario file (a complete lab config).

usage: derive.py SCENARIO OUT --roles a,b --policy TYPE[:KEY=VALUE,...] --connection MODE --csv PATH
                 --phase-scale F --phase-lead SEC [--port-offset N]

A policy's parameters after the colon go into proxy.policy (a value that parses as JSON as that, else as a
string): `p2c-peak-ewma:sampling=weighted`, `sma:explore=0.1,forgetAfterMs=5000`.

Scenario phases are written for the full study (wrk starts at 0 and lasts 120 s); a shorter run scales
every atSec by F = duration/120 and adds the lead (the seconds run.sh waits after launching the JVM before
wrk starts), so "a third of the way in" stays a third of the way into whatever duration is used.

--port-offset N moves every port the lab binds (proxy, dashboard, backends) and the proxy's backend URLs
by N, so a second study can run beside one on the scenario's own ports.
"""
import argparse
import json

p = argparse.ArgumentParser()
p.add_argument("scenario")
p.add_argument("out")
p.add_argument("--roles", required=True)
p.add_argument("--policy")
p.add_argument("--connection")
p.add_argument("--csv", default="")
p.add_argument("--phase-scale", type=float, default=1.0)
p.add_argument("--phase-lead", type=float, default=0.0)
p.add_argument("--port-offset", type=int, default=0)
a = p.parse_args()

with open(a.scenario) as f:
    cfg = json.load(f)
cfg["roles"] = a.roles.split(",")
if "proxy" in cfg["roles"]:
    # Only the type is overridden: a policy parameter in the scenario file belongs to its own type and
    # the lab refuses keys of another type, so they are dropped when the type changes.
    ptype, _, params = a.policy.partition(":")
    policy = cfg["proxy"].get("policy", {})
    if policy.get("type") != ptype:
        policy = {"type": ptype}
    for item in filter(None, params.split(",")):
        key, eq, value = item.partition("=")
        if not eq:
            raise SystemExit(f"derive.py: --policy {a.policy}: '{item}' is not KEY=VALUE")
        try:
            policy[key] = json.loads(value)
        except ValueError:
            policy[key] = value
    cfg["proxy"]["policy"] = policy
    cfg["proxy"]["connection"] = a.connection
cfg.setdefault("metrics", {})["csv"] = a.csv
for b in cfg.get("backends", []):
    for ph in b.get("phases", []):
        ph["atSec"] = round(a.phase_lead + ph["atSec"] * a.phase_scale, 3)
if a.port_offset:
    moved = {}
    for b in cfg.get("backends", []):
        moved[b["port"]] = b["port"] + a.port_offset
        b["port"] = moved[b["port"]]
    for section in ("proxy", "dashboard"):
        if section in cfg and "port" in cfg[section]:
            cfg[section]["port"] += a.port_offset
    for u in cfg.get("proxy", {}).get("backends", []):
        scheme, sep, rest = u["url"].partition("://")
        host, colon, tail = rest.partition(":")
        port = "".join(c for c in tail if c.isdigit())
        if colon and port and int(port) in moved:
            u["url"] = "%s%s%s:%d%s" % (scheme, sep, host, moved[int(port)], tail[len(port):])
with open(a.out, "w") as f:
    json.dump(cfg, f, indent=2)
