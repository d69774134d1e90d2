#!/usr/bin/env python3
"""Chaos in the cluster recipe: the same steady mixed load as chaos.py, while the members of a clustered
adaptive-lb are killed, stopped, paused and partitioned at random.

Started by `loadtest/chaos.sh --cluster`, which documents the options. The recipe of docs/cluster.md,
each member a JVM of its own that joins one Hazelcast cluster (PORT = --port-base):
  proxy JVM    conf/cluster-proxy.json: roles proxy (2 instances, discovery), metrics (the CSV checked at
               the end), dashboard; clients on 127.0.0.1:PORT, its dashboard on 127.0.0.1:PORT+1
  backends JVM conf/cluster-backends.json: b1 b2 b3 on PORT+101..PORT+103, announced on the bus
  metrics JVM  roles metrics and dashboard (PORT+2): a second view of the cluster, as in the docs
Hazelcast listens on PORT+51..PORT+53 and the event bus on PORT+61..PORT+63 (the bundled cluster.xml
of the jar with these ports, this run's addresses and a cluster name of its own). With --partition netns
(the default when root can make network namespaces) the backends and metrics JVMs each run in a network
namespace, and every member's cluster address sits behind a veth pair on a bridge, so one member can be
cut off (its veth down) and joined again; with --partition off every member is on 127.0.0.1 and no
partition is made.
Chaos, one event at a time (every kind once, in a random order, before any repeats), each followed by its
recovery check: the backends JVM SIGKILLed and restarted, or stopped with SIGTERM (goodbye) and
restarted; the metrics JVM SIGKILLed and restarted; a member paused (SIGSTOP/SIGCONT); a member
partitioned and healed; the policy switched through the metrics JVM's dashboard (the admin API
publishes to every proxy in the cluster).
At the end, besides chaos.py's accounting (allowed statuses, one CSV row per request, heap and
descriptors of the proxy JVM flat, proxy alive): no answer's head later than the configured timeouts
allow; traffic answered 200 again within --recover-sec of every event; the metrics JVM listing the proxy
instances and counting requests again within --recover-sec; no request routed to a backend after its
goodbye, nor after a killed backend's silence expired; every JVM started stopped. One summary line.
"""
import argparse
import asyncio
import csv
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import time
import zipfile

from chaos import Load, account, flat, fds, heap_after_gc_kib, http, log, tally, wait_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# What the cluster docs promise a client while members come and go: an answer, or the proxy's 502 (the
# backend refused or broke), 503 (no backend known) or 504 (a backend silent past upstreamTimeoutMs).
ALLOWED_STATUSES = {200, 502, 503, 504}
UPSTREAM_TIMEOUT_MS = 10000  # the recipe keeps the 30 s default; a partition should not stall a run that long
LONGEST_PAUSE_S = 4
HEAD_SLACK_S = 5  # a busy 2-core machine's scheduling on top of the configured timeouts
# A clean stop publishes its goodbye, then keeps its ports open 300 ms. A proxy still routing to the
# departed run one second after the ports closed has missed or undone the goodbye (a late heartbeat
# re-adding the run would route to its closed ports until its silence expired, about 4 s).
GOODBYE_SLACK_S = 1.0
EVENTS = ["backends-kill", "backends-term", "metrics-kill", "pause", "policy"]
PARTITIONS = ["partition-backends", "partition-metrics", "partition-proxy"]  # need --partition netns


