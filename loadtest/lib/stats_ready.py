#!/usr/bin/env python3
"""Exit 0 when a /stats JSON (stdin) lists a server counter for every expected backend (argv)."""
import json
import sys

try:
    stats = json.load(sys.stdin)
except ValueError:
    sys.exit(1)
have = {b["name"] for b in stats.get("backends", []) if b.get("server")}
sys.exit(0 if set(sys.argv[1:]) <= have else 1)
