#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""envwatch simulate against a stand-in platform written here.

A small HJ 212 server on 127.0.0.1 receives the simulator's TCP traffic and checks every frame
(length, CRC, CR LF, header order, QN/MN/PW/ST/Flag, DataTime alignment), answers 9014 or
withholds it to provoke re-sends, and sends the platform's requests (1011, 1012, 1072, 2061,
2012) to check the answers (9011, responses, history records, 9012, 9013). The CRC is an
independent Python transcription of the standard's routine (reference/hj212.md section 2).
Environment: EW_BIN (the envwatch binary), EW_SRC (repository root).
"""
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest
from datetime import datetime, timedelta, timezone

BIN = os.environ.get("EW_BIN", "build/release/envwatch")
SRC = os.environ.get("EW_SRC", ".")
REGISTRY = os.path.join(SRC, "data", "yangquan-points.csv")
CST = timezone(timedelta(hours=8))


def crc16(data: bytes) -> int:
    """HJ 212-2017's CRC: reg = (reg >> 8) ^ byte, then 8 shift/XOR-0xA001 rounds."""
    reg = 0xFFFF
    for b in data:
        reg = (reg >> 8) ^ b
        for _ in range(8):
            lsb = reg & 1
            reg >>= 1
            if lsb:
                reg ^= 0xA001
    return reg


def frame(seg: str) -> bytes:
    body = seg.encode()
    return b"##%04d" % len(body) + body + b"%04X\r\n" % crc16(body)


def cst(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=CST)


class Packet:
    """One received frame, checked strictly: the simulator must emit exactly the standard."""

    def __init__(self, raw: bytes, conn: int, at: float):
        self.raw, self.conn, self.at = raw, conn, at
        assert raw[:2] == b"##" and raw[-2:] == b"\r\n", raw
        n = int(raw[2:6])
        assert len(raw) == n + 12, "length field %d, frame %d" % (n, len(raw))
        assert n <= 1024, "segment over 1024 bytes: %d" % n
        seg = raw[6:6 + n]
        assert raw[6 + n:10 + n] == b"%04X" % crc16(seg), "CRC of %r" % raw
        text = seg.decode()
        head, cp = text.split("CP=&&", 1)
        assert cp.endswith("&&"), text
        self.cp_text = cp[:-2]
        self.hdr = []
        for item in head.rstrip(";").split(";"):
            k, v = item.split("=", 1)
            self.hdr.append((k, v))
        self.h = dict(self.hdr)
        self.cp = {}
        for item in self.cp_text.replace(",", ";").split(";"):
            if item:
                k, v = item.split("=", 1)
                self.cp[k] = v
        self.cn = self.h.get("CN")
        self.qn = self.h.get("QN")
        self.flag = int(self.h["Flag"]) if "Flag" in self.h else None

    def check_2017_upload(self, points):
        keys = [k for k, _ in self.hdr]
        want = ["QN", "ST", "CN", "PW", "MN", "Flag"]
        if self.flag is not None and self.flag & 2:
            want += ["PNUM", "PNO"]
        assert keys == want, keys
        assert len(self.qn) == 17 and self.qn.isdigit(), self.qn
        mn = self.h["MN"]
        assert mn in points, mn
        assert self.h["ST"] == points[mn]["st"], (self.h["ST"], points[mn])
        assert self.h["PW"] == points[mn]["pw"]
        assert self.flag in (5, 7), self.flag   # version 2017 with the A bit


def load_registry(path=REGISTRY, limit=None):
    import csv
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["mn"]: r for r in rows[:limit]}


