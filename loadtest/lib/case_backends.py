#!/usr/bin/env python3
"""The real test servers protocols-cases.sh puts nginx and adaptive-lb in front of, on loopback.

usage: case_backends.py serve [--echo P] [--sse P] [--chunked P] [--close P] [--oneshot P] [--ws P]
       case_backends.py dying --port P

serve (one process, a thread per connection, HTTP/1.1 keep-alive; only the servers given a port):
  echo     answers what it got: request line, headers (lower-cased), body bytes and SHA-256 (Content-Length
           or chunked bodies; Expect: 100-continue answered), and sets two cookies
  sse      text/event-stream, chunked: three events one second apart, each with its number as id and the
           time it was sent; ?events=N&interval=S sets the count (0: until the client leaves) and the spacing
  chunked  a 3,000-byte body in three chunks
  close    a 3,000-byte body without a length, delimited by closing the connection
  oneshot  answers the first request of a connection with a length and no Connection: close, then closes
           the connection when the next request arrives on it, unanswered (a keep-alive race, every time)
  ws       WebSocket (RFC 6455): 101, then every text or binary frame echoed until a close frame
dying (a process of its own): every connection is served by a child process that sends the head and 64 KiB
  of the body (Content-Length 1 MiB, or chunked for /dying/chunked) and then kills itself with SIGKILL, so
  the connection drops mid-body the way a crashed backend's does.
"""
import argparse
import base64
import hashlib
import http.server
import json
import os
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse

BODY = b"".join(b"line %04d of a 3000-byte body................................\n" % i for i in range(50))[:3000]
WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC11B7B"


class Base(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the proxies' logs and the table say what happened
        pass

    def read_body(self):
        """The request body as bytes, from Content-Length or chunked framing."""
        length = self.headers.get("Content-Length")
        if length is not None:
            return self.rfile.read(int(length))
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        return b""

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Echo(Base):
    def handle_any(self):
        body = self.read_body()
        lines = ["%s %s %s" % (self.command, self.path, self.request_version)]
        lines += ["%s: %s" % (k.lower(), v) for k, v in self.headers.items()]
        lines += ["body-bytes: %d" % len(body), "body-sha256: %s" % hashlib.sha256(body).hexdigest()]
        self.reply(200, ("\n".join(lines) + "\n").encode(), [
            ("Content-Type", "text/plain"), ("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/; HttpOnly")])

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


class Sse(Base):
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        try:
            count = int(query.get("events", ["3"])[0])
            interval = float(query.get("interval", ["1"])[0])
        except ValueError:
            self.reply(400, b"events must be an integer and interval a number of seconds\n")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        n = 0
        try:
            while count == 0 or n < count:
                n += 1
                if n > 1:
                    time.sleep(interval)
                event = ("id: %d\ndata: %s\n\n" % (n, json.dumps({"n": n, "sent_ms": int(time.time() * 1000)}))).encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client ended the stream: the normal end of an endless one


class Chunked(Base):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for i in range(0, len(BODY), 1000):
            piece = BODY[i:i + 1000]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")


class Close(Base):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(BODY)
        self.close_connection = True


class OneShot(Base):
    def handle(self):
        self.served = False
        super().handle()

    def do_GET(self):
        if self.served:
            self.close_connection = True  # the second request of this connection: no answer, just the close
            return
        self.served = True
        self.reply(200, BODY, [("Content-Type", "text/plain")])


class WebSocket(Base):
    def do_GET(self):
        key = self.headers.get("Sec-WebSocket-Key")
        if self.headers.get("Upgrade", "").lower() != "websocket" or not key:
            self.reply(426, b"WebSocket only\n", [("Upgrade", "websocket")])
            return
        accept = base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                break
            opcode, length = head[0] & 0x0F, head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", self.rfile.read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self.rfile.read(8))[0]
            mask = self.rfile.read(4) if head[1] & 0x80 else b"\0\0\0\0"
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length)))
            self.wfile.write(frame(opcode, payload))
            self.wfile.flush()
            if opcode == 8:
                break
        self.close_connection = True


def frame(opcode, payload):
    """An unmasked (server) frame with FIN set."""
    n = len(payload)
    if n < 126:
        return bytes([0x80 | opcode, n]) + payload
    if n < 65536:
        return bytes([0x80 | opcode, 126]) + struct.pack("!H", n) + payload
    return bytes([0x80 | opcode, 127]) + struct.pack("!Q", n) + payload


class Dying(Base):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if self.path.startswith("/dying/chunked"):
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(4):
                self.wfile.write(b"4000\r\n" + b"x" * 0x4000 + b"\r\n")
        else:
            self.send_header("Content-Length", str(1 << 20))
            self.end_headers()
            self.wfile.write(b"x" * (64 << 10))
        self.wfile.flush()
        time.sleep(0.2)  # the bytes are on their way
        os.kill(os.getpid(), signal.SIGKILL)


class Threading(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a proxy may open dozens of connections at once


class Forking(socketserver.ForkingMixIn, http.server.HTTPServer):
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=("serve", "dying"))
    for name in ("echo", "sse", "chunked", "close", "oneshot", "ws", "port"):
        p.add_argument("--" + name, type=int)
    a = p.parse_args()
    if a.mode == "dying":
        Forking(("127.0.0.1", a.port), Dying).serve_forever()
        return
    servers = [Threading(("127.0.0.1", port), handler) for port, handler in (
        (a.echo, Echo), (a.sse, Sse), (a.chunked, Chunked), (a.close, Close), (a.oneshot, OneShot), (a.ws, WebSocket))
        if port is not None]
    if not servers:
        p.error("serve needs at least one of --echo --sse --chunked --close --oneshot --ws")
    for s in servers[1:]:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
