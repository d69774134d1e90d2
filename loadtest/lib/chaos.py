#!/usr/bin/env python3
"""Chaos run for adaptive-lb: steady mixed load while backends and the proxy's settings are broken at random.

Started by loadtest/chaos.sh, which documents the options. Layout on loopback (PORT = --port-base):
  proxy JVM (roles proxy, metrics, dashboard)  PORT (proxy), PORT+1 (dashboard/admin), CSV in the run folder
  backend JVM k (roles backends, dashboard)    PORT+100+k (backend bk), PORT+200+k (its admin: profiles)
  relay k (this program)                        PORT+10+k -> PORT+100+k; the proxy talks to the relays,
                                                so connections can be cut and answers delayed at will.
Load: --clients keep-alive connections, each sending GETs (small and streamed 256 KiB answers) and POSTs
with bodies, every request carrying its own X-Request-Id, every answer recorded.
Chaos, one event every 2-6 s: a backend SIGKILLed and restarted, paused (SIGSTOP/SIGCONT), made slow or
failing, its connections cut at the relay; the policy or connection mode switched; a backend added and
removed; the config file rewritten and reloaded.
At the end: every request accounted for (answered with a status the rules allow, or cut after the answer
began because its backend broke mid-body), the CSV holding exactly one row per request the proxy read,
heap after GC and open descriptors not grown, the proxy alive. One summary line; exit 0 when all hold.
"""
import argparse
import asyncio
import csv
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.request

ALLOWED_STATUSES = {200, 500, 502, 503, 504}  # 500: a backend made failing answers 500 itself


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


class Lab:
    def __init__(self, args, out):
        self.args, self.out = args, out
        self.base = args.port_base
        self.proxy_port, self.admin_port = self.base, self.base + 1
        self.backends = {}  # name -> Popen
        self.proxy = None
        self.conf_path = os.path.join(out, "proxy.json")
        self.csv_path = os.path.join(out, "proxy_log.csv")

    def backend_port(self, k):
        return self.base + 100 + k

    def backend_admin(self, k):
        return self.base + 200 + k

    def relay_port(self, k):
        return self.base + 10 + k

    def java(self, conf, logname):
        cmd = ["java", "-Xms32m", "-Xmx192m", "-XX:+UseSerialGC", "-jar", self.args.jar, "-conf", conf]
        return subprocess.Popen(cmd, stdout=open(os.path.join(self.out, logname), "ab"),
                                stderr=subprocess.STDOUT, cwd=self.out)

    def start_backend(self, k):
        conf = {"roles": ["backends", "dashboard"],
                "backends": [{"name": f"b{k}", "host": "127.0.0.1", "port": self.backend_port(k),
                              "latency": {"dist": "lognormal", "ms": 4 * k, "sigma": 0.3}}],
                "dashboard": {"host": "127.0.0.1", "port": self.backend_admin(k)}}
        path = os.path.join(self.out, f"b{k}.json")
        with open(path, "w") as f:
            json.dump(conf, f)
        self.backends[k] = self.java(path, f"b{k}.log")

    def write_proxy_conf(self, policy, connection="persistent", backends=(1, 2, 3)):
        conf = {"roles": ["proxy", "metrics", "dashboard"],
                "proxy": {"host": "127.0.0.1", "port": self.proxy_port, "instances": 2, "connection": connection,
                          "policy": {"type": policy},
                          "backends": [{"name": f"b{k}", "url": f"http://127.0.0.1:{self.relay_port(k)}"}
                                       for k in backends]},
                "metrics": {"csv": self.csv_path, "windowSec": 10},
                "dashboard": {"host": "127.0.0.1", "port": self.admin_port}}
        with open(self.conf_path, "w") as f:
            json.dump(conf, f)

    def start_proxy(self):
        self.proxy = self.java(self.conf_path, "proxy.log")

    def stop_all(self):
        for p in list(self.backends.values()) + [self.proxy]:
            if p and p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGCONT)
                    p.terminate()
                    p.wait(timeout=20)
                except Exception:
                    p.kill()