class Net:
    """A link per member that can be cut: a bridge on the host, and for each member a veth pair with one
    end on the bridge (the end that is cut) and the other holding the member's address. The host member
    (the proxy JVM, whose clients are on 127.0.0.1) keeps that end on the host; the others' end is in a
    network namespace of their own, where their JVM runs. A cut end only loses its carrier: every member
    keeps its address and sees nothing but silence."""

    HOST_MEMBER = "proxy"

    def __init__(self, base, names):
        self.base, self.names = base, names
        self.octet = (base // 100) % 256
        self.bridge = f"alb{base}br"
        self.members = {}  # member -> (namespace or None, the veth end on the bridge, address)

    @staticmethod
    def unavailable():
        """Why namespaces cannot be made here, or None when they can."""
        if os.geteuid() != 0:
            return "not root"
        probe = f"albprobe{os.getpid()}"
        made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
        if made.returncode != 0:
            return "ip netns add failed: " + (made.stderr.strip() or "no ip")
        subprocess.run(["ip", "netns", "del", probe], capture_output=True)
        return None

    def ip(self, *args, ns=None, check=True):
        cmd = ["ip"] + (["-n", ns] if ns else []) + list(args)
        done = subprocess.run(cmd, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.strip()}")
        return done

    def setup(self):
        self.teardown()  # what a run killed before its cleanup left
        taken = subprocess.run(["ip", "-4", "addr"], capture_output=True, text=True).stdout
        if f"10.250.{self.octet}." in taken:
            raise RuntimeError(f"10.250.{self.octet}.0/24 is in use on this machine; choose another --port-base")
        self.ip("link", "add", self.bridge, "type", "bridge")
        self.ip("link", "set", self.bridge, "up")
        for i, name in enumerate(self.names):
            on_bridge, inner, addr = f"alb{self.base}{name[0]}b", f"alb{self.base}{name[0]}", f"10.250.{self.octet}.{i + 1}"
            ns = None if name == self.HOST_MEMBER else f"alb{self.base}-{name}"
            if ns:
                self.ip("netns", "add", ns)
                self.ip("link", "add", on_bridge, "type", "veth", "peer", "name", "eth0", "netns", ns)
                inner = "eth0"
                self.ip("link", "set", "lo", "up", ns=ns)
            else:
                self.ip("link", "add", on_bridge, "type", "veth", "peer", "name", inner)
            self.ip("link", "set", on_bridge, "master", self.bridge, "up")
            self.ip("addr", "add", f"{addr}/24", "dev", inner, ns=ns)
            self.ip("link", "set", inner, "up", ns=ns)
            self.members[name] = (ns, on_bridge, addr)

    def teardown(self):
        for name in self.names:
            self.ip("link", "del", f"alb{self.base}{name[0]}b", check=False)
            self.ip("netns", "del", f"alb{self.base}-{name}", check=False)
        self.ip("link", "del", self.bridge, check=False)

    def cut(self, name, down):
        self.ip("link", "set", self.members[name][1], "down" if down else "up")


class Member:
    """One JVM of the cluster: its config, where it runs, and every process started for it."""

    def __init__(self, name, conf, ip, hz_port, bus_port, ns=None):
        self.name, self.conf, self.ip, self.hz_port, self.bus_port, self.ns = name, conf, ip, hz_port, bus_port, ns
        self.proc = None


class Cluster:
    def __init__(self, args, net):
        self.args, self.net, self.base = args, net, args.port_base
        self.out = args.out
        self.started = []  # every Popen, to check they all stopped
        self.proxy_port, self.proxy_admin, self.metrics_admin = self.base, self.base + 1, self.base + 2
        self.csv_path = os.path.join(self.out, "proxy_log.csv")
        self.metrics_csv = os.path.join(self.out, "metrics_log.csv")
        self.token = secrets.token_hex(16)
        with open(os.path.join(ROOT, "conf", "cluster-proxy.json")) as f:
            proxy = json.load(f)
        with open(os.path.join(ROOT, "conf", "cluster-backends.json")) as f:
            backends = json.load(f)
        self.heartbeat_ms = backends["cluster"]["heartbeatMs"]
        self.missed = backends["cluster"]["missedHeartbeats"]
        self.instances = proxy["proxy"]["instances"]
        addr = {n: (net.members[n][2] if net else "127.0.0.1") for n in ("proxy", "backends", "metrics")}
        proxy["proxy"].update({"host": "127.0.0.1", "port": self.proxy_port, "upstreamTimeoutMs": UPSTREAM_TIMEOUT_MS})
        proxy["dashboard"] = {"host": "127.0.0.1", "port": self.proxy_admin}
        proxy["metrics"]["csv"] = self.csv_path
        for k, b in enumerate(backends["backends"], start=1):
            b.update({"host": addr["backends"], "port": self.base + 100 + k})
        self.names = [b["name"] for b in backends["backends"]]
        metrics = {"roles": ["metrics", "dashboard"],
                   "metrics": {"csv": self.metrics_csv, "windowSec": 10},
                   "dashboard": {"host": addr["metrics"], "port": self.metrics_admin, "adminToken": self.token}}
        self.retries = proxy["proxy"].get("retries", {}).get("maxAttempts", 2)
        self.connect_ms = proxy["proxy"].get("connectTimeoutMs", 2000)
        self.members = {
            "proxy": Member("proxy", proxy, addr["proxy"], self.base + 51, self.base + 61),
            "backends": Member("backends", backends, addr["backends"], self.base + 52, self.base + 62,
                               net.members["backends"][0] if net else None),
            "metrics": Member("metrics", metrics, addr["metrics"], self.base + 53, self.base + 63,
                              net.members["metrics"][0] if net else None),
        }
        self.hazelcast_xml = self.hazelcast_template()

    def head_bound_s(self):
        """The longest a client may wait for an answer's head: every try's connect and upstream timeouts."""
        return self.retries * (self.connect_ms + UPSTREAM_TIMEOUT_MS) / 1000 + LONGEST_PAUSE_S + HEAD_SLACK_S

    def hazelcast_template(self):
        """The jar's own cluster.xml: the recipe's timings, with this run's name, ports and addresses."""
        with zipfile.ZipFile(self.args.jar) as jar:
            return jar.read("cluster.xml").decode()

    def hazelcast_config(self, m):
        xml = self.hazelcast_xml
        edits = [(r"<cluster-name>[^<]*</cluster-name>", f"<cluster-name>adaptive-lb-chaos-{self.base}</cluster-name>"),
                 (r"<port [^>]*>\d+</port>", f'<port auto-increment="false">{m.hz_port}</port>'),
                 (r"<member>127\.0\.0\.1</member>",
                  "".join(f"<member>{o.ip}:{o.hz_port}</member>" for o in self.members.values())),
                 (r"<interface>127\.0\.0\.1</interface>", f"<interface>{m.ip}</interface>")]
        for pattern, replacement in edits:
            xml, n = re.subn(pattern, replacement, xml)
            if n != 1:
                raise RuntimeError(f"the jar's cluster.xml no longer matches {pattern}; update chaos_cluster.py")
        path = os.path.join(self.out, f"hazelcast-{m.name}.xml")
        with open(path, "w") as f:
            f.write(xml)
        return path

    def start(self, name):
        m = self.members[name]
        conf = os.path.join(self.out, f"{name}.json")
        with open(conf, "w") as f:
            json.dump(m.conf, f, indent=1)
        cmd = (["ip", "netns", "exec", m.ns] if m.ns else []) + [
            "java", "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", f"-Dvertx.hazelcast.config={self.hazelcast_config(m)}",
            "-jar", self.args.jar, "-cluster", "-cluster-host", m.ip, "-cluster-port", str(m.bus_port), "-conf", conf]
        # `ip netns exec` execs the command: the PID is the JVM's, for signals and jcmd.
        m.proc = subprocess.Popen(cmd, stdout=open(os.path.join(self.out, f"{name}.log"), "ab"),
                                  stderr=subprocess.STDOUT, cwd=self.out)
        self.started.append(m.proc)
        return m.proc

    def signal(self, name, sig):
        os.kill(self.members[name].proc.pid, sig)

    def stop_all(self):
        for p in self.started:
            if p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGCONT)
                    p.terminate()
                    p.wait(timeout=30)
                except Exception:  # noqa: BLE001 - stopping at any price on the way out
                    p.kill()
                    p.wait()

    def left_running(self):
        return sum(1 for p in self.started if p.poll() is None)

    def metrics_stats(self):
        m = self.members["metrics"]
        code, text = http("GET", self.metrics_admin, "/stats", host=m.ip, timeout=5)
        try:
            return json.loads(text) if code == 200 else None
        except ValueError:
            return None


