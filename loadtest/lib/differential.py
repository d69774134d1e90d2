#!/usr/bin/env python3
"""Differential framing test: one corpus of raw requests (the smuggling families among them) sent through
adaptive-lb, nginx and HAProxy to one recording backend. For each case the corpus states what RFC 9112
lets a server do with the bytes: refuse them, or forward exactly these requests (method, target, body).
adaptive-lb must do one of the allowed things; nginx's and HAProxy's behaviour is recorded beside it.
Started by loadtest/differential.sh, which documents the options; prints a markdown table.
"""
import argparse
import asyncio
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time

REJECT = "reject"


def req(method, target, body=b""):
    return (method, target, hashlib.sha256(body).hexdigest()[:12], len(body))


G = req("GET", "/")
H = "Host: t\r\n"
# name, raw bytes, allowed outcomes (REJECT and/or a list of requests the backend may see), why
CORPUS = [
    ("plain GET", f"GET / HTTP/1.1\r\n{H}\r\n", [[G]], "baseline"),
    ("POST with Content-Length", f"POST /p HTTP/1.1\r\n{H}Content-Length: 5\r\n\r\nhello",
     [[req("POST", "/p", b"hello")]], "baseline"),
    ("POST chunked", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
     [[req("POST", "/p", b"hello")]], "baseline"),
    ("chunk extensions", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5;a=1;b=\"x y\"\r\nhello\r\n0;z\r\n\r\n",
     [[req("POST", "/p", b"hello")]], "RFC 9112 7.1.1: extensions are ignored"),
    ("chunk size with leading zeros", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n0005\r\nhello\r\n0\r\n\r\n",
     [[req("POST", "/p", b"hello")]], "1*HEXDIG"),
    ("chunked with trailer", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
     [[req("POST", "/p", b"hello")]], "trailer section"),
    ("TRANSFER-ENCODING: CHUNKED (case)", f"POST /p HTTP/1.1\r\n{H}TRANSFER-ENCODING: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
     [[req("POST", "/p", b"hello")]], "coding names are case-insensitive"),
    ("pipelined GET GET", f"GET /a HTTP/1.1\r\n{H}\r\nGET /b HTTP/1.1\r\n{H}\r\n",
     [[req("GET", "/a"), req("GET", "/b")]], "two requests"),
    ("GET with a body", f"GET /g HTTP/1.1\r\n{H}Content-Length: 3\r\n\r\nabc",
     [[req("GET", "/g", b"abc")], REJECT], "content on GET has no defined meaning; forward or refuse"),
    ("CL.TE", f"POST /p HTTP/1.1\r\n{H}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
     [REJECT, [req("POST", "/p")]], "6.3: MAY reject; if processed, chunked wins and the connection closes"),
    ("TE.CL", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
     [REJECT, [req("POST", "/p", b"SMUGGLED")]], "6.3: as above"),
    ("TE: xchunked", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\nhello",
     [REJECT], "TE with CL; unknown coding: 501"),
    ("TE: chunked, identity", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
     [REJECT], "chunked must be the final coding: 400/501"),
    ("two TE lines (chunked, x)", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
     [REJECT], "combined value 'chunked, x': chunked not final"),
    ("space before colon (TE)", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\nhello",
     [REJECT], "5.1: MUST reject whitespace between name and colon with 400"),
    ("obs-fold TE", f"POST /p HTTP/1.1\r\n{H}X: y\r\n Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello",
     [REJECT, [req("POST", "/p", b"hello")]], "5.2: reject obs-fold or replace it with SP (then no TE field)"),
    ("tab before TE value", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding:\tchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
     [[req("POST", "/p", b"hello")]], "OWS includes HTAB"),
    ("two equal Content-Lengths", f"POST /p HTTP/1.1\r\n{H}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
     [REJECT, [req("POST", "/p", b"hello")]], "6.3: MAY accept identical duplicates"),
    ("two different Content-Lengths", f"POST /p HTTP/1.1\r\n{H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
     [REJECT], "6.3: unrecoverable error"),
    ("Content-Length: +5", f"POST /p HTTP/1.1\r\n{H}Content-Length: +5\r\n\r\nhello", [REJECT], "1*DIGIT"),
    ("Content-Length: 5, 5", f"POST /p HTTP/1.1\r\n{H}Content-Length: 5, 5\r\n\r\nhello",
     [REJECT, [req("POST", "/p", b"hello")]], "a list of identical values MAY be accepted"),
    ("bare LF line endings", "GET / HTTP/1.1\nHost: t\n\n",
     [REJECT, [G]], "2.2: a recipient MAY accept bare LF"),
    ("bare CR in a field", f"GET / HTTP/1.1\r\n{H}X: a\rb\r\n\r\n", [REJECT], "2.2: bare CR MUST be rejected or replaced"),
    ("NUL in a field value", f"GET / HTTP/1.1\r\n{H}X: a\x00b\r\n\r\n", [REJECT, [G]], "5.5: NUL MUST be rejected or replaced with SP"),
    ("chunk size overflow", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff1\r\nhello\r\n0\r\n\r\n",
     [REJECT], "size beyond 64 bits"),
    ("chunk data longer than size", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n",
     [REJECT, "incomplete"], "chunk not followed by CRLF: the body must not complete"),
    ("chunk size with space then ext", f"POST /p HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5 ;x\r\nhello\r\n0\r\n\r\n",
     [[req("POST", "/p", b"hello")], REJECT], "BWS before ';' is allowed (7.1.1)"),
    ("TE in HTTP/1.0", "POST /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
     [REJECT], "6.1: a 1.0 message with TE: the server SHOULD treat framing as faulty"),
    ("two Hosts", f"GET / HTTP/1.1\r\n{H}{H}\r\n", [REJECT], "3.2: MUST respond 400"),
    ("no Host in 1.1", "GET / HTTP/1.1\r\n\r\n", [REJECT], "3.2: MUST respond 400"),
    ("absolute-form, Host differs", "GET http://a/x HTTP/1.1\r\nHost: b\r\n\r\n",
     [REJECT, [req("GET", "http://a/x")], [req("GET", "/x")]], "3.2.2: the target's authority wins"),
    ("request line with two spaces", f"GET  / HTTP/1.1\r\n{H}\r\n", [REJECT, [G]], "3: single SP, but recipients MAY split on whitespace"),
    ("space in target", f"GET /a b HTTP/1.1\r\n{H}\r\n", [REJECT], "3.2: no whitespace in the target"),
    ("HTTP/1.1 then garbage", f"GET / HTTP/1.1\r\n{H}\r\nGARBAGE\r\n\r\n", [[G]], "the second message is invalid alone"),
    ("Expect: 100-continue", f"POST /p HTTP/1.1\r\n{H}Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello",
     [[req("POST", "/p", b"hello")]], "the body follows without waiting"),
]


