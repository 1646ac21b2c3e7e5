# SPDX-License-Identifier: MIT
"""Helpers for the integration tests: start the real daemon on 127.0.0.1 with port 0 and a
temporary data directory, talk HTTP to it, and speak HJ 212 to it over real TCP.

The HJ 212 framing here is written independently of the C library (from the standard's
text), so a test that passes checks the daemon against the standard, not against itself.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

EW_BIN = os.environ.get("EW_BIN", "build/release/envwatch")
EW_SHARED = os.environ.get("EW_SHARED", "../shared")
EW_SRC = os.environ.get("EW_SRC", ".")


def crc_hj212(data: bytes) -> int:
    """HJ 212-2017 section 6.4: the register is shifted right 8 before each byte."""
    reg = 0xFFFF
    for b in data:
        reg = (reg >> 8) ^ b
        for _ in range(8):
            lsb = reg & 1
            reg >>= 1
            if lsb:
                reg ^= 0xA001
    return reg


def frame(segment: str) -> bytes:
    seg = segment.encode("utf-8")
    return b"##%04d" % len(seg) + seg + b"%04X\r\n" % crc_hj212(seg)


def unframe(pkt: bytes):
    """Checks a frame strictly (length in bytes, upper-case CRC, CR LF); returns the segment."""
    assert pkt[:2] == b"##", pkt
    n = int(pkt[2:6])
    seg = pkt[6:6 + n]
    assert len(seg) == n, pkt
    crc = pkt[6 + n:10 + n]
    assert crc == b"%04X" % crc_hj212(seg), (pkt, crc)
    assert pkt[10 + n:12 + n] == b"\r\n", pkt
    return seg.decode("utf-8")


def fields(segment: str) -> dict:
    head, _, cp = segment.partition("CP=&&")
    out = {}
    for kv in head.split(";"):
        if "=" in kv:
            k, v = kv.split("=", 1)
            out[k] = v
    out["CP"] = cp[:-2] if cp.endswith("&&") else cp
    return out


def qn_now(offset_ms=0):
    t = time.time() + offset_ms / 1000.0
    lt = time.gmtime(t + 8 * 3600)
    return time.strftime("%Y%m%d%H%M%S", lt) + "%03d" % (int(t * 1000) % 1000)


def cst(ts: float) -> str:
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(ts + 8 * 3600))


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts + 8 * 3600))


def data_packet(mn, pw, cn, datatime, values, st="22", flag=5, qn=None):
    """values: {factor: {suffix: value}} -> a 2017 upload with one ';'-item per factor."""
    items = ["DataTime=%s" % datatime]
    for f, sv in values.items():
        items.append(",".join("%s-%s=%s" % (f, s, v) for s, v in sv.items()))
    seg = "QN=%s;ST=%s;CN=%s;PW=%s;MN=%s;Flag=%d;CP=&&%s&&" % (
        qn or qn_now(), st, cn, pw, mn, flag, ";".join(items))
    return frame(seg)


ADMIN = "ewtest-admin"


def cli(*args, stdin=None):
    """Runs `envwatch ARGS`; returns (exit code, stdout, stderr)."""
    r = subprocess.run([EW_BIN] + list(args), input=stdin, capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


class Daemon:
    """The real daemon on 127.0.0.1 with ports chosen by the system. Every request of http()
    carries an admin's API token (made with the CLI before the start, as an operator would)
    unless auth=False or the caller sends its own Authorization or Cookie."""

    def __init__(self, extra_args=(), data_dir=None):
        self.tmp = data_dir or tempfile.mkdtemp(prefix="ewtest-")
        self.own_tmp = data_dir is None
        self.extra = list(extra_args)
        self.proc = None
        self.log = os.path.join(self.tmp, "daemon.log")
        self.token = None
        self.admin_password = None

    def make_admin(self):
        """The test admin and its token (idempotent: a restart on the same store reuses the
        account and gets a new token)."""
        if self.token is not None:
            return
        self.admin_password = "ewtest-" + os.urandom(12).hex()
        rc, out, err = cli("user", "add", "--data", self.tmp, "--name", ADMIN, "--role",
                           "admin", stdin=self.admin_password + "\n")
        if rc != 0 and "exists" in err:
            rc, out, err = cli("user", "passwd", "--data", self.tmp, "--name", ADMIN,
                               stdin=self.admin_password + "\n")
        assert rc == 0, "user add: " + err
        rc, out, err = cli("user", "token", "--data", self.tmp, "--name", ADMIN, "--label",
                           "integration tests", "--days", "2")
        assert rc == 0, "user token: " + err
        self.token = out.strip()

    def start(self):
        self.make_admin()
        args = [EW_BIN, "serve", "--data", self.tmp, "--hj212-listen", "127.0.0.1:0",
                "--http-listen", "127.0.0.1:0", "--log", self.log] + self.extra
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.hj_port = self.http_port = None
        deadline = time.time() + 30
        while time.time() < deadline and (self.hj_port is None or self.http_port is None):
            line = self.proc.stdout.readline()
            if not line:
                err = self.proc.stderr.read()
                raise RuntimeError("daemon exited: " + err)
            if line.startswith("hj212 listening on "):
                self.hj_port = int(line.rsplit(":", 1)[1])
            elif line.startswith("http listening on "):
                self.http_port = int(line.rsplit(":", 1)[1])
        assert self.hj_port and self.http_port, "daemon did not print its ports"
        return self

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            raise AssertionError("daemon did not stop within %ds" % timeout)
        err = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        self.proc = None
        if sig == signal.SIGTERM:
            if rc != 0:                 # the daemon's own words are in its log file
                try:
                    with open(self.log, errors="replace") as f:
                        err += "\n--- daemon.log ---\n" + f.read()[-3000:]
                except OSError:
                    pass
            assert rc == 0, "daemon exit %d: %s" % (rc, err[-6000:])
            assert "ERROR: AddressSanitizer" not in err, err[-5000:]
            assert "runtime error" not in err, err[-5000:]
        return rc

    def cleanup(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
        if self.own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.http_port, path)

    def http(self, method, path, body=None, raw=False, headers=None, auth=True):
        data = None
        hdrs = dict(headers or {})
        if auth and self.token and "Authorization" not in hdrs and "Cookie" not in hdrs:
            hdrs["Authorization"] = "Bearer " + self.token
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(self.url(path), data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                payload = r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            payload = e.read()
            status = e.code
        if raw:
            return status, payload
        return status, (json.loads(payload) if payload else None)

    def get(self, path):
        status, body = self.http("GET", path)
        assert status == 200, (path, status, body)
        return body

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.hj_port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def logtext(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""


def read_frames(sock, count, timeout=10.0):
    """Reads exactly count frames (framed by the length field) or fails."""
    sock.settimeout(timeout)
    buf = b""
    out = []
    deadline = time.time() + timeout
    while len(out) < count:
        while len(buf) >= 6 and len(out) < count:
            assert buf[:2] == b"##", buf[:40]
            n = int(buf[2:6])
            if len(buf) < n + 12:
                break
            out.append(buf[:n + 12])
            buf = buf[n + 12:]
        if len(out) >= count:
            break
        if time.time() > deadline:
            raise AssertionError("got %d of %d frames" % (len(out), count))
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError("connection closed after %d of %d frames" % (len(out), count))
        buf += chunk
    return out


def expect_silence(sock, seconds):
    sock.settimeout(seconds)
    try:
        data = sock.recv(65536)
    except socket.timeout:
        return
    assert data == b"", "expected no reply, got %r" % data[:200]


def run(tests):
    """Runs test functions; prints 'N passed, N failed' (a closing line CI reads)."""
    passed = failed = 0
    for t in tests:
        t0 = time.time()
        try:
            t()
            passed += 1
            print("ok   %s (%.1fs)" % (t.__name__, time.time() - t0), flush=True)
        except Exception:
            failed += 1
            import traceback
            print("FAIL %s" % t.__name__, flush=True)
            traceback.print_exc()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


def read_events(d, want, timeout=10.0):
    """Every event still in the ring (Last-Event-ID 0), until want(events) or the timeout."""
    conn = http.client.HTTPConnection("127.0.0.1", d.http_port, timeout=2)
    headers = {"Last-Event-ID": "0"}
    if getattr(d, "token", None):
        headers["Authorization"] = "Bearer " + d.token      # the stream is for staff
    conn.request("GET", "/api/v1/events", headers=headers)
    resp = conn.getresponse()
    assert resp.status == 200
    events, cur, deadline = [], {}, time.time() + timeout
    while time.time() < deadline and not want(events):
        try:
            line = resp.fp.readline().decode("utf-8")
        except OSError:
            continue
        if not line:
            break
        line = line.rstrip("\n")
        if line == "":
            if "event" in cur:
                events.append((cur["event"], json.loads(cur["data"])))
            cur = {}
        elif not line.startswith(":"):
            k, _, v = line.partition(":")
            cur[k] = v[1:] if v.startswith(" ") else v
    conn.close()
    return events