def http(method, port, path, body=None, timeout=10, host="127.0.0.1", headers=None):
    data = json.dumps(body).encode() if body is not None else None
    # The admin API takes state-changing calls only as JSON, bodiless ones included.
    sent = {"Content-Type": "application/json"} if method != "GET" else {}
    req = urllib.request.Request(f"http://{host}:{port}{path}", data=data, method=method,
                                 headers={**sent, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except Exception as e:  # noqa: BLE001 - a chaos event may meet a paused or dead JVM
        return 0, str(e)


async def wait_port(port, seconds=120, host="127.0.0.1"):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            _, w = await asyncio.open_connection(host, port)
            w.close()
            return True
        except OSError:
            await asyncio.sleep(0.2)
    return False


class Relay:
    """A TCP relay in front of one backend: it can cut every connection and delay the backend's bytes."""

    def __init__(self, listen, target):
        self.listen, self.target = listen, target
        self.conns = set()
        self.delay = 0.0
        self.server = None

    async def start(self):
        self.server = await asyncio.start_server(self.accept, "127.0.0.1", self.listen)

    async def accept(self, cr, cw):
        try:
            br, bw = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            cw.transport.abort()
            return
        pair = (cw, bw)
        self.conns.add(pair)

        async def pipe(r, w, delayed):
            try:
                while True:
                    data = await r.read(65536)
                    if not data:
                        break
                    if delayed and self.delay:
                        await asyncio.sleep(self.delay)
                    w.write(data)
                    await w.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                try:
                    w.close()
                except Exception:  # noqa: BLE001
                    pass

        try:
            await asyncio.gather(pipe(cr, bw, False), pipe(br, cw, True))
        except asyncio.CancelledError:
            pass  # the relay is shutting down with this connection open: nothing left to report
        finally:
            self.conns.discard(pair)

    def cut(self):
        for cw, bw in list(self.conns):
            cw.transport.abort()
            bw.transport.abort()
        self.conns.clear()


class Load:
    def __init__(self, port, clients):
        self.port, self.clients = port, clients
        self.sent = {}  # request id -> outcome
        self.head_wait = {}  # request id -> seconds from sending until the answer's head (or the failure)
        self.last_ok_start = 0.0  # when the latest request answered 200 was sent (time.time())
        self.running = True
        self.seq = 0

    def next_id(self):
        self.seq += 1
        return f"chaos-{self.seq}"

    async def worker(self, n):
        reader = writer = None
        rnd = random.Random(n)
        while self.running:
            if writer is None:
                try:
                    reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                except OSError as e:
                    rid = self.next_id()
                    self.sent[rid] = "connect-failed:" + type(e).__name__
                    await asyncio.sleep(0.2)
                    continue
            rid = self.next_id()
            kind = rnd.random()
            if kind < 0.55:
                req, expect_len = f"GET /?size=512 HTTP/1.1\r\nHost: lab\r\nX-Request-Id: {rid}\r\n\r\n".encode(), 512
            elif kind < 0.75:
                req, expect_len = f"GET /?size=262144 HTTP/1.1\r\nHost: lab\r\nX-Request-Id: {rid}\r\n\r\n".encode(), 262144
            else:
                body = os.urandom(rnd.randint(1, 64 * 1024))
                req = (f"POST /upload HTTP/1.1\r\nHost: lab\r\nX-Request-Id: {rid}\r\nContent-Type: application/octet-stream"
                       f"\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
                expect_len = None
            self.sent[rid] = "pending"
            started = time.time()
            try:
                writer.write(req)
                await writer.drain()
                status, headers, close = await asyncio.wait_for(self.read_head(reader), 120)
                self.head_wait[rid] = time.time() - started
                self.sent[rid] = "head"
                got = await asyncio.wait_for(self.read_body(reader, headers), 120)
                if status == 200 and expect_len is not None and got != expect_len:
                    self.sent[rid] = f"short-body:{got}/{expect_len}"
                else:
                    self.sent[rid] = status
                    if status == 200:
                        self.last_ok_start = max(self.last_ok_start, started)
                if close:
                    writer.close()
                    writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError, asyncio.TimeoutError) as e:
                self.head_wait.setdefault(rid, time.time() - started)
                before = self.sent[rid]
                self.sent[rid] = ("cut-after-head" if before == "head" else "cut-before-head:" + type(e).__name__)
                try:
                    writer.close()
                except Exception:  # noqa: BLE001
                    pass
                writer = None

    @staticmethod
    async def read_head(reader):
        line = await reader.readuntil(b"\r\n")
        m = re.match(rb"HTTP/1\.[01] (\d{3})", line)
        if not m:
            raise ValueError("bad status line")
        headers = {}
        while True:
            h = await reader.readuntil(b"\r\n")
            if h == b"\r\n":
                break
            k, _, v = h.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        close = headers.get("connection", "").lower() == "close"
        return int(m.group(1)), headers, close

    @staticmethod
    async def read_body(reader, headers):
        if "content-length" in headers:
            n = int(headers["content-length"])
            await reader.readexactly(n)
            return n
        if headers.get("transfer-encoding", "").lower() == "chunked":
            total = 0
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                if size == 0:
                    while await reader.readuntil(b"\r\n") != b"\r\n":
                        pass
                    return total
                await reader.readexactly(size + 2)
                total += size
        return 0


def fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def heap_after_gc_kib(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    # The heap's generations (Serial GC: "def new generation", "tenured generation"), not Metaspace.
    used = [int(m.group(1)) for m in re.finditer(r"(?:generation|heap)\s+total \d+K, used (\d+)K", out)]
    return sum(used) if used else -1


def flat(heap0, heap1, fd0, fd1):
    """Heap after a full GC grown by less than max(16 MiB, 25%), open descriptors by at most 20."""
    return heap1 <= max(heap0 + 16 * 1024, heap0 * 1.25), fd1 <= fd0 + 20


def account(load, csv_path, allowed, out_dir):
    """Every client request against its rule and the proxy's CSV: what chaos runs of every kind check.

    A request is accounted for when answered with an allowed status or cut after its answer began (its
    backend broke mid-body; the proxy never makes up an end). The CSV must hold exactly one row per request
    the proxy read (by X-Request-Id). What fails either rule is written to unaccounted.txt in out_dir.
    """
    rows = {}
    with open(csv_path, newline="") as f:
        for row in csv.DictReader(f):
            rows[row["request_id"]] = rows.get(row["request_id"], 0) + 1
    outcomes = {}
    unaccounted = []
    for rid, outcome in load.sent.items():
        key = outcome if isinstance(outcome, str) else f"status {outcome}"
        key = key.split(":")[0]
        outcomes[key] = outcomes.get(key, 0) + 1
        if isinstance(outcome, int) and outcome in allowed or outcome == "cut-after-head":
            continue
        unaccounted.append((rid, outcome))
    reached = [rid for rid, o in load.sent.items() if not (isinstance(o, str) and o.startswith("connect-failed"))]
    missing = [rid for rid in reached if rid not in rows and load.sent[rid] != "pending"]
    duplicated = [rid for rid, n in rows.items() if n > 1]
    with open(os.path.join(out_dir, "unaccounted.txt"), "w") as f:
        for rid, o in unaccounted:
            f.write(f"{rid} {o}\n")
        for rid in missing:
            f.write(f"{rid} no CSV row (client saw {load.sent[rid]})\n")
    return {"outcomes": outcomes, "unaccounted": unaccounted, "missing": missing, "duplicated": duplicated}


def tally(items):
    """'a 2, b 5' for a list of names or a name -> count dict, sorted by name."""
    counts = items if isinstance(items, dict) else {k: items.count(k) for k in set(items)}
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


async def chaos(lab, relays, args, policies, stop_at):
    rnd = random.Random(args.seed)
    events = []
    added = False
    while time.time() < stop_at:
        await asyncio.sleep(rnd.uniform(2, 6))
        if time.time() >= stop_at:
            break
        k = rnd.randint(1, 3)
        kind = rnd.choice(["kill", "pause", "slow", "fail", "cut", "policy", "connection", "add-remove", "reload"])
        events.append(kind)
        if kind == "kill":
            p = lab.backends[k]
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
            log(f"chaos: SIGKILL b{k}")
            await asyncio.sleep(rnd.uniform(1, 3))
            lab.start_backend(k)
            asyncio.get_running_loop().create_task(wait_port(lab.backend_port(k)))
        elif kind == "pause":
            os.kill(lab.backends[k].pid, signal.SIGSTOP)
            log(f"chaos: SIGSTOP b{k}")
            await asyncio.sleep(rnd.uniform(1, 4))
            os.kill(lab.backends[k].pid, signal.SIGCONT)
        elif kind in ("slow", "fail"):
            profile = {"latency": {"dist": "constant", "ms": 400}} if kind == "slow" else {"errorRate": 0.5}
            await asyncio.to_thread(http, "PUT", lab.backend_admin(k), f"/admin/backends/b{k}/profile", profile)
            log(f"chaos: b{k} {kind}")
            await asyncio.sleep(rnd.uniform(2, 5))
            restore = {"latency": {"dist": "lognormal", "ms": 4 * k, "sigma": 0.3}, "errorRate": 0.0}
            await asyncio.to_thread(http, "PUT", lab.backend_admin(k), f"/admin/backends/b{k}/profile", restore)
        elif kind == "cut":
            relays[k].cut()
            log(f"chaos: connections to b{k} cut")
        elif kind == "policy":
            p = rnd.choice(policies)
            code, _ = await asyncio.to_thread(http, "POST", lab.admin_port, "/admin/policy", {"type": p})
            log(f"chaos: policy {p} -> {code}")
        elif kind == "connection":
            mode = rnd.choice(["persistent", "non-persistent"])
            code, _ = await asyncio.to_thread(http, "POST", lab.admin_port, "/admin/connection", {"connection": mode})
            log(f"chaos: connection {mode} -> {code}")
        elif kind == "add-remove":
            if not added:
                code, _ = await asyncio.to_thread(http, "POST", lab.admin_port, "/admin/backends",
                                                  {"name": "b4", "url": f"http://127.0.0.1:{lab.relay_port(4)}"})
                log(f"chaos: add b4 -> {code}")
            else:
                code, _ = await asyncio.to_thread(http, "DELETE", lab.admin_port, "/admin/backends/b4")
                log(f"chaos: remove b4 -> {code}")
            added = not added
        elif kind == "reload":
            lab.write_proxy_conf(rnd.choice(policies), rnd.choice(["persistent", "non-persistent"]))
            code, _ = await asyncio.to_thread(http, "POST", lab.admin_port, "/admin/reload", {})
            log(f"chaos: reload -> {code}")
    return events


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--port-base", type=int, default=31000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    lab = Lab(args, args.out)
    policies = ["round-robin", "sma", "ewma", "least-request", "p2c-peak-ewma", "least-latency"]
    relays = {k: Relay(lab.relay_port(k), lab.backend_port(k)) for k in range(1, 5)}
    ok = False
    try:
        for k in range(1, 5):
            lab.start_backend(k)
            await relays[k].start()
        for k in range(1, 5):
            if not await wait_port(lab.backend_port(k)):
                log(f"backend b{k} did not start; see {args.out}/b{k}.log")
                return 2
        lab.write_proxy_conf("least-latency")
        lab.start_proxy()
        if not await wait_port(lab.proxy_port) or not await wait_port(lab.admin_port):
            log(f"the proxy did not start; see {args.out}/proxy.log")
            return 2
        code, text = await asyncio.to_thread(http, "GET", lab.admin_port, "/admin/policies")
        if code == 200:
            try:
                listed = json.loads(text)
                names = [p["name"] for p in (listed.get("policies", listed) if isinstance(listed, dict) else listed)]
                policies = names or policies
            except (ValueError, KeyError, TypeError):
                pass
        load = Load(lab.proxy_port, args.clients)
        workers = [asyncio.get_running_loop().create_task(load.worker(n)) for n in range(args.clients)]
        await asyncio.sleep(15)
        heap0, fd0 = heap_after_gc_kib(lab.proxy.pid), fds(lab.proxy.pid)
        log(f"chaos: warm; heap after GC {heap0} KiB, {fd0} descriptors; breaking things for {args.minutes} min")
        events = await chaos(lab, relays, args, policies, time.time() + args.minutes * 60)
        # Quiet end: every backend back and healthy, then the load stops and the pools settle.
        for k in range(1, 4):
            os.kill(lab.backends[k].pid, signal.SIGCONT)
            await asyncio.to_thread(http, "PUT", lab.backend_admin(k), f"/admin/backends/b{k}/profile",
                                    {"latency": {"dist": "lognormal", "ms": 4 * k, "sigma": 0.3}, "errorRate": 0.0})
        await asyncio.sleep(10)
        load.running = False
        await asyncio.gather(*workers, return_exceptions=True)
        await asyncio.sleep(2)
        alive = lab.proxy.poll() is None and (await asyncio.to_thread(http, "GET", lab.admin_port, "/stats"))[0] == 200
        heap1, fd1 = heap_after_gc_kib(lab.proxy.pid), fds(lab.proxy.pid)
        lab.proxy.send_signal(signal.SIGTERM)
        lab.proxy.wait(timeout=60)
        acc = account(load, lab.csv_path, ALLOWED_STATUSES, args.out)
        unaccounted, missing, duplicated = acc["unaccounted"], acc["missing"], acc["duplicated"]
        heap_ok, fd_ok = flat(heap0, heap1, fd0, fd1)
        ok = not unaccounted and not missing and not duplicated and alive and heap_ok and fd_ok
        print(f"chaos: {len(load.sent)} requests in {args.minutes} min, {len(events)} events "
              f"({tally(events)}); outcomes "
              f"{tally(acc['outcomes'])}; unaccounted {len(unaccounted)}; "
              f"CSV rows missing {len(missing)}, duplicated {len(duplicated)}; heap after GC {heap0} -> {heap1} KiB; "
              f"descriptors {fd0} -> {fd1}; proxy alive {alive}: {'PASS' if ok else 'FAIL'}", flush=True)
    finally:
        for r in relays.values():
            if r.server:
                r.server.close()
            r.cut()
        lab.stop_all()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
