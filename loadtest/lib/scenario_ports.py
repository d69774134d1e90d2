#!/usr/bin/env python3
"""Print a scenario's ports as shell assignments: PROXY_PORT, DASH_PORT and BACKEND_PORTS (space-separated),
each moved by the optional second argument (run.sh's --port-offset); BACKEND_NAMES, HAS_PHASES (1/0) and
FIRST_CHANGE_SEC (the earliest phase's atSec as written in the file, 0 when none). run.sh evals this so
every port comes from the scenario file."""
import json
import sys

with open(sys.argv[1]) as f:
    cfg = json.load(f)
offset = int(sys.argv[2]) if len(sys.argv) > 2 else 0
backends = cfg.get("backends", [])
changes = [ph["atSec"] for b in backends for ph in b.get("phases", [])]
print("PROXY_PORT=%d" % (cfg.get("proxy", {}).get("port", 8080) + offset))
print("DASH_PORT=%d" % (cfg.get("dashboard", {}).get("port", 8081) + offset))
print("BACKEND_PORTS='%s'" % " ".join(str(b["port"] + offset) for b in backends))
print("BACKEND_NAMES='%s'" % " ".join(b["name"] for b in backends))
print("HAS_PHASES=%d" % (1 if changes else 0))
print("FIRST_CHANGE_SEC=%s" % (min(changes) if changes else 0))
