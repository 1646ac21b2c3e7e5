# SPDX-License-Identifier: MIT
"""Accounts, sessions, tokens, authorisation and the audit log, against the real daemon.

Two counties of the demo registry (郊区 and 平定县) with a stack, an outlet and a water section
each; an officer of each county, an enterprise user of the 郊区 stack's company, a leader.
The instruments send one upload each and fall silent, so every point gets an offline alarm.

- The route enumeration over HTTP: every route the dispatcher has (GET /api/v1/auth/policy)
  is called anonymously (401 unless published), by the 郊区 officer and by the enterprise
  (403 when the role is not admitted; otherwise nothing of 平定县 in the answer, and a write
  aimed at 平定县 refused).
- Login with a session cookie (HttpOnly, SameSite=Strict), CSRF on writes, lockout after
  repeated failures and its lifting, API tokens with revocation, password changes ending the
  sessions, disabled accounts, the last admin.
- The audit log: every write through the API and the CLI with before and after, the CSV
  export, the chain check; no password or token in the log file, the audit log or its export.
- Evidence files: a download is given only to callers who may see an item the content is
  attached to; uploads have their own limit ([ledger] max_file_bytes, 20 MiB), enforced as
  the body streams in, and a type checked from the content.
- The actor of an alarm step is the account that calls, never the "by" a client sends.
"""
import http.client
import csv
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from ewtest import EW_BIN, EW_SRC, Daemon, cli, data_packet, cst, read_frames, run

REGISTRY = os.path.join(EW_SRC, "data", "yangquan-points.csv")
STACK_A = "0101403000000310000E0101"    # 阳泉嘉岭热电有限公司, 郊区
WATER_A = "0101403000000210000D1003"    # 桃河白羊墅段, 郊区
OUTLET_B = "0101403000000320000E1701"   # 平定晋阳煤矿有限公司, 平定县
WATER_B = "0101403000000210000D1004"    # 桃河平定段, 平定县
COMPANY_A = "阳泉嘉岭热电有限公司"
MARK_B = "PD-ITEM-7731"                 # in the title of 平定县's ledger item
PASSWORDS = {"jq": "jq-officer pass 1", "pd": "pd-officer pass 2", "plant": "plant user pass 3",
             "boss": "leader pass 4444"}

W = None