class Platform:
    """A stand-in HJ 212 platform. ack(pkt) decides whether a data packet gets its 9014."""

    def __init__(self, ack=None):
        self.ack = ack or (lambda pkt: True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.packets = queue.Queue()
        self.conns = {}
        self.mn_conn = {}
        self.lock = threading.Lock()
        self.closed_conns = []
        self.backlog = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        cid = 0
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            cid += 1
            with self.lock:
                self.conns[cid] = c
            threading.Thread(target=self._serve, args=(c, cid), daemon=True).start()

    def _serve(self, c, cid):
        buf = b""
        while True:
            try:
                data = c.recv(65536)
            except OSError:
                data = b""
            if not data:
                with self.lock:
                    self.closed_conns.append(cid)
                return
            buf += data
            while True:
                i = buf.find(b"##")
                if i < 0 or len(buf) < i + 6:
                    break
                n = int(buf[i + 2:i + 6])
                if len(buf) < i + n + 12:
                    break
                raw, buf = buf[i:i + n + 12], buf[i + n + 12:]
                assert i == 0, "garbage before a frame: %r" % buf[:i]
                pkt = Packet(raw, cid, time.monotonic())
                with self.lock:
                    self.mn_conn.setdefault(pkt.h.get("MN"), set()).add(cid)
                self.packets.put(pkt)
                if pkt.flag is not None and pkt.flag & 1 and not pkt.cn.startswith("90") \
                        and self.ack(pkt):
                    self.reply_9014(pkt)

    def reply_9014(self, pkt):
        if pkt.flag is not None and pkt.flag >> 2 == 0:     # 2005: QN and CN inside CP
            seg = "ST=91;CN=9014;CP=&&QN=%s;CN=%s&&" % (pkt.qn, pkt.cn)
        else:
            seg = "QN=%s;ST=91;CN=9014;PW=%s;MN=%s;Flag=4;CP=&&&&" % (
                pkt.qn, pkt.h["PW"], pkt.h["MN"])
        self.send(pkt.conn, seg)

    def send(self, cid, seg):
        with self.lock:
            c = self.conns[cid]
        c.sendall(frame(seg))

    def request(self, pkt, cn, cp, qn, pw=None):
        """Sends a request (Flag=5) on the connection of pkt's MN."""
        seg = "QN=%s;ST=%s;CN=%s;PW=%s;MN=%s;Flag=5;CP=&&%s&&" % (
            qn, pkt.h["ST"], cn, pw or pkt.h["PW"], pkt.h["MN"], cp)
        self.send(pkt.conn, seg)

    def take(self, timeout=5.0, cond=lambda p: True):
        """The first packet, in arrival order, that satisfies cond; others stay for later."""
        end = time.monotonic() + timeout
        for i, p in enumerate(self.backlog):
            if cond(p):
                return self.backlog.pop(i)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching packet within %.1f s" % timeout)
            try:
                p = self.packets.get(timeout=left)
            except queue.Empty:
                continue
            if cond(p):
                return p
            self.backlog.append(p)

    def collect(self, seconds):
        """Everything received within the next seconds, after what is in the backlog."""
        out, self.backlog = self.backlog, []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                out.append(self.packets.get(timeout=max(0.01, end - time.monotonic())))
            except queue.Empty:
                pass
        return out

    def close(self):
        self.sock.close()
        with self.lock:
            for c in self.conns.values():
                try:
                    c.close()
                except OSError:
                    pass


def simulate(port, *args):
    cmd = [BIN, "simulate", "--connect", "127.0.0.1:%d" % port, "--summary", "1"] + list(args)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc, timeout=20):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError("simulator did not stop; stderr:\n" + err)
    return proc.returncode, out, err


def cn_is(cn, mn=None, qn=None):
    return lambda p: p.cn == cn and (mn is None or p.h.get("MN") == mn) and \
        (qn is None or p.qn == qn or p.cp.get("QN") == qn)


def done_line(err):
    lines = [l for l in err.splitlines() if l.startswith("simulate: done")]
    assert lines, err
    return dict(kv.split("=") for kv in lines[-1].split() if "=" in kv)


