# SPDX-License-Identifier: MIT
"""HTTPS served by the daemon itself (libmicrohttpd with GnuTLS) from [http] tls_cert and
tls_key: a self-signed certificate made here with the openssl command, a client that trusts
exactly that certificate, the session cookie marked Secure, plain HTTP refused on the port,
and a daemon that refuses to start with a key that cannot be read.
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import urllib.error
import urllib.request

from ewtest import EW_BIN, Daemon, run

D = None
CTX = None
TMP = None


def skip(why):
    print("SKIP: TLS tests: %s" % why, flush=True)
    raise SystemExit(0)


def make_certificate(tmp):
    if shutil.which("openssl") is None:
        skip("the openssl command is not installed")
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return cert, key


def https(method, path, body=None, headers=None):
    hdrs = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    req = urllib.request.Request("https://127.0.0.1:%d%s" % (D.http_port, path), data=data,
                                 method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=20, context=CTX) as r:
            return r.status, json.loads(r.read() or b"null"), r.headers
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null"), e.headers


def test_the_api_answers_over_tls():
    st, body, h = https("GET", "/api/v1/health")
    assert st == 200 and body["status"] == "ok", body
    assert h["X-Content-Type-Options"] == "nosniff"
    st, body, _ = https("GET", "/api/v1/points", headers={"Authorization": "Bearer " + D.token})
    assert st == 200, body


def test_the_session_cookie_is_secure_over_tls():
    st, body, h = https("POST", "/api/v1/auth/login",
                        {"name": "ewtest-admin", "password": D.admin_password})
    assert st == 200, body
    cookie = h["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie


def test_an_untrusted_client_and_plain_http_get_nothing():
    strict = ssl.create_default_context()           # the system's CAs: ours is not one
    try:
        urllib.request.urlopen("https://127.0.0.1:%d/api/v1/health" % D.http_port, timeout=10,
                               context=strict)
        raise AssertionError("a self-signed certificate was trusted")
    except urllib.error.URLError as e:
        assert isinstance(e.reason, ssl.SSLError), e
    s = socket.create_connection(("127.0.0.1", D.http_port), timeout=10)
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        got = s.recv(100)
    except OSError:
        got = b""
    s.close()
    assert not got.startswith(b"HTTP/1.1 200"), got


def test_a_missing_key_stops_the_start():
    r = subprocess.run([EW_BIN, "serve", "--data", os.path.join(TMP, "other"),
                        "--hj212-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                        "--set", "http.tls_cert=" + os.path.join(TMP, "cert.pem"),
                        "--set", "http.tls_key=" + os.path.join(TMP, "missing.pem")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "TLS" in r.stderr, (r.returncode, r.stderr)


def main():
    global D, CTX, TMP
    TMP = tempfile.mkdtemp(prefix="ewtls-")
    try:
        cert, key = make_certificate(TMP)
        CTX = ssl.create_default_context(cafile=cert)
        D = Daemon(["--set", "http.tls_cert=" + cert, "--set", "http.tls_key=" + key])
        D.url = lambda path: "https://127.0.0.1:%d%s" % (D.http_port, path)
        D.start()
        run([test_the_api_answers_over_tls, test_the_session_cookie_is_secure_over_tls,
             test_an_untrusted_client_and_plain_http_get_nothing, test_a_missing_key_stops_the_start])
    finally:
        if D is not None:
            D.stop()
            D.cleanup()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
