#!/usr/bin/env python3
"""protocols-cases.sh's clients: every case against nginx and adaptive-lb, the same client and request each
time, and a markdown table case | nginx | adaptive-lb | same? with the details (what each client got) below.

usage: cases.py TARGETS.json OUT.md

A case gives, per proxy, whether the behaviour is the one required (✓/✗), a short outcome (compared for
"same?") and a detail line. Exit status 0 when adaptive-lb has every required behaviour (a case skipped for
it does not count), else 1.
"""
import base64
import hashlib
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time

cfg = json.load(open(sys.argv[1]))
OUT_MD = sys.argv[2]
WORK = cfg["work"]
CA = cfg["ca"]
FILES = cfg["files"]
os.makedirs(WORK, exist_ok=True)
BIG = open(os.path.join(FILES, "big.bin"), "rb").read()
UPLOAD = os.path.join(WORK, "upload.bin")
with open(UPLOAD, "wb") as f:
    f.write(os.urandom(2 << 20))
UPLOAD_SHA = hashlib.sha256(open(UPLOAD, "rb").read()).hexdigest()


class Result:
    def __init__(self, ok, outcome, detail="", skipped=False):
        self.ok, self.outcome, self.detail, self.skipped = ok, outcome, detail, skipped


def sha(data):
    return hashlib.sha256(data).hexdigest()