class Chaos:
    """The events, one at a time, and what each must leave behind."""

    def __init__(self, cluster, load, args):
        self.c, self.load, self.args = cluster, load, args
        self.rnd = random.Random(args.seed)
        self.events = []
        self.failures = []  # one line per broken promise
        self.recoveries = []  # seconds until traffic answered 200 again after an event
        self.metrics_catchups = []  # seconds until the metrics JVM saw the cluster again
        self.goodbye_windows = []  # (from, to): no request may be routed to a backend of the departed run
        self.silent_windows = []  # (from, to): a killed run's backends must be dropped by now
        self.cut = None

    def fail(self, line):
        log("chaos: FAILED " + line)
        self.failures.append(line)

    async def traffic_back(self, since, what):
        """A request sent after `since` answered 200 within --recover-sec."""
        deadline = since + self.args.recover_sec
        while time.time() < deadline:
            if self.load.last_ok_start > since:
                self.recoveries.append(self.load.last_ok_start - since)
                return
            await asyncio.sleep(0.2)
        self.fail(f"no request answered 200 within {self.args.recover_sec} s after {what}")

    async def metrics_back(self, since, what):
        """The metrics JVM lists every proxy instance and counts new requests within --recover-sec."""
        deadline, first = since + self.args.recover_sec, None
        while time.time() < deadline:
            stats = await asyncio.to_thread(self.c.metrics_stats)
            if stats and len(stats.get("proxies") or []) >= self.c.instances:
                total = stats["totals"]["requestsTotal"]
                if first is not None and total > first:
                    self.metrics_catchups.append(time.time() - since)
                    return
                first = total if first is None else first
            await asyncio.sleep(0.5)
        self.fail(f"the metrics JVM did not list {self.c.instances} proxy instances and count requests within "
                  f"{self.args.recover_sec} s after {what}")

    async def closed(self, port, host, seconds=30):
        """When this port first refused a connection (None if it did not within `seconds`)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                _, w = await asyncio.wait_for(asyncio.open_connection(host, port), 0.5)
                w.close()
            except ConnectionRefusedError:
                return time.time()
            except (OSError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.05)
        return None

    async def backends_down(self, sig):
        m = self.c.members["backends"]
        t0 = time.time()
        self.c.signal("backends", sig)
        closed = await self.closed(self.c.base + 101, m.ip) if sig == signal.SIGTERM else None
        await asyncio.to_thread(m.proc.wait, 60)
        gone = time.time()
        down = self.rnd.uniform(1, 10)
        log(f"chaos: backends JVM {'SIGKILL' if sig == signal.SIGKILL else 'SIGTERM'}, "
            + (f"b1's port closed after {closed - t0:.1f} s, " if closed else "")
            + f"exited after {gone - t0:.1f} s; restart in {down:.1f} s")
        await asyncio.sleep(down)
        restart = time.time()
        if sig == signal.SIGTERM:
            self.goodbye_windows.append(((closed or gone) + GOODBYE_SLACK_S, restart))
        else:
            expiry = self.c.missed * self.c.heartbeat_ms / 1000 + self.c.heartbeat_ms / 2000
            self.silent_windows.append((t0 + expiry + HEAD_SLACK_S, restart))
        self.c.start("backends")
        await self.traffic_back(restart, "the backends JVM restarted")

    async def metrics_kill(self):
        self.c.signal("metrics", signal.SIGKILL)
        await asyncio.to_thread(self.c.members["metrics"].proc.wait, 60)
        log("chaos: metrics JVM SIGKILL")
        await asyncio.sleep(self.rnd.uniform(1, 3))
        restart = time.time()
        self.c.start("metrics")
        await self.metrics_back(restart, "the metrics JVM restarted")

    async def pause(self):
        name = self.rnd.choice(["proxy", "backends", "metrics"])
        held = self.rnd.uniform(1, LONGEST_PAUSE_S)
        self.c.signal(name, signal.SIGSTOP)
        log(f"chaos: {name} JVM SIGSTOP for {held:.1f} s")
        await asyncio.sleep(held)
        self.c.signal(name, signal.SIGCONT)
        resumed = time.time()
        await self.traffic_back(resumed, f"the {name} JVM resumed")
        if name == "metrics":
            await self.metrics_back(resumed, "the metrics JVM resumed")

    async def partition(self, name):
        """One member cut off from the other two (the proxy JVM's clients on 127.0.0.1 still reach it)."""
        # Past Hazelcast's max.no.heartbeat (10 s) the cluster splits and must merge again.
        held = self.rnd.uniform(3, 16)
        self.cut = name
        self.c.net.cut(name, True)
        log(f"chaos: {name} JVM partitioned for {held:.1f} s")
        await asyncio.sleep(held)
        self.c.net.cut(name, False)
        self.cut = None
        healed = time.time()
        await self.traffic_back(healed, f"the {name} JVM's partition healed")
        if name != "backends":
            await self.metrics_back(healed, f"the {name} JVM's partition healed")

    async def remote_policy(self, policies):
        """The metrics JVM's admin API publishes to the cluster: the proxy JVM must take the policy."""
        policy = self.rnd.choice(policies)
        m = self.c.members["metrics"]
        code, text = await asyncio.to_thread(http, "POST", self.c.metrics_admin, "/admin/policy", {"type": policy},
                                             10, m.ip, {"Authorization": f"Bearer {self.c.token}"})
        log(f"chaos: policy {policy} through the metrics JVM -> {code}")
        if code != 200:
            self.fail(f"POST /admin/policy on the metrics JVM answered {code}: {text[:200]}")
            return
        deadline = time.time() + self.args.recover_sec
        while time.time() < deadline:
            code, text = await asyncio.to_thread(http, "GET", self.c.proxy_admin, "/stats")
            if code == 200 and json.loads(text).get("policy") == policy:
                return
            await asyncio.sleep(0.5)
        self.fail(f"the proxy JVM did not switch to {policy} within {self.args.recover_sec} s of the metrics JVM's call")

    async def run(self, stop_at, policies, kinds):
        deck = []
        while time.time() < stop_at:
            await asyncio.sleep(self.rnd.uniform(2, 5))
            if time.time() >= stop_at:
                break
            if not deck:  # every kind once, in a random order, before any repeats: short runs see them all
                deck = self.rnd.sample(kinds, len(kinds))
            kind = deck.pop()
            self.events.append(kind)
            if kind == "backends-kill":
                await self.backends_down(signal.SIGKILL)
            elif kind == "backends-term":
                await self.backends_down(signal.SIGTERM)
            elif kind == "metrics-kill":
                await self.metrics_kill()
            elif kind == "pause":
                await self.pause()
            elif kind.startswith("partition-"):
                await self.partition(kind.split("-", 1)[1])
            else:
                await self.remote_policy(policies)

    def heal(self):
        """Undo whatever an interrupted event left: links up, every JVM running."""
        if self.cut:
            self.c.net.cut(self.cut, False)
        for m in self.c.members.values():
            if m.proc and m.proc.poll() is None:
                os.kill(m.proc.pid, signal.SIGCONT)


def duplicated_rows(csv_path):
    """Request ids with more than one row (the metrics JVM's CSV: a batch delivered twice after a merge)."""
    seen, twice = set(), set()
    if os.path.exists(csv_path):
        with open(csv_path, newline="") as f:
            for row in csv.DictReader(f):
                (twice if row["request_id"] in seen else seen).add(row["request_id"])
    return twice


def routed_in_windows(csv_path, windows, names):
    """CSV rows of requests that arrived inside one of the windows and were sent to one of these backends."""
    hits = []
    if not windows:
        return hits
    with open(csv_path, newline="") as f:
        for row in csv.DictReader(f):
            ts = int(row["ts_ms"]) / 1000
            if row["backend"] in names and any(a < ts < b for a, b in windows):
                hits.append(row)
    return hits


async def cluster_ready(c, load_port, seconds):
    """The proxy answers 200 from a discovered backend (the cluster formed)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        code, _ = await asyncio.to_thread(http, "GET", load_port, "/", None, 5)
        if code == 200:
            return True
        await asyncio.sleep(1)
    return False


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--port-base", type=int, default=32000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--recover-sec", type=float, default=90)
    ap.add_argument("--partition", choices=["auto", "netns", "off"], default="auto")
    ap.add_argument("--events", default=",".join(EVENTS + PARTITIONS))
    args = ap.parse_args()
    kinds = [k for k in args.events.split(",") if k]
    unknown = [k for k in kinds if k not in EVENTS + PARTITIONS]
    if unknown or not kinds:
        log(f"chaos --cluster: unknown --events {','.join(unknown) or '(none)'}; known: {','.join(EVENTS + PARTITIONS)}")
        return 2
    os.makedirs(args.out, exist_ok=True)
    why_not = "--partition off" if args.partition == "off" else Net.unavailable()
    if why_not and args.partition == "netns":
        log(f"chaos --cluster: cannot make network namespaces: {why_not}")
        return 2
    net = None if why_not else Net(args.port_base, ["proxy", "backends", "metrics"])
    if not net:
        kinds = [k for k in kinds if k not in PARTITIONS]
        if not kinds:
            log(f"chaos --cluster: only partitions asked for, and no partition is possible: {why_not}")
            return 2
    ok = False
    c = None
    summary = None
    try:
        if net:
            net.setup()
        c = Cluster(args, net)
        for name in ("backends", "proxy", "metrics"):
            c.start(name)
        if not await wait_port(c.proxy_port, 300) or not await cluster_ready(c, c.proxy_port, 300):
            log(f"the cluster did not form (no 200 through the proxy); see {args.out}/*.log")
            return 2
        code, text = await asyncio.to_thread(http, "GET", c.proxy_admin, "/admin/policies")
        policies = ["round-robin", "least-request", "p2c-peak-ewma", "least-latency"]
        if code == 200:
            try:
                listed = json.loads(text)
                policies = [p["name"] for p in (listed.get("policies", listed) if isinstance(listed, dict) else listed)]
            except (ValueError, KeyError, TypeError):
                pass
        load = Load(c.proxy_port, args.clients)
        workers = [asyncio.get_running_loop().create_task(load.worker(n)) for n in range(args.clients)]
        await asyncio.sleep(15)
        proxy_pid = c.members["proxy"].proc.pid
        heap0, fd0 = heap_after_gc_kib(proxy_pid), fds(proxy_pid)
        log(f"chaos --cluster: warm; proxy heap after GC {heap0} KiB, {fd0} descriptors; partition "
            f"{'netns' if net else 'none (' + why_not + ')'}; breaking things for {args.minutes} min")
        chaos = Chaos(c, load, args)
        try:
            await chaos.run(time.time() + args.minutes * 60, policies, kinds)
        finally:
            chaos.heal()
        # Quiet end: everything back, then the load stops and the pools settle.
        settled = time.time()
        await chaos.traffic_back(settled, "the end of the chaos")
        await chaos.metrics_back(settled, "the end of the chaos")
        await asyncio.sleep(5)
        load.running = False
        await asyncio.gather(*workers, return_exceptions=True)
        await asyncio.sleep(2)
        proxy = c.members["proxy"].proc
        alive = proxy.poll() is None and (await asyncio.to_thread(http, "GET", c.proxy_admin, "/stats"))[0] == 200
        heap1, fd1 = heap_after_gc_kib(proxy_pid), fds(proxy_pid)
        proxy.send_signal(signal.SIGTERM)  # writes every CSV row before it exits
        await asyncio.to_thread(proxy.wait, 60)
        c.stop_all()
        started, running = len(c.started), c.left_running()
        acc = account(load, c.csv_path, ALLOWED_STATUSES, args.out)
        bound = c.head_bound_s()
        slow = sorted(((w, rid) for rid, w in load.head_wait.items() if w > bound), reverse=True)
        after_goodbye = routed_in_windows(c.csv_path, chaos.goodbye_windows, c.names)
        after_silence = routed_in_windows(c.csv_path, chaos.silent_windows, c.names)
        metrics_twice = duplicated_rows(c.metrics_csv)
        with open(os.path.join(args.out, "violations.txt"), "w") as f:
            for line in chaos.failures:
                f.write(line + "\n")
            for w, rid in slow:
                f.write(f"{rid} head after {w:.1f} s (bound {bound:.0f} s)\n")
            for row in after_goodbye:
                f.write(f"{row['request_id']} routed to {row['backend']} after its goodbye (status {row['status']})\n")
            for rid in sorted(metrics_twice):
                f.write(f"{rid} more than one row in the metrics JVM's CSV\n")
            for row in after_silence:
                f.write(f"{row['request_id']} routed to {row['backend']} after its silence expired "
                        f"(status {row['status']})\n")
        heap_ok, fd_ok = flat(heap0, heap1, fd0, fd1)
        ok = (not acc["unaccounted"] and not acc["missing"] and not acc["duplicated"] and not slow
              and not chaos.failures and not after_goodbye and not after_silence and not metrics_twice
              and alive and heap_ok and fd_ok
              and running == 0)
        longest = max(load.head_wait.values(), default=0)
        summary = (
            f"chaos --cluster: {len(load.sent)} requests in {args.minutes} min, {len(chaos.events)} events "
            f"({tally(chaos.events)}); outcomes {tally(acc['outcomes'])}; unaccounted {len(acc['unaccounted'])}; "
            f"CSV rows missing {len(acc['missing'])}, duplicated {len(acc['duplicated'])} (metrics JVM's CSV: "
            f"duplicated {len(metrics_twice)}); longest head wait "
            f"{longest:.1f} s (bound {bound:.0f} s); traffic back in at most "
            f"{max(chaos.recoveries, default=0):.1f} s, metrics JVM caught up in at most "
            f"{max(chaos.metrics_catchups, default=0):.1f} s (bound {args.recover_sec:.0f} s); routed after goodbye "
            f"{len(after_goodbye)}, after silence {len(after_silence)}; broken promises {len(chaos.failures)}; "
            f"proxy heap after GC {heap0} -> {heap1} KiB; descriptors {fd0} -> {fd1}; proxy alive {alive}; "
            f"JVMs started {started}, left running {running}; partition {'netns' if net else 'none (' + why_not + ')'}: "
            f"{'PASS' if ok else 'FAIL'}")
    finally:
        if c:
            c.stop_all()
        if net:
            net.teardown()
    if summary:
        print(summary, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