class Uploads(unittest.TestCase):
    def test_registry_points_upload_the_standard_way(self):
        points = load_registry(limit=8)
        plat = Platform()
        try:
            proc = simulate(plat.port, "--registry", REGISTRY, "--points", "8", "--seed", "3",
                            "--start", "2019-01-15T10:00:00", "--speed", "120",
                            "--rtd-interval", "60", "--backfill-hours", "2", "--duration", "6.5")
            rc, _, err = finish(proc)
            pkts = plat.collect(0.3)
        finally:
            plat.close()
        self.assertEqual(0, rc, err)
        by_mn = {}
        for p in pkts:
            p.check_2017_upload(points)
            by_mn.setdefault(p.h["MN"], []).append(p)
        self.assertEqual(set(points), set(by_mn))
        for mn, ps in by_mn.items():
            self.assertEqual(1, len(plat.mn_conn[mn]), "one TCP connection per instrument")
            self.assertEqual(len(ps), len({p.qn for p in ps}), "QN unique per instrument")
            self.assertEqual("2081", ps[0].cn)
            self.assertEqual("20190115100000", ps[0].cp["RestartTime"])
            self.assertEqual(["20190115080000", "20190115090000"],
                             [p.cp["DataTime"] for p in ps if p.cn == "2061"])
            rtd = [cst(p.cp["DataTime"]) for p in ps if p.cn == "2011"]
            self.assertGreaterEqual(len(rtd), 10)
            self.assertTrue(all(t.second == 0 for t in rtd))
            self.assertEqual(sorted(rtd), rtd)
            mins = [p.cp["DataTime"] for p in ps if p.cn == "2051"]
            self.assertEqual(["20190115100000"], mins)
            kind = points[mn]["kind"]
            for p in ps:
                if p.cn == "2011" and kind == "air":
                    # Yangquan in January: PM2.5 tens to hundreds of ug/m3, CO in mg/m3
                    self.assertTrue(5 <= float(p.cp["a34004-Rtd"]) <= 600, p.cp)
                    self.assertTrue(0.1 <= float(p.cp["a21005-Rtd"]) <= 10, p.cp)
                    self.assertLessEqual(float(p.cp["a34004-Rtd"]), float(p.cp["a34002-Rtd"]))
                if p.cn == "2061" and kind == "water":
                    self.assertTrue(6 <= float(p.cp["w01001-Avg"]) <= 9, p.cp)
        done = done_line(err)
        self.assertEqual(done["sent"], done["acked"])
        self.assertEqual("0", done["resent"])
        self.assertIn("sent=", err.splitlines()[0])     # a summary line per --summary period

    def test_count_stops_after_confirmed_uploads(self):
        plat = Platform()
        try:
            proc = simulate(plat.port, "--points", "3", "--count", "10", "--speed", "60",
                            "--start", "2019-07-01T08:00:00")
            rc, _, err = finish(proc, timeout=15)
            pkts = plat.collect(0.3)
        finally:
            plat.close()
        self.assertEqual(0, rc, err)
        self.assertEqual(10, len({p.qn + p.h["MN"] for p in pkts}))
        self.assertEqual("10", done_line(err)["acked"])

    def test_no_ack_uploads_carry_flag_4(self):
        plat = Platform()
        try:
            proc = simulate(plat.port, "--points", "2", "--no-ack", "--count", "6",
                            "--speed", "60")
            rc, _, err = finish(proc, timeout=15)
            pkts = plat.collect(0.3)
        finally:
            plat.close()
        self.assertEqual(0, rc, err)
        self.assertEqual(6, len(pkts))
        self.assertTrue(all(p.flag == 4 for p in pkts))


class Resend(unittest.TestCase):
    def test_unconfirmed_upload_is_resent_then_reconnected(self):
        seen = {}

        def ack(p):
            seen[p.qn] = seen.get(p.qn, 0) + 1
            return not (p.cn == "2081" and seen[p.qn] <= 3)

        plat = Platform(ack)
        try:
            proc = simulate(plat.port, "--points", "1", "--overtime", "1", "--recount", "2",
                            "--rtd-interval", "3600", "--start", "2019-01-15T10:00:00",
                            "--duration", "60")
            tries = [plat.take(5, cn_is("2081")) for _ in range(4)]
            after = plat.take(5, cn_is("2011"))
            proc.send_signal(signal.SIGINT)
            rc, _, err = finish(proc)
        finally:
            plat.close()
        self.assertEqual(0, rc, err)
        for t in tries[1:]:
            self.assertEqual(tries[0].raw, t.raw, "a re-send is the identical packet")
        self.assertEqual(tries[0].conn, tries[1].conn)
        self.assertEqual(tries[0].conn, tries[2].conn)
        for a, b in zip(tries, tries[1:3]):
            self.assertAlmostEqual(1.0, b.at - a.at, delta=0.5)     # OverTime = 1 s
        # after ReCount re-sends the link is given up, then redialled with back-off
        self.assertNotEqual(tries[2].conn, tries[3].conn)
        self.assertIn(tries[0].conn, plat.closed_conns)
        self.assertGreater(tries[3].at - tries[2].at, 1.5)
        self.assertEqual(tries[3].conn, after.conn)
        done = done_line(err)
        self.assertEqual("3", done["resent"])
        self.assertEqual("1", done["reconnects"])


