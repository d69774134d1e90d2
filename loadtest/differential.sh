#!/usr/bin/env bash
# Differential framing test: the same raw requests (smuggling families among them: CL.TE, TE.CL, TE.TE
# obfuscations, duplicate and folded fields, bare LF, odd chunk extensions) sent through adaptive-lb, nginx
# and HAProxy to one recording backend. Prints a markdown table of what each forwarded or refused, and
# fails when adaptive-lb does anything RFC 9112 does not allow for a case. docs/edge-hardening.md
# quotes its table and justifies each disagreement with nginx and HAProxy.
#
#   loadtest/differential.sh [--port-base P] [--jar PATH] [--out DIR]
#
# --port-base  recorder on P, adaptive-lb P+1, nginx P+2, HAProxy P+3 (default 32000)
# Installs nginx and haproxy with apt-get when missing; stops every process it starts.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/harness.sh
. "$HERE/lib/harness.sh"
harness_options "--port-base" "$@"
if ! command -v nginx >/dev/null || ! command -v haproxy >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx haproxy
fi
harness_run differential