class Recorder:
    """A backend that frames requests as a common lenient server does and records each one."""

    def __init__(self):
        self.seen = []

    async def handle(self, reader, writer):
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf and b"\n\n" not in buf:
                    data = await asyncio.wait_for(reader.read(65536), 5)
                    if not data:
                        return
                    buf += data
                sep = b"\r\n\r\n" if b"\r\n\r\n" in buf else b"\n\n"
                head, buf = buf.split(sep, 1)
                lines = re.split(rb"\r?\n", head)
                parts = lines[0].split(b" ")
                method, target = parts[0].decode("latin-1"), parts[1].decode("latin-1") if len(parts) > 1 else ""
                fields = [l.split(b":", 1) for l in lines[1:] if b":" in l]
                te = b",".join(v.strip().lower() for k, v in fields if k.strip().lower() == b"transfer-encoding")
                cl = [v.strip() for k, v in fields if k.strip().lower() == b"content-length"]
                body = b""
                if b"chunked" in te:
                    while True:
                        while b"\r\n" not in buf:
                            data = await asyncio.wait_for(reader.read(65536), 5)
                            if not data:
                                return
                            buf += data
                        line, buf = buf.split(b"\r\n", 1)
                        size = int(line.split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while b"\r\n\r\n" not in b"\r\n" + buf:
                                data = await asyncio.wait_for(reader.read(65536), 5)
                                if not data:
                                    return
                                buf += data
                            buf = (b"\r\n" + buf).split(b"\r\n\r\n", 1)[1]
                            break
                        while len(buf) < size + 2:
                            data = await asyncio.wait_for(reader.read(65536), 5)
                            if not data:
                                return
                            buf += data
                        body += buf[:size]
                        buf = buf[size + 2:]
                elif cl:
                    n = int(cl[0])
                    while len(buf) < n:
                        data = await asyncio.wait_for(reader.read(65536), 5)
                        if not data:
                            return
                        buf += data
                    body, buf = buf[:n], buf[n:]
                self.seen.append(req(method, target, body))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.TimeoutError, asyncio.CancelledError, OSError, ValueError, IndexError):
            pass
        finally:
            writer.close()


async def send(port, raw, first_byte=5.0):
    """Sends raw bytes on a new connection; the statuses of every answer read until 1 s of silence."""
    try:
        r, w = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return "no connection"
    w.write(raw)
    try:
        await w.drain()
        data = b""
        while True:
            chunk = await asyncio.wait_for(r.read(65536), first_byte if not data else 1.0)
            if not chunk:
                break
            data += chunk
    except (asyncio.TimeoutError, OSError):
        pass
    w.close()
    statuses = re.findall(rb"HTTP/1\.[01] (\d{3})", data)
    return ",".join(s.decode() for s in statuses) or "-"


