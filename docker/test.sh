#!/usr/bin/env bash
# The container lab end to end on a machine without an image registry (only Debian's package mirror):
#   1. a Java 17 base image from Debian packages (debootstrap + openjdk-17-jre-headless, `podman import`),
#   2. the project image on top of it (docker/Dockerfile, BASE_IMAGE=that image),
#   3. the lab of docker/compose.yaml (b1 b2 b3 proxy metrics dashboard) with docker-compose 1.29
#      talking to podman's Docker-compatible socket (podman-compose when docker-compose is missing),
#   4. checks that the proxy answers from all three backend containers and that /stats lists them
#      and the proxy, then tears everything down (containers, network, images, podman storage).
#
# Podman runs with a private config, storage and socket under $ALB_WORK (default /tmp/alb-docker-test):
# nothing of the machine's own podman state is read or changed. Runtime runc; nofile/nproc ulimits
# capped in the private containers.conf (podman's defaults fail in this sandbox).
#
# Usage: bash docker/test.sh   (as root; installs podman, debootstrap, docker-compose with apt-get
# when missing; builds target/adaptive-lb.jar when missing). Env: ALB_WORK, ALB_PROXY_PORT (38080),
# ALB_DASHBOARD_PORT (38081), ALB_KEEP_ROOTFS=1 keeps the debootstrap tarball for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=${ALB_WORK:-/tmp/alb-docker-test}
export ALB_PROXY_PORT=${ALB_PROXY_PORT:-38080}
export ALB_DASHBOARD_PORT=${ALB_DASHBOARD_PORT:-38081}
BASE_TAG=localhost/adaptive-lb-base:bookworm-jre17
export ALB_IMAGE=localhost/adaptive-lb:test
PROJECT=albtest
START=$(date +%s)

say() { echo "[docker/test.sh +$(( $(date +%s) - START ))s] $*"; }

# --- tools -----------------------------------------------------------------------------------------
missing=()
command -v podman >/dev/null || missing+=(podman)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v runc >/dev/null || missing+=(runc)
command -v curl >/dev/null || missing+=(curl)
command -v docker-compose >/dev/null || command -v podman-compose >/dev/null || missing+=(docker-compose)
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ ! -f target/adaptive-lb.jar ]]; then
  say "building target/adaptive-lb.jar"
  mvn -q -DskipTests package
fi

# --- private podman ---------------------------------------------------------------------------------
mkdir -p "$WORK"
# Podman's defaults (1048576 open files) exceed what this machine lets a process have: cap both limits
# at what this shell may have (containers cannot be given more).
cap() { local have=$1 want=$2; [[ "$have" == unlimited || "$have" -gt "$want" ]] && echo "$want" || echo "$have"; }
NOFILE=$(cap "$(ulimit -Hn)" 65536)
NPROC=$(cap "$(ulimit -Hu)" 16384)
cat > "$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=$NPROC:$NPROC"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
[network]
network_backend = "netavark"
EOF
cat > "$WORK/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$WORK/storage"
runroot = "$WORK/run"
EOF
export CONTAINERS_CONF="$WORK/containers.conf" CONTAINERS_STORAGE_CONF="$WORK/storage.conf"
SOCKET="$WORK/podman.sock"
SERVICE_PID=""

compose() {
  if command -v docker-compose >/dev/null; then
    DOCKER_HOST="unix://$SOCKET" docker-compose -p "$PROJECT" -f docker/compose.yaml "$@"
  else
    podman-compose -p "$PROJECT" -f docker/compose.yaml "$@"
  fi
}

teardown() {
  local rc=$?
  say "tearing down"
  if [[ $rc -ne 0 ]]; then
    compose logs --no-color 2>/dev/null | tail -n 80 || true
  fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  podman rm -af >/dev/null 2>&1 || true            # private storage: only what this script made
  podman network prune -f >/dev/null 2>&1 || true
  podman rmi -af >/dev/null 2>&1 || true
  [[ -n "$SERVICE_PID" ]] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  podman system reset -f >/dev/null 2>&1 || true
  rm -rf "$WORK/storage" "$WORK/run" "$WORK/rootfs" "$SOCKET"
  [[ "${ALB_KEEP_ROOTFS:-0}" == 1 ]] || rm -f "$WORK/base.tar"
  say "$([[ $rc -eq 0 ]] && echo PASSED || echo "FAILED (exit $rc)") in $(( $(date +%s) - START ))s"
}
trap teardown EXIT

# --- 1. base image from Debian packages --------------------------------------------------------------
if [[ ! -s "$WORK/base.tar" ]]; then
  # The mirror apt already uses (only Debian's package registry is reachable).
  MIRROR=$( (grep -rhoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true) \
    | grep -oE 'https?://[^ ]+' | grep -v security | grep -i debian | head -n1 || true)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
  say "debootstrap bookworm + openjdk-17-jre-headless from $MIRROR"
  rm -rf "$WORK/rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$WORK/rootfs" "$MIRROR" \
    > "$WORK/debootstrap.log" 2>&1 || { tail -n 20 "$WORK/debootstrap.log"; exit 1; }
  rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
  tar -C "$WORK/rootfs" -cf "$WORK/base.tar" .
  rm -rf "$WORK/rootfs"
fi
say "podman import -> $BASE_TAG"
podman import --change 'CMD ["/bin/sh"]' "$WORK/base.tar" "$BASE_TAG" >/dev/null

# --- 2. project image --------------------------------------------------------------------------------
say "podman build -> $ALB_IMAGE"
podman build -q --build-arg BASE_IMAGE="$BASE_TAG" -f docker/Dockerfile -t "$ALB_IMAGE" "$REPO" >/dev/null

# --- 3. the lab --------------------------------------------------------------------------------------
if command -v docker-compose >/dev/null; then
  podman system service --time=0 "unix://$SOCKET" > "$WORK/podman-service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 50); do [[ -S "$SOCKET" ]] && break; sleep 0.2; done
fi
say "compose up (proxy on 127.0.0.1:$ALB_PROXY_PORT, dashboard on 127.0.0.1:$ALB_DASHBOARD_PORT)"
compose up -d --no-build

# --- 4. checks ---------------------------------------------------------------------------------------
say "waiting for the proxy to answer from b1, b2 and b3"
seen=""
for _ in $(seq 1 180); do
  backend=$(curl -s -m 5 -o /dev/null -D - "http://127.0.0.1:$ALB_PROXY_PORT/" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-backend"{print $2}') || true
  [[ -n "$backend" && " $seen " != *" $backend "* ]] && seen="$seen $backend" && say "answered by $backend"
  [[ $(wc -w <<< "$seen") -eq 3 ]] && break
  sleep 0.5
done
[[ $(wc -w <<< "$seen") -eq 3 ]] || { say "only [$seen ] answered"; exit 1; }

say "checking /stats on the dashboard container"
for _ in $(seq 1 60); do
  stats=$(curl -s -m 5 "http://127.0.0.1:$ALB_DASHBOARD_PORT/stats" || true)
  summary=$(python3 - "$stats" <<'EOF' 2>/dev/null || true
import json, sys
s = json.loads(sys.argv[1])
names = sorted(b["name"] for b in s["backends"] if "server" in b)
print(" ".join(names), "|", len(s["proxies"]), "|", s["totals"]["requestsTotal"])
EOF
)
  [[ "$summary" == "b1 b2 b3 | 2 |"* ]] && break
  sleep 1
done
say "/stats: backends with counters | proxy instances | requests: $summary"
[[ "$summary" == "b1 b2 b3 | 2 |"* ]] || exit 1
