#!/usr/bin/env python3
"""Unmeasured warm-up load that ends gracefully: warmup.py URL SECONDS [CONNECTIONS]

Keep-alive GETs on CONNECTIONS connections until SECONDS have passed; then every connection finishes the
request it has in flight and closes. wrk cannot do that: its stop abandons up to 100 in-flight requests,
which the proxy logs as 499 and the latency policies learn as backend failures (1000 ms penalty), a
state that would then colour the measured run. Prints one line: requests done and errors.
"""
import asyncio
import sys
import time
from urllib.parse import urlsplit


async def one_connection(host, port, path, deadline, counts):
    reader, writer = await asyncio.open_connection(host, port)
    request = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (path, host, port)).encode()
    try:
        while time.monotonic() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ")[1])
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip().lower()
            if "content-length" in headers:
                await reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding") == "chunked":
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            counts["ok" if 200 <= status < 300 else "bad"] += 1
            if headers.get("connection") == "close":
                break
    except (asyncio.IncompleteReadError, ConnectionError):
        counts["dropped"] += 1
    finally:
        writer.close()


async def main():
    url, seconds = sys.argv[1], float(sys.argv[2])
    connections = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    u = urlsplit(url)
    deadline = time.monotonic() + seconds
    counts = {"ok": 0, "bad": 0, "dropped": 0}
    # Several rounds: a connection the server closed (non-persistent peers) is simply opened again.
    while time.monotonic() < deadline:
        await asyncio.gather(*(one_connection(u.hostname, u.port or 80, u.path or "/", deadline, counts)
                               for _ in range(connections)), return_exceptions=True)
    print("warm-up: %d ok, %d non-2xx, %d dropped" % (counts["ok"], counts["bad"], counts["dropped"]))


asyncio.run(main())
