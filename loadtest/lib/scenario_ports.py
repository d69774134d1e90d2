#!/usr/bin/env python3
"""Print a scenario's ports as shell assignments: PROXY_PORT, DASH_PORT and BACKEND_PORTS (space-separated),
BACKEND_NAMES, HAS_PHASES (1/0). run.sh evals this so every port comes from the scenario file."""
import json
import sys

with open(sys.argv[1]) as f:
    cfg = json.load(f)
backends = cfg.get("backends", [])
print("PROXY_PORT=%d" % cfg.get("proxy", {}).get("port", 8080))
print("DASH_PORT=%d" % cfg.get("dashboard", {}).get("port", 8081))
print("BACKEND_PORTS='%s'" % " ".join(str(b["port"]) for b in backends))
print("BACKEND_NAMES='%s'" % " ".join(b["name"] for b in backends))
print("HAS_PHASES=%d" % (1 if any(b.get("phases") for b in backends) else 0))