class Requests(unittest.TestCase):
    def test_platform_requests_are_answered(self):
        plat = Platform()
        try:
            proc = simulate(plat.port, "--points", "2", "--start", "2019-01-15T10:00:00",
                            "--speed", "10", "--duration", "60")
            self._conversation(plat)
            proc.send_signal(signal.SIGTERM)        # a clean stop: final summary, exit 0
            rc, _, err = finish(proc)
        finally:
            plat.close()
        self.assertEqual(0, rc, err)
        self.assertEqual("8", done_line(err)["requests"])

    def _reply(self, plat, cn, qn, key=None, value=None):
        p = plat.take(3, cn_is(cn, qn=qn))
        self.assertEqual("91", p.h["ST"])
        self.assertEqual(qn, p.qn)
        self.assertEqual(4, p.flag)
        if key:
            self.assertEqual(value, p.cp.get(key))
        return p

    def _conversation(self, plat):
        boot = plat.take(5, lambda p: p.cn == "2081" and p.h["ST"] == "31")
        mn = boot.h["MN"]
        # 1011: 9011, the 1011 response with SystemTime, 9012
        plat.request(boot, "1011", "", "20190115100001001")
        self._reply(plat, "9011", "20190115100001001", "QnRtn", "1")
        r = plat.take(3, cn_is("1011", mn, "20190115100001001"))
        self.assertLess(abs((cst(r.cp["SystemTime"]) - cst("20190115100000")).total_seconds()),
                        120)
        self._reply(plat, "9012", "20190115100001001", "ExeRtn", "1")
        # 1012: the clock jumps to 12:00; the missed hours follow, uploads carry the new time
        plat.request(boot, "1012", "SystemTime=20190115120000", "20190115100001002")
        self._reply(plat, "9011", "20190115100001002", "QnRtn", "1")
        self._reply(plat, "9012", "20190115100001002", "ExeRtn", "1")
        hour = plat.take(5, cn_is("2061", mn))
        self.assertEqual("20190115100000", hour.cp["DataTime"])
        rtd = plat.take(5, lambda p: p.cn == "2011" and p.h["MN"] == mn and
                        p.cp["DataTime"] >= "20190115120000")
        self.assertTrue(rtd.qn.startswith("201901151200"), rtd.qn)
        # 2061 history: one record per hour with its own QN, Flag=4, then 9012
        plat.request(boot, "2061", "BeginTime=20190115080000;EndTime=20190115090000",
                     "20190115100001003")
        self._reply(plat, "9011", "20190115100001003", "QnRtn", "1")
        recs = [plat.take(3, lambda p: p.cn == "2061" and p.flag == 4) for _ in range(2)]
        self.assertEqual(["20190115080000", "20190115090000"],
                         [p.cp["DataTime"] for p in recs])
        self.assertTrue(all(p.qn != "20190115100001003" for p in recs))
        self.assertTrue(float(recs[0].cp["a21026-ZsAvg"]) > 0)
        self._reply(plat, "9012", "20190115100001003", "ExeRtn", "1")
        plat.request(boot, "2061", "BeginTime=20190116000000;EndTime=20190116010000",
                     "20190115100001004")
        self._reply(plat, "9012", "20190115100001004", "ExeRtn", "100")
        # wrong password: QnRtn=3 and nothing else
        plat.request(boot, "1011", "", "20190115100001005", pw="XXXXXX")
        self._reply(plat, "9011", "20190115100001005", "QnRtn", "3")
        # 1072: the new password is used from then on
        plat.request(boot, "1072", "NewPW=Yq2019", "20190115100001006")
        self._reply(plat, "9012", "20190115100001006", "ExeRtn", "1")
        plat.take(5, lambda p: p.h["MN"] == mn and p.cn == "2011" and p.h["PW"] == "Yq2019")
        # 2012 is a notification: 9013, and real-time uploads stop until 2011
        boot.h["PW"] = "Yq2019"
        plat.request(boot, "2012", "", "20190115100001007")
        stop = self._reply(plat, "9013", "20190115100001007")
        quiet = [p for p in plat.collect(6) if p.h.get("MN") == mn and p.cn == "2011"]
        self.assertLessEqual(len(quiet), 1)         # at most one already on its way
        self.assertFalse([p for p in quiet if p.at > stop.at + 2.5])
        plat.request(boot, "2011", "", "20190115100001008")
        self._reply(plat, "9012", "20190115100001008", "ExeRtn", "1")
        plat.take(5, lambda p: p.h["MN"] == mn and p.cn == "2011")