def curl(*args, stdin=None, timeout=60):
    """curl with -sS; (exit code, stdout bytes, stderr text, seconds)."""
    t0 = time.time()
    p = subprocess.run(["curl", "-sS", "--max-time", "30", *args], input=stdin, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace"), time.time() - t0


def path(name):
    return os.path.join(WORK, name)


def headers_of(raw):
    """The last response head in a -D dump as (status, {lower name: [values]})."""
    blocks = [b for b in raw.decode(errors="replace").split("\r\n\r\n") if b.strip()]
    head = blocks[-1].split("\r\n")
    fields = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        fields.setdefault(name.strip().lower(), []).append(value.strip())
    return int(head[0].split()[1]), fields


def echo_fields(body):
    return dict(line.split(": ", 1) for line in body.decode(errors="replace").splitlines()[1:] if ": " in line)


# ---------------------------------------------------------------- the cases (each gets one proxy's targets)

def file_download(t, tag):
    rc, out, err, _ = curl("-o", path(tag + "-big"), "-w", "%{http_code}", t["http"] + "/files/big.bin")
    got = open(path(tag + "-big"), "rb").read() if os.path.exists(path(tag + "-big")) else b""
    ok = rc == 0 and out == b"200" and got == BIG
    return Result(ok, "200, identical" if ok else "%s, %d bytes%s" % (out.decode(), len(got), ", differs" if got != BIG else ""),
                  "curl exit %d, %d bytes" % (rc, len(got)))


def byte_range(t, tag):
    rc, out, err, _ = curl("-o", path(tag + "-range"), "-D", path(tag + "-range.h"), "-r", "1000-1999",
                           t["http"] + "/files/big.bin")
    status, h = headers_of(open(path(tag + "-range.h"), "rb").read())
    got = open(path(tag + "-range"), "rb").read()
    cr = h.get("content-range", ["-"])[0]
    ok = status == 206 and got == BIG[1000:2000] and cr == "bytes 1000-1999/%d" % len(BIG)
    return Result(ok, "206, the right 1,000 bytes" if ok else "%d, %d bytes" % (status, len(got)), "Content-Range: " + cr)


def range_past_end(t, tag):
    rc, out, err, _ = curl("-o", "/dev/null", "-w", "%{http_code}", "-r", "2000000-", t["http"] + "/files/big.bin")
    return Result(out == b"416", out.decode(), "curl exit %d" % rc)


def not_modified(header, validator):
    def case(t, tag):
        curl("-o", "/dev/null", "-D", path(tag + "-val.h"), t["http"] + "/files/hello.txt")
        _, h = headers_of(open(path(tag + "-val.h"), "rb").read())
        value = h.get(validator, [""])[0]
        rc, out, err, _ = curl("-o", path(tag + "-304"), "-w", "%{http_code} %{size_download}", "-H",
                               "%s: %s" % (header, value), t["http"] + "/files/hello.txt")
        ok = bool(value) and out == b"304 0"
        return Result(ok, "304, no body" if ok else out.decode(), "%s: %s" % (header, value or "(no %s)" % validator))
    return case


def cookies(t, tag):
    rc, out, err, _ = curl("-D", path(tag + "-cookie.h"), "-b", "a=0; c=3", t["http"] + "/echo/cookies")
    _, h = headers_of(open(path(tag + "-cookie.h"), "rb").read())
    set_cookies = h.get("set-cookie", [])
    sent = echo_fields(out).get("cookie", "")
    ok = len(set_cookies) == 2 and sent == "a=0; c=3"
    return Result(ok, "2 Set-Cookie, Cookie intact" if ok else "%d Set-Cookie, Cookie %r" % (len(set_cookies), sent),
                  "Set-Cookie: " + " | ".join(set_cookies))


def upload(base_key, *extra, label="length"):
    def case(t, tag):
        rc, out, err, _ = curl("-H", "Expect:", "-H", "Content-Type: application/octet-stream", *extra,
                               "--data-binary", "@" + UPLOAD, t[base_key] + "/echo/upload")
        e = echo_fields(out)
        ok = rc == 0 and e.get("body-sha256") == UPLOAD_SHA
        framing = "Content-Length" if "content-length" in e else "chunked" if "transfer-encoding" in e else "?"
        return Result(ok, "200, 2 MiB intact" if ok else "curl exit %d, %s bytes" % (rc, e.get("body-bytes", "?")),
                      "the server got it with %s" % framing)
    return case


def expect_continue(t, tag):
    rc, out, err, secs = curl("-v", "--expect100-timeout", "10", "-H", "Expect: 100-continue", "-H",
                              "Content-Type: application/octet-stream", "--data-binary", "@" + UPLOAD,
                              t["http"] + "/echo/continue")
    got100 = "< HTTP/1.1 100 Continue" in err
    ok = got100 and secs < 5 and echo_fields(out).get("body-sha256") == UPLOAD_SHA
    return Result(ok, "100 Continue, then 200, intact" if ok else "100 %s, %.1f s" % ("seen" if got100 else "not seen", secs),
                  "%.2f s in all (with no 100, curl would have waited 10 s before sending the body)" % secs)


def server_sent_events(t, tag):
    p = subprocess.Popen(["curl", "-sN", "--max-time", "20", t["http"] + "/sse/"], stdout=subprocess.PIPE)
    delays = []
    for line in p.stdout:
        if line.startswith(b"data: "):
            delays.append(int(time.time() * 1000) - json.loads(line[6:])["sent_ms"])
    p.wait()
    ok = len(delays) == 3 and max(delays) < 500
    if ok:
        outcome = "3 events, each as it was sent"
    elif len(delays) == 3:
        outcome = "3 events, held up to %.1f s" % (max(delays) / 1000)
    else:
        outcome = "%d events" % len(delays)
    return Result(ok, outcome, "arrived %s ms after they were sent" % "/".join(str(d) for d in delays))


def ab(suffix, keepalive, requests=50, concurrency=2):
    def case(t, tag):
        args = ["ab", "-s", "10", "-n", str(requests), "-c", str(concurrency)] + (["-k"] if keepalive else [])
        p = subprocess.run(args + [t["http"] + suffix], capture_output=True, timeout=120)
        text = p.stdout.decode(errors="replace")

        def num(label):
            m = re.search(label + r":\s+(\d+)", text)
            return int(m.group(1)) if m else 0
        complete, failed, non2xx, ka = num("Complete requests"), num("Failed requests"), num("Non-2xx responses"), num("Keep-Alive requests")
        ok = p.returncode == 0 and complete == requests and failed == 0 and non2xx == 0
        return Result(ok, "%d/%d complete, none failed" % (complete, requests) if ok else
                      "%d/%d complete, %d failed, %d non-2xx (ab exit %d)" % (complete, requests, failed, non2xx, p.returncode),
                      "%d on kept-alive connections" % ka if keepalive else "a new connection per request")
    return case


def tls_curl(t, tag):
    rc, out, err, _ = curl("-v", "--cacert", CA, "--http1.1", "-w", "\n%{http_code} %{http_version}", t["tls"] + "/echo/tls")
    body, _, tail = out.decode(errors="replace").rpartition("\n")
    version = re.search(r"SSL connection using (TLSv[0-9.]+) / (\S+)", err)
    proto = echo_fields(body.encode()).get("x-forwarded-proto")
    ok = rc == 0 and tail == "200 1.1" and version is not None and version.group(1) == "TLSv1.3" and proto == "https"
    return Result(ok, "200, TLSv1.3, HTTP/1.1" if ok else "curl exit %d, %s" % (rc, tail),
                  "%s; X-Forwarded-Proto: %s" % (" ".join(version.groups()) if version else "no TLS line", proto))


def h2_streams(t, tag):
    urls = [t["tls"] + "/echo/s%d" % i for i in range(3)]
    rc, out, err, _ = curl("--cacert", CA, "--http2", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                           "-w", "%{http_version} %{response_code} %{num_connects}\n", *urls)
    ok = rc == 0 and out == b"2 200 1\n2 200 0\n2 200 0\n"
    return Result(ok, "HTTP/2, 3 streams on 1 connection" if ok else "curl exit %d: %s" % (rc, out.decode().strip()),
                  out.decode().strip().replace("\n", " | "))


def h2c(t, tag):
    rc, out, err, _ = curl("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version} %{response_code}",
                           t["h2c"] + "/echo/h2c")
    return Result(rc == 0 and out == b"2 200", out.decode() or "curl exit %d" % rc, err.strip()[:120])


def h2_stdin_upload(t, tag):
    rc, out, err, _ = curl("--cacert", CA, "--http2", "-T", "-", t["tls"] + "/echo/put", stdin=open(UPLOAD, "rb").read())
    e = echo_fields(out)
    ok = rc == 0 and e.get("body-sha256") == UPLOAD_SHA
    framing = "Content-Length" if "content-length" in e else "chunked" if "transfer-encoding" in e else "?"
    return Result(ok, "200, 2 MiB intact" if ok else "curl exit %d, %s bytes" % (rc, e.get("body-bytes", "?")),
                  "no content-length on the stream; the server got it with %s" % framing)


def killed(url_key, suffix, *extra):
    def case(t, tag):
        rc, out, err, _ = curl(*extra, "-o", path(tag + "-killed"), "-w", "%{http_code} %{size_download}",
                               t[url_key] + suffix)
        code, _, size = out.decode().partition(" ")
        ok = rc != 0 and code == "200" and int(size or 0) < (1 << 20)
        detail = "curl exit %d after %s bytes: %s" % (rc, size, err.strip().splitlines()[-1] if err.strip() else "-")
        csv = t["csv"].get(url_key)
        if csv:
            logged = cut_logged(csv, suffix)
            ok = ok and logged
            detail += "; CSV status 592: %s" % ("yes" if logged else "no")
        return Result(ok, "cut (curl exit %d)" % rc if rc != 0 else "looked complete (curl exit 0)", detail)
    return case


def cut_logged(csv, suffix, wait=6.0):
    """The proxy's CSV has a row for the path with status 592 (written in batches: waits for it)."""
    end = time.time() + wait
    while time.time() < end:
        if os.path.exists(csv):
            for line in open(csv):
                parts = line.rstrip("\n").split(",")
                if len(parts) > 5 and parts[3] == suffix and parts[5] == "592":
                    return True
        time.sleep(0.3)
    return False


def websocket(t, tag):
    if not t["websocket"]:
        return Result(True, "not supported by this build", "the jar refuses proxy.websocket", skipped=True)
    host, port = t["http"].split("//")[1].split(":")
    key = base64.b64encode(os.urandom(16)).decode()
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(("GET /ws/echo HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (host, port, key)).encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        if not d:
            break
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    status = head.split(b"\r\n")[0].decode(errors="replace")
    expected = base64.b64encode(hashlib.sha1(key.encode() + b"258EAFA5-E914-47DA-95CA-C5AB0DC11B7B").digest()).decode()
    if " 101 " not in status or expected.encode() not in head:
        s.close()
        return Result(False, status or "closed", head.decode(errors="replace")[:120])
    text = b"hello through the proxy"
    mask = os.urandom(4)
    s.sendall(bytes([0x81, 0x80 | len(text)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(text)))
    while len(rest) < 2 + len(text):
        d = s.recv(4096)
        if not d:
            break
        rest += d
    s.sendall(bytes([0x88, 0x80]) + os.urandom(4))
    s.close()
    ok = rest[:2] == bytes([0x81, len(text)]) and rest[2:2 + len(text)] == text
    return Result(ok, "101, text frame echoed" if ok else "101, echo %r" % rest[:40], status)


def wget_resume(t, tag):
    if not shutil.which("wget"):
        return Result(True, "wget not installed", "", skipped=True)
    d = path(tag + "-wget")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "big.bin"), "wb") as f:
        f.write(BIG[:300000])  # a download broken off: -c asks for the rest with a Range
    p = subprocess.run(["wget", "-q", "-c", "-T", "20", "-P", d, t["http"] + "/files/big.bin"], capture_output=True, timeout=60)
    got = open(os.path.join(d, "big.bin"), "rb").read()
    ok = p.returncode == 0 and got == BIG
    return Result(ok, "resumed, identical" if ok else "wget exit %d, %d bytes" % (p.returncode, len(got)),
                  "300,000 bytes on disk, the rest fetched with Range")


CASES = [
    ("file download, 1 MiB (curl)", file_download),
    ("range request `-r 1000-1999` (curl)", byte_range),
    ("range past the end (curl)", range_past_end),
    ("304 on If-None-Match (curl)", not_modified("If-None-Match", "etag")),
    ("304 on If-Modified-Since (curl)", not_modified("If-Modified-Since", "last-modified")),
    ("cookies both ways (curl)", cookies),
    ("upload 2 MiB with Content-Length (curl)", upload("http")),
    ("upload 2 MiB chunked (curl)", upload("http", "-H", "Transfer-Encoding: chunked")),
    ("Expect: 100-continue upload (curl)", expect_continue),
    ("server-sent events 1 s apart (curl -N)", server_sent_events),
    ("HTTP/1.0 keep-alive, chunked backend (ab -k)", ab("/chunked/", True)),
    ("HTTP/1.0 keep-alive, close-delimited backend (ab -k)", ab("/close/", True)),
    ("backend answers one request per connection (ab)", ab("/oneshot/", False, concurrency=1)),
    ("TLS, HTTP/1.1 (curl)", tls_curl),
    ("TLS, h2: three streams (curl --http2)", h2_streams),
    ("TLS, h2: upload 2 MiB (curl --http2)", upload("tls", "--cacert", CA, "--http2")),
    ("TLS, h2: upload without content-length (curl --http2 -T -)", h2_stdin_upload),
    ("h2c with prior knowledge (curl)", h2c),
    ("backend killed mid-body, Content-Length (curl)", killed("http", "/dying/length")),
    ("backend killed mid-body, chunked (curl)", killed("http", "/dying/chunked")),
    ("backend killed mid-body, over h2 (curl --http2)", killed("tls", "/dying/chunked", "--cacert", CA, "--http2")),
    ("WebSocket echo (raw client)", websocket),
    ("resumed download (wget -c)", wget_resume),
]

PROXIES = ("nginx", "adaptive-lb")
rows, details, missed = [], [], []
for title, case in CASES:
    results = {}
    for name in PROXIES:
        tag = "%s-%02d" % (name, CASES.index((title, case)))
        try:
            results[name] = case(cfg["targets"][name], tag)
        except Exception as e:  # a client that broke is a failed case, not a broken table
            results[name] = Result(False, "error: %s" % e.__class__.__name__, str(e)[:160])
    cells = []
    for name in PROXIES:
        r = results[name]
        cells.append(r.outcome if r.skipped else ("✓ " if r.ok else "✗ ") + r.outcome)
    if any(results[n].skipped for n in PROXIES):
        same = "–"
    else:
        same = "yes" if results["nginx"].outcome == results["adaptive-lb"].outcome else "no"
    rows.append("| %s | %s | %s | %s |" % (title, cells[0], cells[1], same))
    details.append("- %s — nginx: %s; adaptive-lb: %s" % (title, results["nginx"].detail or "-", results["adaptive-lb"].detail or "-"))
    lb = results["adaptive-lb"]
    if not lb.skipped and not lb.ok:
        missed.append(title)
    print("%-62s nginx: %-40s adaptive-lb: %s" % (title, cells[0], cells[1]), file=sys.stderr, flush=True)

md = ["| case | nginx | adaptive-lb | same? |", "|---|---|---|---|"] + rows
md += ["", "✓ = the behaviour the case requires, ✗ = not; \"same?\" compares the outcomes as written. adaptive-lb: %s."
       % ("every required behaviour" if not missed else "missed " + "; ".join(missed)), "", "Details:", ""] + details
text = "\n".join(md) + "\n"
open(OUT_MD, "w").write(text)
print(text)
sys.exit(1 if missed else 0)
