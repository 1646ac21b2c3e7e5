# SPDX-License-Identifier: MIT
"""Alarms end to end: the real daemon, the real simulator and a webhook receiver written here.

Three points of the demo registry (a coal-power stack, a mine-water outlet, a river section)
are imported into a fresh store; `envwatch simulate` runs them ten simulated minutes per real
second, drives the stack's SO2 to 3 x its ultra-low limit (35 mg/m3 at 6 % O2, GB 13223-2011 /
环发〔2015〕164号) for two hours, and lets the outlet fall silent. The test checks that:

- one exceedance alarm opens on the first exceeding hourly record and is re-triggered (not
  duplicated) by the second, then marked inactive by the compliant hour after;
- the silent outlet gets one offline alarm (thresholds made small with --set);
- the webhook receiver on 127.0.0.1 gets a JSON POST per event;
- the lifecycle runs through the API: acknowledge, explain (the enterprise's 异常申报), close,
  with 409 `state` for moves the lifecycle forbids and 400 for bad bodies;
- the sources and water answers are served for the same store.
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ewtest import ADMIN, EW_BIN, EW_SRC, Daemon, run

REGISTRY = os.path.join(EW_SRC, "data", "yangquan-points.csv")
STACK = "0101403000000310000E0101"      # 嘉岭热电 1#机组烟囱: ultra-low SO2 35 mg/m3
OUTLET = "0101403000000320000E1701"     # 晋阳煤矿 矿井水排口: falls silent
SECTION = "0101403000000210000D1002"    # 桃河城区段, target class IV


class Hook(BaseHTTPRequestHandler):
    received = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with Hook.lock:
            Hook.received.append((self.path, self.headers.get("Content-Type"), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def events():
    with Hook.lock:
        return [json.loads(b) for _, _, b in Hook.received]


def until(what, fn, timeout_s):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        got = fn()
        if got:
            return got
        time.sleep(0.5)
    raise AssertionError("timed out after %d s waiting for %s" % (timeout_s, what))


class World:
    """The store, the daemon, the receiver and the simulator, shared by the checks."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="ewalarms-")
        reg = os.path.join(self.tmp, "points.csv")
        with open(REGISTRY, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        with open(reg, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            for r in rows:
                if r["mn"] in (STACK, OUTLET, SECTION):
                    w.writerow(r)
        r = subprocess.run([EW_BIN, "point", "import", "--data", self.tmp, reg],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        self.hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        threading.Thread(target=self.hook.serve_forever, daemon=True).start()
        self.d = Daemon(["--set", "alarms.webhook_url=http://127.0.0.1:%d/sms/alarm"
                         % self.hook.server_address[1],
                         "--set", "alarms.offline_after_s=8", "--set", "alarms.check_s=1",
                         "--set", "alarms.webhook_timeout_ms=2000",
                         "--set", "sources.standards=%s" % os.path.join(EW_SRC, "data",
                                                                        "standards"),
                         # the simulated clock runs ahead at --speed 600: no 1012 time sync
                         "--set", "instruments.clock_drift_limit_s=86400"],
                        data_dir=self.tmp).start()
        self.sim_log = open(os.path.join(self.tmp, "simulate.log"), "w")
        self.sim = subprocess.Popen(
            [EW_BIN, "simulate", "--connect", "127.0.0.1:%d" % self.d.hj_port, "--registry", reg,
             "--speed", "600", "--rtd-interval", "60", "--backfill-hours", "2", "--seed", "7",
             "--exceed", "%s:a21026:3:2" % STACK, "--silent", "%s:1800" % OUTLET,
             "--summary", "5"], stdout=self.sim_log, stderr=subprocess.STDOUT)

    def close(self):
        if self.sim is not None:
            self.sim.send_signal(signal.SIGTERM)
            try:
                self.sim.wait(20)
            except subprocess.TimeoutExpired:
                self.sim.kill()
                self.sim.wait()
            self.sim_log.close()
        try:
            self.d.stop()
        finally:
            self.d.cleanup()
            self.hook.shutdown()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def alarms(self, query):
        return self.d.get("/api/v1/alarms?" + query)


W = None


def test_exceedance_opens_once_and_is_retriggered():
    # Hour 1 opens (count 1), hour 2 re-triggers (count 2), hour 3 is compliant.
    a = until("the stack's exceedance alarm to be re-triggered",
              lambda: [x for x in W.alarms("kind=exceedance&mn=" + STACK)
                       if x["factor"] == "a21026" and x["count"] >= 2], 90)[0]
    live = [x for x in W.alarms("kind=exceedance&mn=%s&factor=a21026" % STACK)
            if x["state"] != "closed"]
    assert len(live) == 1, "one live alarm per point, kind and factor: %r" % live
    assert a["kind"] == "exceedance" and a["rule"] == "exceed", a
    assert a["state"] == "open" and a["mn"] == STACK, a
    assert a["point"] == "嘉岭热电 1#机组烟囱" and a["county"] == "郊区", a
    assert a["limit"] == 35, a
    assert a["peak"] > 2 * 35 and abs(a["multiple"] - (a["peak"] - 35) / 35) < 1e-6, a
    assert a["unit"] == "mg/m3", a
    assert a["history"][0]["state"] == "open" and a["history"][0]["by"] == "system", a
    # The condition: two hourly periods, the second one hour after the first.
    t0 = time.strptime(a["start"], "%Y-%m-%dT%H:%M:%S")
    t1 = time.strptime(a["end"], "%Y-%m-%dT%H:%M:%S")
    assert time.mktime(t1) - time.mktime(t0) >= 2 * 3600, a
    ended = until("the compliant hour to end the condition",
                  lambda: [x for x in W.alarms("kind=exceedance&mn=%s&factor=a21026" % STACK)
                           if x["id"] == a["id"] and not x["active"]], 60)[0]
    assert ended["state"] == "open" and ended["count"] >= 2, ended


def test_silent_outlet_goes_offline():
    a = until("the outlet's offline alarm",
              lambda: W.alarms("kind=offline&mn=" + OUTLET), 60)
    assert len(a) == 1, a
    a = a[0]
    assert a["kind"] == "offline" and a["factor"] is None and a["active"], a
    assert a["end"] is None and a["count"] == 1, a
    assert not [x for x in W.alarms("kind=offline") if x["mn"] != OUTLET], \
        "only the silent point is offline"


def test_webhook_gets_each_event():
    stack = W.alarms("kind=exceedance&mn=%s&factor=a21026" % STACK)[0]
    want = {("opened", stack["id"]), ("retriggered", stack["id"])}
    got = until("the webhook to hear of the opening and the re-trigger",
                lambda: want <= {(e["event"], e["alarm"]["id"]) for e in events()}, 30)
    assert got
    with Hook.lock:
        path, ctype, _ = Hook.received[0]
    assert path == "/sms/alarm" and ctype.startswith("application/json"), (path, ctype)
    e = [x for x in events() if x["event"] == "opened" and x["alarm"]["id"] == stack["id"]][0]
    assert "二氧化硫" in e["message"] and "超标" in e["message"], e
    assert e["alarm"]["kind"] == "exceedance" and e["alarm"]["mn"] == STACK, e
    off = W.alarms("kind=offline&mn=" + OUTLET)[0]
    until("the webhook to hear of the offline outlet",
          lambda: ("opened", off["id"]) in {(x["event"], x["alarm"]["id"]) for x in events()},
          30)


def post(path, body):
    return W.d.http("POST", path, body)


def test_lifecycle_through_the_api():
    a = W.alarms("kind=exceedance&mn=%s&factor=a21026" % STACK)[0]
    base = "/api/v1/alarms/%d/" % a["id"]
    status, body = W.d.http("POST", base + "acknowledge", b"", headers={})
    assert status == 400 and body["error"]["code"] == "body_required", (status, body)
    status, body = post(base + "acknowledge", {"note": 5})
    assert status == 400 and body["error"]["code"] == "bad_field", (status, body)
    status, body = post(base + "acknowledge", {"note": "长" * 400})
    assert status == 400 and body["error"]["code"] == "bad_field", (status, body)
    status, body = post(base + "explain", {"note": ""})
    assert status == 400 and body["error"]["code"] == "bad_field", (status, body)
    status, body = post(base + "reopen", {"note": "x"})
    assert status == 404, (status, body)
    status, body = post("/api/v1/alarms/99999999/close", {"note": "x"})
    assert status == 404 and body["error"]["code"] == "not_found", (status, body)

    # The actor is the account of the token (ewtest-admin), whatever "by" the body names.
    status, body = post(base + "acknowledge", {"by": "值班员", "note": "已电话通知企业"})
    assert status == 200 and body["state"] == "acknowledged", (status, body)
    assert [h["state"] for h in body["history"]] == ["open", "acknowledged"], body
    assert body["history"][1]["by"] == ADMIN, body["history"]
    assert body["history"][1]["note"] == "已电话通知企业"
    status, body = post(base + "acknowledge", {"note": "again"})
    assert status == 409 and body["error"]["code"] == "state", (status, body)
    status, body = post(base + "explain", {"note": "脱硫塔循环泵故障，已抢修"})
    assert status == 200 and body["state"] == "explained", (status, body)
    status, body = post(base + "close", {"note": "复核数据恢复正常"})
    assert status == 200 and body["state"] == "closed" and body["closed"], (status, body)
    assert [h["state"] for h in body["history"]] == ["open", "acknowledged", "explained",
                                                     "closed"], body
    status, body = post(base + "close", {})
    assert status == 409 and body["error"]["code"] == "state", (status, body)
    assert W.d.get("/api/v1/alarms/%d" % a["id"])["state"] == "closed"

    closed = W.alarms("state=closed&mn=" + STACK)
    assert [x["id"] for x in closed] == [a["id"]], closed
    assert a["id"] not in [x["id"] for x in W.alarms("state=open&mn=" + STACK)]
    for bad, code in (("state=shut", "bad_param"), ("kind=smoke", "bad_kind"),
                      ("from=yesterday", "bad_time"), ("limit=0", "bad_limit")):
        status, body = W.d.http("GET", "/api/v1/alarms?" + bad)
        assert status == 400 and body["error"]["code"] == code, (bad, status, body)
    assert W.alarms("mn=NOSUCHMN") == []
    steps = until("the webhook to hear of every step",
                  lambda: {"acknowledged", "explained", "closed"} <=
                  {e["event"] for e in events() if e["alarm"]["id"] == a["id"]}, 30)
    assert steps
    last = [e for e in events() if e["alarm"]["id"] == a["id"] and e["event"] == "closed"][0]
    assert last["alarm"]["state"] == "closed" and last["alarm"]["history"][-1]["by"] == ADMIN


def test_sources_and_water_answers():
    src = W.d.get("/api/v1/sources")
    outlets = {o["mn"]: o for e in src for o in e["outlets"]}
    assert set(outlets) == {STACK, OUTLET}, outlets.keys()
    stack = outlets[STACK]
    assert stack["standard"] == "GB 13223-2011 ultralow", stack
    so2 = [v for v in stack["values"] if v["factor"] == "a21026"]
    assert so2 and so2[0]["limit"] == 35 and so2[0]["basis"] == "converted", stack
    ent = [e for e in src if any(o["mn"] == STACK for o in e["outlets"])][0]
    assert ent["enterprise"] == "阳泉嘉岭热电有限公司", ent
    month = time.strftime("%Y-%m", time.gmtime(time.time() + 8 * 3600))
    tr = W.d.get("/api/v1/sources/transmission?month=" + month)
    assert {p["mn"] for p in tr["points"]} == {STACK, OUTLET}, tr
    assert tr["counties"] and tr["enterprises"], tr
    status, body = W.d.http("GET", "/api/v1/sources/transmission?month=2019-13")
    assert status == 400, (status, body)
    tot = W.d.get("/api/v1/sources/totals")
    so2t = [o for o in tot["outlets"] if o["mn"] == STACK and o["factor"] == "a21026"]
    assert so2t and so2t[0]["emitted_t"] > 0 and so2t[0]["hours"] > 0, tot
    sections = W.d.get("/api/v1/water/sections")
    assert [s["mn"] for s in sections] == [SECTION], sections
    s = sections[0]
    assert s["target_class"] == "IV" and s["river"] == "桃河", s
    assert s["class"] in ("I", "II", "III", "IV", "V", "劣V"), s
    assert isinstance(s["compliant"], bool) and s["values"].get("w21003") is not None, s
    trend = W.d.get("/api/v1/water/sections/%s/trend?factor=w21003" % SECTION)
    assert trend and all("w21003" in d and "class" in d for d in trend), trend
    status, body = W.d.http("GET", "/api/v1/water/sections/%s/trend" % STACK)
    assert status == 404, (status, body)


def main():
    global W
    W = World()
    try:
        run([test_exceedance_opens_once_and_is_retriggered, test_silent_outlet_goes_offline,
             test_webhook_gets_each_event, test_lifecycle_through_the_api,
             test_sources_and_water_answers])
    finally:
        W.close()


if __name__ == "__main__":
    main()