class Scenarios(unittest.TestCase):
    def test_scenario_switches(self):
        points = load_registry(limit=16)
        mns = list(points)
        by_name = {points[m]["name"]: m for m in mns}
        hot, old = by_name["嘉岭热电 1#机组烟囱"], by_name["嘉岭热电 2#机组烟囱"]
        skew = mns[0]
        badpw, mute = mns[1], mns[2]
        plat = Platform()
        try:
            proc = simulate(plat.port, "--registry", REGISTRY, "--points", "16",
                            "--start", "2019-01-15T10:00:00", "--speed", "3600",
                            "--rtd-interval", "3600", "--min-interval", "30", "--overtime", "1",
                            "--exceed", hot + ":a21026:3:2", "--version2005", old,
                            "--clock-skew", skew + ":300", "--bad-pw", badpw,
                            "--silent", mute + ":1800", "--duration", "3.6")
            rc, _, err = finish(proc)
            pkts = plat.collect(0.3)
        finally:
            plat.close()
        self.assertEqual(0, rc, err)
        mine = lambda mn, cn: [p for p in pkts if p.h.get("MN") == mn and p.cn == cn]
        # SO2 at three times the ultra-low 35 mg/m3 for the hours 10:00 and 11:00, then normal
        hours = {p.cp["DataTime"]: float(p.cp["a21026-ZsAvg"]) for p in mine(hot, "2061")}
        self.assertAlmostEqual(105, hours["20190115100000"], delta=105 * 0.03)
        self.assertAlmostEqual(105, hours["20190115110000"], delta=105 * 0.03)
        self.assertLess(hours["20190115120000"], 35)
        # HJ/T 212-2005: Flag=1, 2005 codes, confirmed by 2005-style 9014s (no re-sends)
        old_pkts = [p for p in pkts if p.h.get("MN") == old]
        self.assertTrue(old_pkts)
        self.assertTrue(all(p.flag == 1 for p in old_pkts))
        self.assertFalse(mine(old, "2081"))         # 2081 is new in 2017
        self.assertIn("02-Avg", mine(old, "2061")[0].cp)
        self.assertIn("S01-Avg", mine(old, "2061")[0].cp)
        self.assertEqual(len(old_pkts), len({p.raw for p in old_pkts}))
        # the skewed clock shows in the boot time and every DataTime
        self.assertEqual("20190115100500", mine(skew, "2081")[0].cp["RestartTime"])
        self.assertEqual("20190115100000", mine(mns[3], "2081")[0].cp["RestartTime"])
        # a wrong password in the uploads
        self.assertTrue(all(p.h["PW"] != points[badpw]["pw"] for p in pkts
                            if p.h.get("MN") == badpw))
        # silent after half an hour: no hourly record ever came
        self.assertTrue(mine(mute, "2081"))
        self.assertFalse(mine(mute, "2061"))
        self.assertEqual("0", done_line(err)["resent"])


class Usage(unittest.TestCase):
    def run_bad(self, *args):
        p = subprocess.run([BIN, "simulate"] + list(args), capture_output=True, text=True,
                           timeout=10)
        return p.returncode, p.stderr

    def test_bad_arguments_are_usage_errors(self):
        for args in (["--points", "2"],
                     ["--connect", "127.0.0.1", "--points", "2"],
                     ["--connect", "127.0.0.1:99999", "--points", "2"],
                     ["--connect", "127.0.0.1:7000", "--points", "0"],
                     ["--connect", "127.0.0.1:7000", "--points", "2", "--speed", "-1"],
                     ["--connect", "127.0.0.1:7000", "--points", "2", "--min-interval", "7"],
                     ["--connect", "127.0.0.1:7000", "--points", "2", "--exceed", "X:a21026:3:2"],
                     ["--connect", "127.0.0.1:7000", "--registry", REGISTRY, "--points", "999"],
                     ["--connect", "127.0.0.1:7000", "--points", "2", "--bogus"]):
            rc, err = self.run_bad(*args)
            self.assertEqual(2, rc, (args, err))
            self.assertTrue(err.startswith("envwatch simulate:"), err)

    def test_missing_registry_is_a_failure(self):
        rc, err = self.run_bad("--connect", "127.0.0.1:7000", "--registry", "/nonexistent.csv")
        self.assertEqual(1, rc, err)
        self.assertIn("/nonexistent.csv", err)

    def test_print_registry_lists_invented_points(self):
        p = subprocess.run([BIN, "simulate", "--print-registry", "--points", "12"],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(0, p.returncode, p.stderr)
        lines = p.stdout.splitlines()
        self.assertTrue(lines[0].startswith("mn,pw,name,kind,site,county,lat,lon,st,factors,"))
        self.assertEqual(13, len(lines))
        kinds = {l.split(",")[3] for l in lines[1:]}
        self.assertEqual({"air", "flue", "wastewater", "water", "sewage"}, kinds)

    def test_unreachable_platform_is_retried_until_the_end(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()                                   # nobody listens there
        proc = simulate(port, "--points", "2", "--duration", "2.5")
        rc, _, err = finish(proc)
        self.assertEqual(0, rc, err)
        done = done_line(err)
        self.assertEqual("0", done["connected"])
        self.assertEqual("0", done["sent"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