def verdict(seen, allowed):
    if not seen:
        return REJECT if REJECT in allowed or "incomplete" in allowed else "nothing forwarded"
    for a in allowed:
        if isinstance(a, list) and seen == a:
            return "forwarded as framed"
    return "FORWARDED " + "; ".join(f"{m} {t} body {n} B" for m, t, _, n in seen)


def describe(seen, statuses, allowed):
    v = verdict(seen, allowed)
    ok = v in (REJECT, "forwarded as framed")
    text = ("refused " + statuses) if v == REJECT else (f"{v} ({statuses})")
    return ok, text


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--port-base", type=int, default=32000)
    args = ap.parse_args()
    out, base = args.out, args.port_base
    rec_port, lb_port, nginx_port, haproxy_port = base, base + 1, base + 2, base + 3
    recorder = Recorder()
    server = await asyncio.start_server(recorder.handle, "127.0.0.1", rec_port)
    procs = []
    try:
        conf = {"roles": ["proxy"], "proxy": {"host": "127.0.0.1", "port": lb_port, "instances": 1,
                                               "policy": {"type": "round-robin"},
                                               "retries": {"maxAttempts": 1},
                                               "backends": [{"name": "rec", "url": f"http://127.0.0.1:{rec_port}"}]},
                "metrics": {"csv": ""}}
        with open(f"{out}/lb.json", "w") as f:
            json.dump(conf, f)
        procs.append(subprocess.Popen(["java", "-jar", args.jar, "-conf", f"{out}/lb.json"],
                                      stdout=open(f"{out}/lb.log", "wb"), stderr=subprocess.STDOUT))
        with open(f"{out}/nginx.conf", "w") as f:
            f.write(f"""daemon off; worker_processes 1; pid {out}/nginx.pid; error_log {out}/nginx-error.log;
events {{ worker_connections 256; }}
http {{ access_log off; client_body_temp_path {out}/nginx-body;
  upstream rec {{ server 127.0.0.1:{rec_port}; keepalive 8; }}
  server {{ listen 127.0.0.1:{nginx_port}; location / {{ proxy_pass http://rec; proxy_http_version 1.1;
    proxy_set_header Connection ""; proxy_request_buffering off; }} }} }}
""")
        procs.append(subprocess.Popen(["nginx", "-e", f"{out}/nginx-error.log", "-p", f"{out}/", "-c", f"{out}/nginx.conf"],
                                      stdout=open(f"{out}/nginx.log", "wb"), stderr=subprocess.STDOUT))
        with open(f"{out}/haproxy.cfg", "w") as f:
            f.write(f"""defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.0.1:{haproxy_port}
  default_backend be
backend be
  server rec 127.0.0.1:{rec_port}
""")
        procs.append(subprocess.Popen(["haproxy", "-db", "-f", f"{out}/haproxy.cfg"],
                                      stdout=open(f"{out}/haproxy.log", "wb"), stderr=subprocess.STDOUT))
        for port in (lb_port, nginx_port, haproxy_port):
            deadline = time.time() + 120
            while time.time() < deadline:
                try:
                    _, w = await asyncio.open_connection("127.0.0.1", port)
                    w.close()
                    break
                except OSError:
                    await asyncio.sleep(0.3)
        for port in (lb_port, nginx_port, haproxy_port):  # warm: a cold JVM's first answers are slow
            for _ in range(20):
                await send(port, b"GET / HTTP/1.1\r\nHost: t\r\n\r\n", first_byte=10)
        rows, failures = [], 0
        for name, raw, allowed, why in CORPUS:
            cells = []
            for port in (lb_port, nginx_port, haproxy_port):
                recorder.seen.clear()
                statuses = await send(port, raw.encode("latin-1"))
                await asyncio.sleep(0.3)
                ok, text = describe(list(recorder.seen), statuses, allowed)
                cells.append((ok, text))
            if not cells[0][0]:
                failures += 1
            rows.append((name, why, cells))
        print("| case | RFC 9112 | adaptive-lb | nginx | HAProxy |")
        print("|---|---|---|---|---|")
        for name, why, cells in rows:
            marks = [("" if ok else "**✗** ") + text for ok, text in cells]
            print(f"| {name} | {why} | {marks[0]} | {marks[1]} | {marks[2]} |")
        print(f"\ndifferential: {len(rows)} cases; adaptive-lb outside what RFC 9112 allows: {failures}")
        return 0 if failures == 0 else 1
    finally:
        server.close()
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
