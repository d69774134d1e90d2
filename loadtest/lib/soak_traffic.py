#!/usr/bin/env python3
"""soak.sh's traffic beside wrk, through the proxy to case_backends.py's echo, SSE and WebSocket servers.

usage: soak_traffic.py --port P --seconds S --out FILE.json [--ws N] [--churn N] [--sse N] [--posts N]
                       [--sse-interval S] [--seed N]

For S seconds, all at once:
  --ws N     long-lived WebSockets (/soak/ws/), each sending a text or binary message (1 B - 64 KiB) every
             0.2-1 s and checking that the echo is that message exactly; closed cleanly (close frame
             answered) at the end
  --churn N  workers opening a WebSocket, echoing 1-3 messages and closing it cleanly, again and again
  --sse N    event streams (/soak/sse/, one event per --sse-interval, endless), each read for 10-40 s and
             then ended by this client; every event must arrive, ids 1, 2, 3... in order, until then
  --posts N  keep-alive connections POSTing bodies of 0 B - 512 KiB (Content-Length or chunked) to
             /soak/echo/, each answer 200 with the body's length and SHA-256
Anything else (a refused handshake, an echo that differs, a stream or WebSocket the other side ended, a
gap in the ids, a wrong digest, a timeout) is an error, listed in FILE.errors.txt. FILE.json holds the
counts; the last line printed is one summary. Exit status 0 when there was no error.
"""
import argparse
import asyncio
import base64
import hashlib
import json
import os
import random
import re
import struct
import sys
import time

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC11B7B"
TIMEOUT = 30  # seconds an answer may take on a machine wrk keeps busy before it counts as an error
TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_"