class Session:
    """A browser-like client: a session cookie and its CSRF token."""

    def __init__(self, d):
        self.d = d
        self.cookie = None
        self.csrf = None
        self.set_cookie = None

    def login(self, name, password):
        st, body, hdrs = self.call("POST", "/api/v1/auth/login",
                                   {"name": name, "password": password})
        if st == 200:
            self.set_cookie = hdrs.get("Set-Cookie", "")
            self.cookie = self.set_cookie.split(";", 1)[0]
            self.csrf = body["csrf"]
        return st, body

    def call(self, method, path, body=None, csrf=True, headers=None):
        data = None if body is None else json.dumps(body).encode()
        hdrs = dict(headers or {})
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        if self.cookie:
            hdrs["Cookie"] = self.cookie
        if csrf and self.csrf and method != "GET":
            hdrs["X-CSRF-Token"] = self.csrf
        req = urllib.request.Request(self.d.url(path), data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw, st, h = r.read(), r.status, r.headers
        except urllib.error.HTTPError as e:
            raw, st, h = e.read(), e.code, e.headers
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return st, parsed, h


class World:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="ewauth-")
        reg = os.path.join(self.tmp, "points.csv")
        with open(REGISTRY, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        self.points = {r["mn"]: r for r in rows if r["mn"] in (STACK_A, WATER_A, OUTLET_B,
                                                               WATER_B)}
        with open(reg, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            for r in self.points.values():
                w.writerow(r)
        rc, _, err = cli("point", "import", "--data", self.tmp, reg)
        assert rc == 0, err
        self.d = Daemon(["--set", "alarms.offline_after_s=2", "--set", "alarms.check_s=1",
                         "--set", "sources.standards=%s" % os.path.join(EW_SRC, "data",
                                                                        "standards"),
                         "--set", "http.rate_per_ip=5000", "--set", "auth.login_per_min=6000",
                         "--set", "auth.lockout_failures=3",
                         "--set", "auth.lockout_minutes=1"], data_dir=self.tmp).start()
        self.secrets = list(PASSWORDS.values()) + [self.d.admin_password, self.d.token] + \
            [r["pw"] for r in self.points.values()]
        self.feed_once()
        self.make_users()
        self.items = self.make_ledger_items()
        self.files = self.attach_evidence()
        self.alarm_a = self.wait_alarm(STACK_A)
        self.alarm_b = self.wait_alarm(OUTLET_B)

    def feed_once(self):
        """One real-time upload per point; then silence (offline alarms follow)."""
        s = self.d.connect()
        for mn, r in self.points.items():
            factor = r["factors"].split(";")[0]
            s.sendall(data_packet(mn, r["pw"], 2011, cst(time.time()),
                                  {factor: {"Rtd": "1.0", "Flag": "N"}}, st=r["st"]))
            read_frames(s, 1)
        s.close()

    def make_users(self):
        users = [("jq", {"role": "officer", "county": "郊区"}),
                 ("pd", {"role": "officer", "county": "平定县"}),
                 ("plant", {"role": "enterprise", "enterprise": COMPANY_A}),
                 ("boss", {"role": "leader", "display": "局长"})]
        for name, body in users:
            body = dict(body, name=name, password=PASSWORDS[name])
            st, got = self.d.http("POST", "/api/v1/users", body)
            assert st == 201, (st, got)
            assert "password" not in got, "a given password is not echoed"

    def make_ledger_items(self):
        """One task per county if the ledger API is there (it is another engineer's)."""
        items = {}
        for county, unit, title in [("郊区", "郊区人民政府", "JQ task"),
                                    ("平定县", "平定县人民政府", MARK_B + " task")]:
            st, got = self.d.http("POST", "/api/v1/ledger/items", {
                "kind": "task", "title": title, "county": county, "unit": unit,
                "leader": "张三", "gov_leader": "李四", "due": "2030-12-31",
                "actor": {"name": "centre", "role": "operator"}})
            if st != 201:
                return {}
            items[county] = got["id"]
        return items

    def attach_evidence(self):
        """One small PDF per county's item, uploaded by the admin; 平定县's holds MARK_B, so a
        download of it by a 郊区 caller shows as a leak in the route enumeration."""
        files = {}
        for county, text in [("郊区", "JQ evidence"), ("平定县", MARK_B + " evidence")]:
            if county not in self.items:
                return {}
            body = ("%PDF-1.4\n% " + text + "\n%%EOF\n").encode()
            st, got = self.d.http("POST", "/api/v1/ledger/items/%d/files?role=operator&name=%s"
                                  % (self.items[county], urllib.parse.quote("整改照片.pdf")),
                                  body, headers={"Content-Type": "application/pdf"})
            assert st == 201, (st, got)
            files[county] = (got["sha256"], body)
        return files

    def wait_alarm(self, mn, timeout=40):
        deadline = time.time() + timeout
        while time.time() < deadline:
            a = self.d.get("/api/v1/alarms?mn=" + mn)
            if a:
                return a[0]["id"]
            time.sleep(0.5)
        raise AssertionError("no alarm for %s" % mn)

    def session(self, name):
        s = Session(self.d)
        st, body = s.login(name, PASSWORDS[name])
        assert st == 200, (name, st, body)
        return s

    def close(self):
        try:
            self.d.stop()
        finally:
            self.d.cleanup()
            shutil.rmtree(self.tmp, ignore_errors=True)


# ---- the route enumeration ----------------------------------------------------------------

def fill(pattern, who):
    """A path for pattern whose '*' point at 平定县 (out of the 郊区 callers' scope)."""
    b_item = W.items.get("平定县", 999999)
    values = {
        "/api/v1/points/*": [OUTLET_B], "/api/v1/points/*/readings": [OUTLET_B],
        "/api/v1/alarms/*": [W.alarm_b],
        "/api/v1/alarms/*/*": [W.alarm_b, "explain" if who == "plant" else "acknowledge"],
        "/api/v1/ledger/items/*": [b_item], "/api/v1/ledger/items/*/actions": [b_item],
        "/api/v1/ledger/items/*/comments": [b_item], "/api/v1/ledger/items/*/links": [b_item],
        "/api/v1/ledger/items/*/files": [b_item],
        "/api/v1/ledger/files/*": [W.files.get("平定县", ("0" * 64,))[0]],
        "/api/v1/ledger/cases/from-alarm/*": [W.alarm_b],
        "/api/v1/water/sections/*/trend": [WATER_B],
        "/api/v1/users/*": ["ewtest-admin"], "/api/v1/users/*/password": ["ewtest-admin"],
        "/api/v1/users/*/tokens": ["ewtest-admin"],
    }
    parts = iter(values.get(pattern, []))
    return re.sub(r"\*", lambda m: str(next(parts, "x")), pattern)


def body_for(pattern):
    if pattern.endswith("/actions"):
        return {"action": "start", "actor": {"name": "x", "role": "officer"}}
    if pattern.endswith("/comments"):
        return {"note": "n", "actor": {"name": "x", "role": "officer"}}
    if pattern == "/api/v1/auth/login":
        return {"name": "nobody", "password": "wrong password"}
    return {"by": "x", "note": "n"}


def routes():
    """Every route the dispatcher has, with its policy (rows of routes not written yet are
    listed apart as "unrouted" and are harmless)."""
    return W.d.get("/api/v1/auth/policy")["routes"]


def leaks_b(text):
    return OUTLET_B in text or WATER_B in text or MARK_B in text


def test_every_route_has_a_policy():
    missing = [r for r in routes() if not r["policy"]]
    assert not missing, "routes without a policy (refused): %r" % missing
    assert len(routes()) >= 40


def test_every_route_refuses_anonymous_callers():
    anon = Session(W.d)
    for r in routes():
        if r["pattern"] == "/api/v1/events":
            continue                          # a stream: checked by its status alone below
        st, body, _ = anon.call(r["method"], fill(r["pattern"], "anon"),
                                body_for(r["pattern"]) if r["method"] != "GET" else None)
        if "public" in r["roles"]:
            code = body.get("error", {}).get("code") if isinstance(body, dict) else None
            assert st != 403 and code != "login_required" and st < 500, \
                (r["method"], r["pattern"], st, body)
        else:
            assert st == 401, (r["method"], r["pattern"], st, body)
            assert body["error"]["code"] == "login_required", body
    st, _, _ = anon.call("GET", "/api/v1/events")
    assert st == 401


def check_scoped(who, role):
    s = W.session(who)
    seen = 0
    for r in routes():
        if r["pattern"] in ("/api/v1/events", "/api/v1/auth/logout", "/api/v1/auth/password"):
            continue
        path = fill(r["pattern"], who)
        is_get = r["method"] == "GET"
        st, body, _ = s.call(r["method"], path, None if is_get else body_for(r["pattern"]))
        text = json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body
        if role not in r["roles"]:
            assert st == 403, (who, r["method"], path, st, body)
            continue
        seen += 1
        if "public" in r["roles"] or r["scope"] in ("self",) or \
                r["pattern"] == "/api/v1/assess" or r["pattern"].startswith("/api/v1/reports/air"):
            assert st < 500, (who, path, st, body)
            continue                        # published or the caller's own
        if is_get:
            assert st < 500 and not leaks_b(text), (who, path, st, text[:600])
        else:
            assert st in (400, 403, 404, 409), (who, r["method"], path, st, body)
    return s, seen


def test_an_officer_sees_its_county_only_on_every_route():
    s, seen = check_scoped("jq", "officer")
    assert seen >= 8, seen
    pts = [p["mn"] for p in s.call("GET", "/api/v1/points")[1]]
    assert sorted(pts) == sorted([STACK_A, WATER_A]), pts
    alarms = [a["mn"] for a in s.call("GET", "/api/v1/alarms")[1]]
    assert STACK_A in alarms and OUTLET_B not in alarms, alarms
    st, body, _ = s.call("GET", "/api/v1/points/%s/readings?kind=rtd" % STACK_A)
    assert st == 200, (st, body)
    if W.items:
        st, body, _ = s.call("GET", "/api/v1/ledger/items/%d" % W.items["郊区"])
        assert st == 200, (st, body)
        st, body, _ = s.call("GET", "/api/v1/ledger/items/%d" % W.items["平定县"])
        assert st == 404, (st, body)


def test_an_enterprise_sees_its_own_points_and_may_only_explain():
    s, seen = check_scoped("plant", "enterprise")
    assert seen >= 5, seen
    pts = [p["mn"] for p in s.call("GET", "/api/v1/points")[1]]
    assert pts == [STACK_A], pts
    st, body, _ = s.call("POST", "/api/v1/alarms/%d/acknowledge" % W.alarm_a,
                         {"by": "x", "note": "n"})
    assert st == 403, (st, body)
    st, body, _ = s.call("POST", "/api/v1/alarms/%d/explain" % W.alarm_a,
                         {"by": "someone else", "note": "停炉检修 (planned outage)"})
    assert st == 200, (st, body)
    step = body["history"][-1]
    assert step["state"] == "explained" and step["by"] == "plant", \
        "the step is the account's, not the name the body gives: %r" % step


def test_the_other_county_officer_sees_the_other_half():
    s = W.session("pd")
    pts = sorted(p["mn"] for p in s.call("GET", "/api/v1/points")[1])
    assert pts == sorted([OUTLET_B, WATER_B]), pts
    st, _, _ = s.call("GET", "/api/v1/points/" + STACK_A)
    assert st == 404


def test_a_leader_reads_everything_but_changes_nothing():
    s = W.session("boss")
    assert len(s.call("GET", "/api/v1/points")[1]) == 4
    st, _, _ = s.call("PUT", "/api/v1/points/" + STACK_A, {"name": "x"})
    assert st == 403
    st, _, _ = s.call("GET", "/api/v1/users")
    assert st == 403


# ---- evidence files --------------------------------------------------------------------------

def download(s, sha):
    """GET of an evidence file by session s (None: the admin's token): status, text, headers."""
    if s is None:
        req = urllib.request.Request(W.d.url("/api/v1/ledger/files/" + sha),
                                     headers={"Authorization": "Bearer " + W.d.token})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.read(), e.headers
    st, body, h = s.call("GET", "/api/v1/ledger/files/" + sha)
    return st, body.encode() if isinstance(body, str) else body, h


def test_evidence_downloads_follow_the_scope_of_the_items():
    assert W.files, "the evidence uploads failed"
    sha_a, pdf_a = W.files["郊区"]
    sha_b, pdf_b = W.files["平定县"]
    st, _, _ = Session(W.d).call("GET", "/api/v1/ledger/files/" + sha_a)
    assert st == 401, "anonymous"
    jq = W.session("jq")
    st, got, h = download(jq, sha_a)
    assert st == 200 and got == pdf_a, (st, got[:80])
    assert h["Content-Type"] == "application/pdf", h
    cd = h["Content-Disposition"]
    assert cd.startswith("attachment;") and \
        urllib.parse.quote("整改照片.pdf") in cd, cd
    st, got, _ = download(jq, sha_b)
    assert st == 404 and MARK_B.encode() not in got, (st, got[:200])
    st, got, _ = download(W.session("pd"), sha_b)
    assert st == 200 and got == pdf_b, (st, got[:80])
    st, _, _ = download(W.session("pd"), sha_a)
    assert st == 404
    st, _, _ = download(W.session("plant"), sha_a)
    assert st == 403, "an enterprise account gets no ledger evidence"
    boss = W.session("boss")
    assert download(boss, sha_a)[0] == 200 and download(boss, sha_b)[0] == 200
    # a department officer without a county: the items of its unit, wherever they are
    st, got = W.d.http("POST", "/api/v1/users", {"name": "pd-gov", "role": "officer",
                                                 "unit": "平定县人民政府",
                                                 "password": "pd-gov pass 6666"})
    assert st == 201, got
    PASSWORDS["pd-gov"] = "pd-gov pass 6666"
    W.secrets.append(PASSWORDS["pd-gov"])
    dept = W.session("pd-gov")
    assert download(dept, sha_b)[0] == 200 and download(dept, sha_a)[0] == 404
    st, got, _ = download(None, "0" * 64)
    assert st == 404, "attached to nothing"
    st, got, _ = download(None, "../../envwatch.db")
    assert st in (400, 404), st
    st, got, _ = download(None, sha_a.upper())
    assert st == 400 and json.loads(got)["error"]["code"] == "bad_hash", got


def item_files(item):
    return [(f["name"], f["size"]) for f in W.d.get("/api/v1/ledger/items/%d" % item)["files"]]


def chunked_upload(path, chunks, token):
    """A POST whose body streams in chunks (no Content-Length): what the daemon must bound
    while it reads, since it cannot know the size in advance."""
    c = http.client.HTTPConnection("127.0.0.1", W.d.http_port, timeout=60)
    try:
        c.request("POST", path, body=iter(chunks),
                  headers={"Authorization": "Bearer " + token,
                           "Content-Type": "application/pdf"})
        r = c.getresponse()
        return r.status, json.loads(r.read())
    finally:
        c.close()


def test_uploads_have_their_own_limit_enforced_as_they_stream():
    item = W.items["郊区"]
    path = "/api/v1/ledger/items/%d/files?role=operator&name=" % item
    before = item_files(item)
    # 2 MiB: over [http] max_body (1 MiB), within [ledger] max_file_bytes (20 MiB)
    pdf = b"%PDF-1.7\n" + os.urandom(2 << 20) + b"\n%%EOF\n"
    st, got = W.d.http("POST", path + "scan.pdf", pdf, headers={"Content-Type":
                                                                "application/pdf"})
    assert st == 201 and got["size"] == len(pdf) and got["mime"] == "application/pdf", got
    st, back, _ = download(None, got["sha256"])
    assert st == 200 and back == pdf, "the download is the upload, byte for byte"
    # 21 MiB with a Content-Length, and streamed in chunks without one
    big = b"%PDF-1.7\n" + b"0" * (21 << 20)
    st, got = W.d.http("POST", path + "big.pdf", big, headers={"Content-Type":
                                                               "application/pdf"})
    assert st == 413 and got["error"]["code"] == "body_too_large", (st, got)
    assert "20971520" in got["error"]["message"], got
    st, got = chunked_upload(path + "big2.pdf",
                             [b"%PDF-1.7\n"] + [b"1" * (1 << 20)] * 21, W.d.token)
    assert st == 413 and got["error"]["code"] == "body_too_large", (st, got)
    # a stranger gets the small limit: it cannot make the daemon hold 20 MiB
    st, got = W.d.http("POST", path + "anon.pdf", pdf, auth=False,
                       headers={"Content-Type": "application/pdf"})
    assert st == 413, (st, got)
    # an officer of another county: admitted to upload, but not to this item
    pd = W.session("pd")
    hdrs = {"Cookie": pd.cookie, "X-CSRF-Token": pd.csrf, "Content-Type": "application/pdf"}
    st, got = W.d.http("POST", "/api/v1/ledger/items/%d/files?role=officer&name=x.pdf" % item,
                       pdf, headers=hdrs)
    assert st == 404, (st, got)
    # the type is the content's, whatever the name says; names are plain
    elf = b"\x7fELF\x02\x01\x01\x00" + os.urandom(4096)
    st, got = W.d.http("POST", path + "report.pdf", elf, headers={"Content-Type":
                                                                  "application/pdf"})
    assert st == 415 and got["error"]["code"] == "unsupported_type", (st, got)
    st, got = W.d.http("POST", path + urllib.parse.quote("a\r\nSet-Cookie: x.pdf"), pdf[:4096],
                       headers={"Content-Type": "application/pdf"})
    assert st == 400 and got["error"]["code"] == "bad_name", (st, got)
    assert item_files(item) == before + [("scan.pdf", len(pdf))], item_files(item)
    assert W.d.get("/api/v1/audit?action=security.http_oversize"), "oversize is audited"


# ---- sessions, CSRF, lockout, tokens ------------------------------------------------------

def test_the_session_cookie_is_httponly_and_strict():
    s = W.session("boss")
    c = s.set_cookie
    assert "HttpOnly" in c and "SameSite=Strict" in c and "Path=/" in c, c
    assert "Secure" not in c, "no TLS here: Secure would make the browser drop it"
    st, me, _ = s.call("GET", "/api/v1/auth/me")
    assert me["user"]["name"] == "boss" and me["csrf"] == s.csrf and me["via"] == "session"
    st, me, _ = Session(W.d).call("GET", "/api/v1/auth/me")
    assert st == 200 and me == {"user": None}
    st, _, h = s.call("POST", "/api/v1/auth/logout", {})
    assert st == 200 and "Max-Age=0" in h.get("Set-Cookie", "")
    st, _, _ = s.call("GET", "/api/v1/points")
    assert st == 401, "the session ended with the logout"


def test_writes_of_a_cookie_session_need_the_csrf_token():
    admin = Session(W.d)
    assert admin.login("ewtest-admin", W.d.admin_password)[0] == 200
    body = {"display": "测试"}
    st, got, _ = admin.call("PUT", "/api/v1/users/boss", body, csrf=False)
    assert st == 403 and got["error"]["code"] == "csrf", got
    st, got, _ = admin.call("PUT", "/api/v1/users/boss", body, csrf=False,
                            headers={"X-CSRF-Token": "0" * 64})
    assert st == 403, got
    st, got, _ = admin.call("PUT", "/api/v1/users/boss", body)
    assert st == 200 and got["display"] == "测试", got
    # a bearer token is not a browser session: no CSRF token needed
    st, got = W.d.http("PUT", "/api/v1/users/boss", {"display": "局长"})
    assert st == 200, got


def test_repeated_failures_lock_the_account_until_an_admin_unlocks_it():
    s = Session(W.d)
    for _ in range(3):                      # auth.lockout_failures=3
        st, body = s.login("pd", "not the password")
        assert st == 401, body
    st, body = s.login("pd", PASSWORDS["pd"])
    assert st == 401 and body["error"]["code"] == "locked", body
    u = W.d.get("/api/v1/users/pd")
    assert u["locked_until"] is not None, u
    st, got = W.d.http("PUT", "/api/v1/users/pd", {"unlock": True})
    assert st == 200 and got["locked_until"] is None, got
    assert s.login("pd", PASSWORDS["pd"])[0] == 200
    st, body = s.login("nobody-at-all", "whatever password")
    assert st == 401 and body["error"]["code"] == "bad_credentials", body
    locks = W.d.get("/api/v1/audit?action=auth.lockout")
    assert locks and locks[0]["target"] == "user:pd", locks


def test_api_tokens_work_until_revoked():
    st, got = W.d.http("POST", "/api/v1/users/jq/tokens", {"label": "县级大屏", "days": 7})
    assert st == 201 and got["token"].startswith("ewt_"), got
    tok, tid = got["token"], got["about"]["id"]
    W.secrets.append(tok)
    bearer = {"Authorization": "Bearer " + tok}
    st, pts = W.d.http("GET", "/api/v1/points", headers=bearer)
    assert st == 200 and sorted(p["mn"] for p in pts) == sorted([STACK_A, WATER_A]), pts
    listed = W.d.get("/api/v1/users/jq/tokens")
    assert [t["label"] for t in listed] == ["县级大屏"] and "hash" not in listed[0], listed
    st, got = W.d.http("POST", "/api/v1/users/jq/tokens", {"label": "x", "days": 100000})
    assert st == 400, got
    st, got = W.d.http("DELETE", "/api/v1/tokens/%d" % tid)
    assert st == 200, got
    st, got = W.d.http("GET", "/api/v1/points", headers=bearer)
    assert st == 401 and got["error"]["code"] == "bad_credentials", got
    st, got = W.d.http("GET", "/api/v1/points", headers={"Authorization": "Bearer ewt_junk"})
    assert st == 401, got


def test_a_user_manages_its_own_tokens_and_password():
    s = W.session("plant")
    st, got, _ = s.call("POST", "/api/v1/auth/tokens", {"label": "数采对接", "days": 30})
    assert st == 201, got
    W.secrets.append(got["token"])
    tid = got["about"]["id"]
    st, mine, _ = s.call("GET", "/api/v1/auth/tokens")
    assert [t["id"] for t in mine] == [tid], mine
    other = W.d.get("/api/v1/users/jq/tokens")
    if other:
        st, _, _ = s.call("DELETE", "/api/v1/auth/tokens/%d" % other[0]["id"])
        assert st == 404, "not one of its own"
    st, _, _ = s.call("DELETE", "/api/v1/auth/tokens/%d" % tid)
    assert st == 200
    st, got, _ = s.call("POST", "/api/v1/auth/password",
                        {"current": "wrong", "password": "plant new pass 5"})
    assert st == 403, got
    st, got, _ = s.call("POST", "/api/v1/auth/password",
                        {"current": PASSWORDS["plant"], "password": "short"})
    assert st == 400 and got["error"]["code"] == "weak_password", got
    st, got, _ = s.call("POST", "/api/v1/auth/password",
                        {"current": PASSWORDS["plant"], "password": "plant new pass 5"})
    assert st == 200, got
    PASSWORDS["plant"] = "plant new pass 5"
    W.secrets.append(PASSWORDS["plant"])
    st, _, _ = s.call("GET", "/api/v1/points")
    assert st == 401, "every session ends with a password change"
    W.session("plant")


def test_a_disabled_account_is_out_at_once_and_the_last_admin_stays():
    s = W.session("boss")
    st, got = W.d.http("PUT", "/api/v1/users/boss", {"disabled": True})
    assert st == 200 and got["disabled"], got
    st, _, _ = s.call("GET", "/api/v1/points")
    assert st == 401
    assert Session(W.d).login("boss", PASSWORDS["boss"])[0] == 401
    W.d.http("PUT", "/api/v1/users/boss", {"disabled": False})
    st, got = W.d.http("PUT", "/api/v1/users/ewtest-admin", {"role": "leader"})
    assert st == 409 and got["error"]["code"] == "last_admin", got
    st, got = W.d.http("POST", "/api/v1/users", {"name": "weak", "role": "leader",
                                                 "password": "123"})
    assert st == 400, got
    st, got = W.d.http("POST", "/api/v1/users", {"name": "gen", "role": "leader"})
    assert st == 201 and len(got["password"]) == 16, got
    W.secrets.append(got["password"])


def test_the_cli_never_makes_a_default_password():
    tmp = tempfile.mkdtemp(prefix="ewauth-cli-")
    try:
        r = subprocess.run([EW_BIN, "user", "add", "--data", tmp, "--name", "root",
                            "--role", "admin"], input="", capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        pw = re.search(r"password: (\S+)", r.stdout).group(1)
        assert len(pw) == 16, r.stdout
        rc, _, err = cli("user", "add", "--data", tmp, "--name", "x", "--role", "admin",
                         stdin="short\n")
        assert rc == 1 and "10 characters" in err, err
        rc, _, err = cli("user", "add", "--data", tmp, "--name", "y", "--role", "officer",
                         stdin="long enough pass\n")
        assert rc == 1 and "county" in err, err
        rc, out, _ = cli("user", "list", "--data", tmp, "--json")
        assert [json.loads(l)["name"] for l in out.splitlines()] == ["root"], out
        rc, out, _ = cli("audit", "--data", tmp, "--format", "json")
        assert rc == 0 and pw not in out and '"action":"user.add"' in out, out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- the audit log ------------------------------------------------------------------------

def test_writes_are_audited_with_before_and_after():
    st, got = W.d.http("PUT", "/api/v1/points/" + WATER_A, {"name": "桃河白羊墅段(改)"})
    assert st == 200, got
    e = W.d.get("/api/v1/audit?action=point.update&limit=1")[0]
    assert e["actor"] == "ewtest-admin" and e["via"] == "api" and e["result"] == "ok", e
    assert e["target"] == "/api/v1/points/" + WATER_A, e
    assert e["before"]["name"] == W.points[WATER_A]["name"], e
    assert e["after"]["name"] == "桃河白羊墅段(改)", e
    assert e["peer"].startswith("127.0.0.1:"), e
    rc, _, err = cli("point", "remove", "--data", W.tmp, WATER_A)
    assert rc == 0, err
    e = W.d.get("/api/v1/audit?via=cli&limit=1")[0]
    assert e["action"] == "point.remove" and e["actor"].startswith("cli:"), e
    assert e["before"]["mn"] == WATER_A and e["after"] is None, e
    denied = W.d.get("/api/v1/audit?action=security.denied")
    assert denied, "refused calls are security events"


def test_the_audit_log_exports_and_verifies():
    st, raw = W.d.http("GET", "/api/v1/audit?format=csv&order=asc", raw=True)
    assert st == 200
    text = raw.decode("utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0][:4] == ["id", "time", "actor", "role"], rows[0]
    assert any(r[6] == "user.add" for r in rows[1:]), rows[:5]
    ids = [int(r[0]) for r in rows[1:]]
    assert ids == sorted(ids) and len(ids) > 10
    assert W.d.get("/api/v1/audit/verify")["ok"] is True
    rc, out, _ = cli("audit", "--data", W.tmp, "--verify")
    assert rc == 0 and "intact" in out, out


def test_no_secret_in_any_log_or_export():
    rc, cli_csv, _ = cli("audit", "--data", W.tmp, "--format", "csv")
    st, api_csv = W.d.http("GET", "/api/v1/audit?format=csv&limit=100000", raw=True)
    st, api_json = W.d.http("GET", "/api/v1/audit?limit=100000", raw=True)
    st, journal = W.d.http("GET", "/api/v1/journal?limit=1000", raw=True)
    texts = {"daemon log": W.d.logtext(), "cli export": cli_csv,
             "api csv": api_csv.decode(), "api json": api_json.decode(),
             "journal": journal.decode()}
    for where, text in texts.items():
        for secret in W.secrets:
            assert secret and secret not in text, "%s holds a secret (%s...)" % (where,
                                                                              secret[:3])
        assert "$argon2" not in text, where


def main():
    global W
    W = World()
    try:
        run([test_every_route_has_a_policy,
             test_every_route_refuses_anonymous_callers,
             test_an_officer_sees_its_county_only_on_every_route,
             test_an_enterprise_sees_its_own_points_and_may_only_explain,
             test_the_other_county_officer_sees_the_other_half,
             test_evidence_downloads_follow_the_scope_of_the_items,
             test_uploads_have_their_own_limit_enforced_as_they_stream,
             test_a_leader_reads_everything_but_changes_nothing,
             test_the_session_cookie_is_httponly_and_strict,
             test_writes_of_a_cookie_session_need_the_csrf_token,
             test_repeated_failures_lock_the_account_until_an_admin_unlocks_it,
             test_api_tokens_work_until_revoked,
             test_a_user_manages_its_own_tokens_and_password,
             test_a_disabled_account_is_out_at_once_and_the_last_admin_stays,
             test_the_cli_never_makes_a_default_password,
             test_writes_are_audited_with_before_and_after,
             test_the_audit_log_exports_and_verifies,
             test_no_secret_in_any_log_or_export])
    finally:
        W.close()


if __name__ == "__main__":
    main()