class Failure(Exception):
    """Something the proxy should not have done: counted under its kind."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


class Tally:
    def __init__(self):
        self.counts = {k: 0 for k in ("ws_connections", "ws_churn_connections", "ws_messages",
                                      "sse_streams", "sse_events", "posts", "post_bytes")}
        self.errors = []
        self.sse_max_delay_ms = 0

    def add(self, key, n=1):
        self.counts[key] += n

    def error(self, what, e):
        kind = e.kind if isinstance(e, Failure) else type(e).__name__
        self.errors.append((time.strftime("%H:%M:%S"), what, kind, str(e)))


async def connect(port):
    return await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), TIMEOUT)


async def read_head(reader):
    """(status, {lower-case name: value}) of one response head."""
    line = await asyncio.wait_for(reader.readuntil(b"\r\n"), TIMEOUT)
    m = re.match(rb"HTTP/1\.[01] (\d{3})", line)
    if not m:
        raise Failure("bad-status-line", repr(line[:80]))
    headers = {}
    while True:
        h = await asyncio.wait_for(reader.readuntil(b"\r\n"), TIMEOUT)
        if h == b"\r\n":
            return int(m.group(1)), headers
        name, _, value = h.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()


async def closed(writer):
    writer.close()
    try:
        await asyncio.wait_for(writer.wait_closed(), 5)
    except (OSError, asyncio.TimeoutError):
        pass


# ------------------------------------------------------------------------------------------- WebSocket

async def ws_open(port, tally):
    key = base64.b64encode(os.urandom(16)).decode()
    reader, writer = await connect(port)
    writer.write((f"GET /soak/ws/ HTTP/1.1\r\nHost: soak.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    status, headers = await read_head(reader)
    accept = base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()
    if status != 101 or headers.get("sec-websocket-accept") != accept:
        await closed(writer)
        raise Failure("ws-handshake", f"status {status}, accept {headers.get('sec-websocket-accept')!r}")
    tally.add("ws_connections")
    return reader, writer


def ws_frame(opcode, payload):
    """A masked client frame with FIN set (RFC 6455 5.2)."""
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    mask = os.urandom(4)
    key = (mask * (n // 4 + 1))[:n]
    return head + mask + (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")


async def ws_read(reader):
    """(opcode, payload) of one unmasked server frame."""
    head = await asyncio.wait_for(reader.readexactly(2), TIMEOUT)
    if not head[0] & 0x80 or head[1] & 0x80:
        raise Failure("ws-frame", f"fragmented or masked server frame {head!r}")
    n = head[1] & 0x7F
    if n == 126:
        n = struct.unpack("!H", await reader.readexactly(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", await reader.readexactly(8))[0]
    return head[0] & 0x0F, await asyncio.wait_for(reader.readexactly(n), TIMEOUT)


def ws_message(rnd, tag):
    size = rnd.choice((rnd.randint(1, 128), rnd.randint(129, 4096), rnd.randint(4097, 65536)))
    if rnd.random() < 0.5:
        text = (tag + ":" + "".join(rnd.choice(TEXT) for _ in range(size)))[:max(size, len(tag) + 1)]
        return 1, text.encode()
    return 2, rnd.randbytes(size)


async def ws_echo(reader, writer, opcode, payload):
    writer.write(ws_frame(opcode, payload))
    await writer.drain()
    got_op, got = await ws_read(reader)
    if (got_op, got) != (opcode, payload):
        raise Failure("ws-echo-differs", f"sent opcode {opcode} {len(payload)} B, got opcode {got_op} {len(got)} B")


async def ws_close(reader, writer):
    """Close frame 1000, its echo, then the end of the connection."""
    writer.write(ws_frame(8, struct.pack("!H", 1000)))
    await writer.drain()
    op, payload = await ws_read(reader)
    if op != 8 or payload[:2] != struct.pack("!H", 1000):
        raise Failure("ws-close", f"answered opcode {op} {payload[:2]!r} to a close")
    rest = await asyncio.wait_for(reader.read(1), TIMEOUT)
    await closed(writer)
    if rest:
        raise Failure("ws-close", "bytes after the close frame")


async def ws_long(port, tally, n, deadline):
    """One WebSocket for the whole run; reopened (and counted an error) if the far side ends it."""
    rnd = random.Random(f"ws-{n}")
    seq = 0
    while time.time() < deadline:
        try:
            reader, writer = await ws_open(port, tally)
        except (Failure, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            tally.error(f"ws {n} open", e)
            await asyncio.sleep(1)
            continue
        try:
            while time.time() < deadline:
                await asyncio.sleep(rnd.uniform(0.2, 1.0))
                seq += 1
                await ws_echo(reader, writer, *ws_message(rnd, f"ws{n}-{seq}"))
                tally.add("ws_messages")
            await ws_close(reader, writer)
        except (Failure, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            tally.error(f"ws {n} message {seq}",
                        Failure("ws-unexpected-close", "ended by the other side") if isinstance(e, asyncio.IncompleteReadError) else e)
            await closed(writer)


async def ws_churn(port, tally, n, deadline):
    rnd = random.Random(f"churn-{n}")
    while time.time() < deadline:
        writer = None
        try:
            reader, writer = await ws_open(port, tally)
            for i in range(rnd.randint(1, 3)):
                await ws_echo(reader, writer, *ws_message(rnd, f"churn{n}-{i}"))
                tally.add("ws_messages")
            await ws_close(reader, writer)
            tally.add("ws_churn_connections")
        except (Failure, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            tally.error(f"churn {n}", e)
            if writer:
                await closed(writer)
            await asyncio.sleep(1)
        await asyncio.sleep(rnd.uniform(0.05, 0.3))


# ------------------------------------------------------------------------------------------------- SSE

async def body_pieces(reader, headers):
    """The response body as it arrives, chunked or delimited by the close."""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            line = await reader.readuntil(b"\r\n")
            size = int(line.split(b";")[0].strip(), 16)
            if size == 0:
                return
            data = await reader.readexactly(size + 2)
            yield data[:-2]
    elif "content-length" in headers:
        yield await reader.readexactly(int(headers["content-length"]))
    else:
        while data := await reader.read(65536):
            yield data


async def sse_stream(port, tally, n, interval, rnd, until):
    """Reads one endless stream until `until`, then ends it; every event must come, in order."""
    reader, writer = await connect(port)
    try:
        writer.write(f"GET /soak/sse/?events=0&interval={interval} HTTP/1.1\r\nHost: soak.test\r\n"
                     f"Accept: text/event-stream\r\n\r\n".encode())
        status, headers = await read_head(reader)
        if status != 200 or not headers.get("content-type", "").startswith("text/event-stream"):
            raise Failure("sse-refused", f"status {status}, content-type {headers.get('content-type')!r}")
        last, buf = 0, b""
        pieces = body_pieces(reader, headers).__aiter__()
        while True:
            left = until - time.time()
            if left <= 0:
                break
            try:
                piece = await asyncio.wait_for(pieces.__anext__(), min(left, TIMEOUT))
            except asyncio.TimeoutError:
                if until - time.time() > 0:
                    raise Failure("sse-silent", f"no byte for {TIMEOUT} s after event {last}")
                break
            except (StopAsyncIteration, asyncio.IncompleteReadError):
                raise Failure("sse-ended-early", f"the stream ended after event {last}")
            buf += piece.replace(b"\r\n", b"\n")
            while b"\n\n" in buf:
                event, buf = buf.split(b"\n\n", 1)
                fields = dict(line.split(": ", 1) for line in event.decode().split("\n") if ": " in line)
                got = int(fields.get("id", "-1"))
                if got != last + 1:
                    raise Failure("sse-out-of-order", f"event id {got} after {last}")
                last = got
                tally.add("sse_events")
                sent = json.loads(fields["data"])["sent_ms"]
                tally.sse_max_delay_ms = max(tally.sse_max_delay_ms, int(time.time() * 1000) - sent)
        if last == 0:
            raise Failure("sse-no-events", f"nothing in {interval} s-spaced stream before the client ended it")
        tally.add("sse_streams")
    finally:
        await closed(writer)  # the client ends the stream


async def sse_reader(port, tally, n, interval, deadline):
    rnd = random.Random(f"sse-{n}")
    while deadline - time.time() >= 5:  # a stream shorter than that says little, and may end before its first event
        until = min(deadline, time.time() + rnd.uniform(10, 40))
        try:
            await sse_stream(port, tally, n, interval, rnd, until)
        except (Failure, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError, KeyError) as e:
            tally.error(f"sse {n}", e)
            await asyncio.sleep(1)


# ----------------------------------------------------------------------------------------------- POSTs

async def poster(port, tally, n, deadline):
    rnd = random.Random(f"post-{n}")
    writer = None
    while time.time() < deadline:
        try:
            if writer is None:
                reader, writer = await connect(port)
            size = rnd.choice((0, rnd.randint(1, 1024), rnd.randint(1025, 65536), rnd.randint(65537, 512 * 1024)))
            body = rnd.randbytes(size)
            head = f"POST /soak/echo/{n} HTTP/1.1\r\nHost: soak.test\r\nContent-Type: application/octet-stream\r\n"
            if rnd.random() < 0.5:
                writer.write(f"{head}Content-Length: {size}\r\n\r\n".encode() + body)
            else:
                writer.write(f"{head}Transfer-Encoding: chunked\r\n\r\n".encode())
                for i in range(0, size, 16384):
                    piece = body[i:i + 16384]
                    writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                writer.write(b"0\r\n\r\n")
            await writer.drain()
            status, headers = await read_head(reader)
            answer = b"".join([p async for p in body_pieces(reader, headers)])
            fields = dict(line.split(": ", 1) for line in answer.decode(errors="replace").splitlines() if ": " in line)
            if status != 200:
                raise Failure("post-status", f"status {status}")
            if fields.get("body-bytes") != str(size) or fields.get("body-sha256") != hashlib.sha256(body).hexdigest():
                raise Failure("post-body-differs", f"sent {size} B, backend got {fields.get('body-bytes')} B")
            tally.add("posts")
            tally.add("post_bytes", size)
            if headers.get("connection", "").lower() == "close":
                await closed(writer)
                writer = None
        except (Failure, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError) as e:
            tally.error(f"post {n}", e)
            if writer:
                await closed(writer)
            writer = None
            await asyncio.sleep(1)
    if writer:
        await closed(writer)


async def main():
    ap = argparse.ArgumentParser(description="soak.sh's WebSocket, SSE and POST traffic")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ws", type=int, default=20)
    ap.add_argument("--churn", type=int, default=2)
    ap.add_argument("--sse", type=int, default=10)
    ap.add_argument("--sse-interval", type=float, default=0.5)
    ap.add_argument("--posts", type=int, default=2)
    a = ap.parse_args()
    tally = Tally()
    deadline = time.time() + a.seconds
    tasks = ([ws_long(a.port, tally, n, deadline) for n in range(a.ws)]
             + [ws_churn(a.port, tally, n, deadline) for n in range(a.churn)]
             + [sse_reader(a.port, tally, n, a.sse_interval, deadline) for n in range(a.sse)]
             + [poster(a.port, tally, n, deadline) for n in range(a.posts)])
    await asyncio.gather(*tasks)
    result = dict(tally.counts, seconds=a.seconds, errors=len(tally.errors),
                  error_kinds={k: [e[2] for e in tally.errors].count(k) for k in sorted({e[2] for e in tally.errors})},
                  sse_max_delay_ms=tally.sse_max_delay_ms)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
    with open(os.path.splitext(a.out)[0] + ".errors.txt", "w") as f:
        for e in tally.errors:
            f.write(" ".join(e) + "\n")
    c = tally.counts
    print(f"traffic: WS {c['ws_connections']} connections ({a.ws} long-lived, {c['ws_churn_connections']} opened and "
          f"closed), {c['ws_messages']} messages echoed; SSE {c['sse_streams']} streams, {c['sse_events']} events in "
          f"order (slowest {tally.sse_max_delay_ms} ms); POST {c['posts']} bodies ({c['post_bytes'] >> 20} MiB) echoed; "
          f"errors {len(tally.errors)}" + "".join(f", {k} {v}" for k, v in result["error_kinds"].items()), flush=True)
    return 0 if not tally.errors else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
