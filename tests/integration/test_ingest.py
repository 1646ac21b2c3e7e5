# SPDX-License-Identifier: MIT
"""The ingest spine end to end: the real daemon on 127.0.0.1, real TCP, real SQLite.

Checks replies against the standard's layouts, that readings come back exactly through the API,
idempotency, unknown MN -> pending -> approval, wrong PW, wrong CRC, 2005 peers, garbage and
every-byte splits, SIGKILL in the middle of a load (every acknowledged packet stored once), and
SIGTERM draining.
"""
import os
import random
import re
import signal
import socket
import sqlite3
import threading
import time

from ewtest import (Daemon, data_packet, expect_silence, fields, frame, iso, qn_now, read_events,
                    read_frames, run, unframe, cst)

AIR = {"mn": "010000A8900016F000169DC0", "pw": "123456", "name": "市中心", "kind": "air",
       "site": "市中心", "county": "城区", "lat": 37.8572, "lon": 113.5758}
STACK = {"mn": "AABBCCDDEEFF001122334455", "pw": "654321", "name": "1# 锅炉", "kind": "flue",
         "site": "阳泉热电", "county": "郊区", "lat": 37.86, "lon": 113.52}


def hour_start(offset_hours=0):
    t = int(time.time()) // 3600 * 3600 - offset_hours * 3600
    return t


def air_values(i):
    return {"a34004": {"Avg": "%.1f" % (35.0 + i), "Flag": "N"},
            "a21026": {"Avg": "%.1f" % (12.5 + i), "Flag": "N"},
            "a21005": {"Avg": "0.%d" % (i % 10), "Flag": "N"}}


def with_daemon(fn, *args):
    d = Daemon(args).start()
    try:
        st, _ = d.http("POST", "/api/v1/points", AIR)
        assert st == 201, st
        st, _ = d.http("POST", "/api/v1/points", STACK)
        assert st == 201, st
        fn(d)
        d.stop()
    finally:
        d.cleanup()


def test_hour_data_stored_and_acknowledged():
    def body(d):
        t = hour_start(2)
        qn = qn_now()
        pkt = data_packet(AIR["mn"], AIR["pw"], "2061", cst(t), air_values(3), qn=qn)
        s = d.connect()
        s.sendall(pkt)
        reply = fields(unframe(read_frames(s, 1)[0]))
        # HJ 212-2017 C.48: 9014 echoes the data packet's QN, ST=91, Flag=4, empty CP
        assert reply["QN"] == qn and reply["ST"] == "91" and reply["CN"] == "9014", reply
        assert reply["Flag"] == "4" and reply["CP"] == "", reply
        assert reply["MN"] == AIR["mn"] and reply["PW"] == AIR["pw"], reply
        rows = d.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s" %
                     (AIR["mn"], iso(t - 10), iso(t + 10)))
        got = {(r["time"], r["factor"]): (r["value"], r["flag"]) for r in rows}
        assert got == {(iso(t), "a34004"): (38.0, "N"), (iso(t), "a21026"): (15.5, "N"),
                       (iso(t), "a21005"): (0.3, "N")}, got
        # a re-sent packet (same QN) is acknowledged again and stores nothing new
        s.sendall(pkt)
        reply2 = fields(unframe(read_frames(s, 1)[0]))
        assert reply2["QN"] == qn
        rows2 = d.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s" %
                      (AIR["mn"], iso(t - 10), iso(t + 10)))
        assert len(rows2) == 3, rows2
        latest = d.get("/api/v1/latest?mn=" + AIR["mn"])
        assert {r["factor"] for r in latest} == {"a34004", "a21026", "a21005"}, latest
        journal = d.get("/api/v1/journal?mn=" + AIR["mn"])
        verdicts = [j["verdict"] for j in journal]
        assert verdicts[:2] == ["duplicate", "accepted"], verdicts
        assert all("123456" not in j["bytes"] for j in journal), "PW leaked in the journal"
        s.close()
    with_daemon(body)


def test_no_ack_bit_no_reply_but_stored():
    def body(d):
        t = hour_start(3)
        s = d.connect()
        s.sendall(data_packet(AIR["mn"], AIR["pw"], "2061", cst(t), air_values(1), flag=4))
        expect_silence(s, 1.0)
        rows = d.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s" %
                     (AIR["mn"], iso(t), iso(t)))
        assert len(rows) == 3, rows
    with_daemon(body)


def test_unknown_mn_goes_pending_and_approval_takes_it():
    def body(d):
        mn = "FFFF0000111122223333AAAA"
        t = hour_start(2)
        s = d.connect()
        s.sendall(data_packet(mn, "999999", "2061", cst(t), air_values(0)))
        expect_silence(s, 1.0)
        pend = d.get("/api/v1/pending")
        assert [p["mn"] for p in pend] == [mn], pend
        st, _ = d.http("GET", "/api/v1/points/%s/readings?kind=hour" % mn)
        assert st == 404
        st, body = d.http("POST", "/api/v1/pending/%s/approve" % mn,
                          {"pw": "999999", "name": "新站", "kind": "air", "county": "矿区"})
        assert st == 201, (st, body)
        assert d.get("/api/v1/pending") == []
        time.sleep(0.3)
        s.sendall(data_packet(mn, "999999", "2061", cst(t), air_values(0)))
        read_frames(s, 1)
        rows = d.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s" % (mn, iso(t), iso(t)))
        assert len(rows) == 3, rows
    with_daemon(body)


def test_wrong_pw_refused_and_logged_without_the_password():
    def body(d):
        t = hour_start(2)
        s = d.connect()
        s.sendall(data_packet(AIR["mn"], "000000", "2061", cst(t), air_values(0)))
        expect_silence(s, 1.0)
        # a request with A=1 gets 9011 QnRtn=3 (wrong PW), HJ 212-2017 table 6
        qn = qn_now()
        s.sendall(frame("QN=%s;ST=22;CN=1234;PW=000000;MN=%s;Flag=5;CP=&&&&" % (qn, AIR["mn"])))
        r = fields(unframe(read_frames(s, 1)[0]))
        assert r["CN"] == "9011" and r["CP"] == "QnRtn=3" and r["QN"] == qn, r
        rows = d.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s" %
                     (AIR["mn"], iso(t), iso(t)))
        assert rows == []
        j = d.get("/api/v1/journal?mn=" + AIR["mn"])
        assert {x["verdict"] for x in j} == {"bad-pw"}, j
        log = d.logtext()
        assert "wrong PW" in log and "000000" not in log, log[-2000:]
    with_daemon(body)


def test_bad_crc_not_stored_not_answered():
    def body(d):
        t = hour_start(2)
        pkt = bytearray(data_packet(AIR["mn"], AIR["pw"], "2061", cst(t), air_values(0)))
        pkt[-6:-2] = b"0000" if pkt[-6:-2] != b"0000" else b"0001"
        s = d.connect()
        s.sendall(bytes(pkt))
        expect_silence(s, 1.0)
        assert d.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s" %
                     (AIR["mn"], iso(t), iso(t))) == []
        j = d.get("/api/v1/journal?mn=" + AIR["mn"])
        assert [x["verdict"] for x in j] == ["bad-crc"], j
        m = d.http("GET", "/metrics", raw=True)[1].decode()
        assert "envwatch_hj212_bad_crc_total 1" in m, m
    with_daemon(body)


def test_2005_peer_gets_2005_reply():
    def body(d):
        t = hour_start(2)
        seg = ("ST=32;CN=2061;PW=%s;MN=%s;Flag=1;CP=&&DataTime=%s;a21026-Avg=20.5,"
               "a21026-Flag=N&&" % (STACK["pw"], STACK["mn"], cst(t)))
        s = d.connect()
        s.sendall(frame("QN=20040516010101001;" + seg))
        r = fields(unframe(read_frames(s, 1)[0]))
        # HJ/T 212-2005: 9014 carries the QN and the CN inside CP, no QN in the header
        assert "QN" not in r and r["CN"] == "9014" and r["ST"] == "91", r
        assert "QN=20040516010101001" in r["CP"] and "CN=2061" in r["CP"], r
        rows = d.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s" %
                     (STACK["mn"], iso(t), iso(t)))
        assert [(x["factor"], x["value"]) for x in rows] == [("a21026", 20.5)], rows
    with_daemon(body)


def test_garbage_and_byte_splits():
    def body(d):
        base = hour_start(30)
        pkts = [data_packet(AIR["mn"], AIR["pw"], "2061", cst(base + i * 3600), air_values(i))
                for i in range(20)]
        rnd = random.Random(7)
        stream = b""
        for p in pkts:
            stream += bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 40)))
            stream += b"##12" if rnd.random() < 0.3 else b""
            stream += p
        s = d.connect()
        for i in range(0, len(stream), 7):
            s.sendall(stream[i:i + 7])
        replies = read_frames(s, len(pkts), timeout=20)
        assert len(replies) == 20
        rows = d.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s" %
                     (AIR["mn"], iso(base), iso(base + 19 * 3600)))
        assert len(rows) == 60, len(rows)
    with_daemon(body)


def test_flood_and_slow_peer_do_not_stop_good_instruments():
    def body(d):
        stop = threading.Event()

        def flood():
            junk = b"##9999" + b"A" * 9999 + b"##0010xx\r\n" + os.urandom(5000)
            try:
                f = d.connect()
                while not stop.is_set():
                    f.sendall(junk)
            except OSError:
                pass

        def never_reads():
            try:
                f = d.connect()
                t = hour_start(40)
                p = data_packet(STACK["mn"], STACK["pw"], "2061", cst(t),
                                {"a21026": {"Avg": "1", "Flag": "N"}})
                f.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                while not stop.is_set():
                    f.sendall(p * 50)
            except OSError:
                pass
        threads = [threading.Thread(target=flood), threading.Thread(target=never_reads)]
        for th in threads:
            th.start()
        try:
            time.sleep(1.0)
            s = d.connect()
            for i in range(10):
                t = hour_start(60 + i)
                s.sendall(data_packet(AIR["mn"], AIR["pw"], "2061", cst(t), air_values(i)))
                read_frames(s, 1, timeout=10)
            assert d.get("/api/v1/health")["status"] == "ok"
        finally:
            stop.set()
            for th in threads:
                th.join(10)
        m = d.http("GET", "/metrics", raw=True)[1].decode()
        flood_bytes = int(m.split("\nenvwatch_hj212_bytes_total ")[1].split()[0])
        assert flood_bytes > 100000, m      # the flood was read (and discarded), not refused
    with_daemon(body, "--set", "ingest.max_write_queue=4096", "--set", "ingest.rate_per_mn=1000")


def test_sigkill_mid_load_loses_no_acknowledged_packet():
    d = Daemon().start()
    try:
        assert d.http("POST", "/api/v1/points", AIR)[0] == 201
        base = hour_start(24 * 20)
        pkts = [(i, data_packet(AIR["mn"], AIR["pw"], "2061", cst(base + i * 3600),
                                air_values(i))) for i in range(400)]
        acked = set()
        errors = []

        def sender():
            try:
                s = d.connect()
                for i, p in pkts:
                    s.sendall(p)
                    read_frames(s, 1, timeout=5)
                    acked.add(i)
            except (OSError, AssertionError) as e:
                errors.append(e)
        th = threading.Thread(target=sender)
        th.start()
        deadline = time.time() + 60
        while len(acked) < 150 and th.is_alive() and time.time() < deadline:
            time.sleep(0.01)
        d.proc.kill()
        d.proc.wait()
        th.join(10)
        d.proc.stdout.close()
        d.proc.stderr.close()
        d.proc = None
        assert 150 <= len(acked) < 400, (len(acked), errors)
        d2 = Daemon(data_dir=d.tmp).start()
        try:
            rows = d2.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s&limit=100000" %
                          (AIR["mn"], iso(base), iso(base + 400 * 3600)))
            stored = {r["time"] for r in rows}
            for i in acked:
                assert iso(base + i * 3600) in stored, "acknowledged packet %d lost" % i
            # the instrument re-sends everything it holds; nothing is duplicated
            s = d2.connect()
            for i, p in pkts:
                s.sendall(p)
            read_frames(s, len(pkts), timeout=30)
            rows = d2.get("/api/v1/points/%s/readings?kind=hour&from=%s&to=%s&limit=100000" %
                          (AIR["mn"], iso(base), iso(base + 400 * 3600)))
            keys = [(r["time"], r["factor"]) for r in rows]
            assert len(keys) == len(set(keys)) == 400 * 3, (len(keys), len(set(keys)))
            d2.stop()
        finally:
            d2.proc and d2.proc.kill()
    finally:
        d.cleanup()


def test_sigterm_drains_and_exits_cleanly():
    def body(d):
        s = d.connect()
        base = hour_start(24 * 40)
        for i in range(50):
            s.sendall(data_packet(AIR["mn"], AIR["pw"], "2061", cst(base + i * 3600),
                                  air_values(i)))
        read_frames(s, 50)
        assert "envwatch_hj212_frames_total 50" in d.http("GET", "/metrics", raw=True)[1].decode()
    with_daemon(body)


def test_api_errors_are_json_with_stable_codes():
    def body(d):
        st, b = d.http("GET", "/api/v1/nothing")
        assert st == 404 and b["error"]["code"] == "no_route", b
        st, b = d.http("GET", "/api/v1/points/NOPE/readings?kind=hour")
        assert st == 404 and b["error"]["code"] == "not_found", b
        st, b = d.http("GET", "/api/v1/points/%s/readings?kind=week" % AIR["mn"])
        assert st == 400 and b["error"]["code"] == "bad_kind", b
        st, b = d.http("GET", "/api/v1/points/%s/readings?from=yesterday" % AIR["mn"])
        assert st == 400 and b["error"]["code"] == "bad_time", b
        st, b = d.http("POST", "/api/v1/points", b"{not json")
        assert st == 400 and b["error"]["code"] == "bad_json", b
        st, b = d.http("POST", "/api/v1/points", {"mn": "X;Y", "pw": "1", "name": "n",
                                                  "kind": "air"})
        assert st == 400 and b["error"]["code"] == "invalid_point", b
        st, b = d.http("POST", "/api/v1/points", AIR)
        assert st == 409, b
        st, b = d.http("POST", "/api/v1/points", b"x" * (2 << 20))
        assert st == 413 and b["error"]["code"] == "body_too_large", b
        st, b = d.http("DELETE", "/api/v1/health")
        assert st == 405, b
        pts = d.get("/api/v1/points")
        assert {p["mn"] for p in pts} == {AIR["mn"], STACK["mn"]}
        assert all("pw" not in p for p in pts)
        st, b = d.http("GET", "/api/v1/points?format=csv", raw=True)
        assert st == 200 and b.decode().startswith("mn,name,kind"), b
    with_daemon(body)


def test_idle_writer_checkpoints_into_the_database_file():
    """The writer is the only connection that checkpoints (docs/store.md): it does so when
    its queue is empty, so the data reaches envwatch.db itself without a pause on a waiting
    instrument. Read with immutable=1, the file alone (no WAL) holds the readings."""
    def checkpoints(d):
        m = d.http("GET", "/metrics", raw=True)[1].decode()
        return int(re.search(r"^envwatch_store_checkpoints_total (\d+)$", m, re.M).group(1))

    def body(d):
        before = checkpoints(d)
        s = d.connect()
        t0 = hour_start(30)
        for h in range(20):
            s.sendall(data_packet(AIR["mn"], AIR["pw"], "2061", cst(t0 + h * 3600),
                                  air_values(h), qn=qn_now()))
        assert len(read_frames(s, 20)) == 20
        s.close()
        # An idle writer checkpoints within CHECKPOINT_IDLE_MS (5 s) of its last commit.
        deadline, rows, tables = time.time() + 20, 0, []
        while rows < 20 and time.time() < deadline:
            time.sleep(0.5)
            db = sqlite3.connect("file:%s?immutable=1" % os.path.join(d.tmp, "envwatch.db"),
                                 uri=True)
            tables = [r[0] for r in db.execute(
                "SELECT name FROM sqlite_schema WHERE name GLOB 'v2061_*'")]
            rows = sum(db.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
                       for t in tables)
            db.close()
        assert rows == 20, (tables, rows)
        assert checkpoints(d) > before
    with_daemon(body)


def test_readings_event_lists_the_uploads_of_a_commit():
    """GET /api/v1/events: one `readings` event per commit lists every upload it stored."""
    def body(d):
        t0 = hour_start(40)
        s = d.connect()
        for h in range(3):
            s.sendall(data_packet(AIR["mn"], AIR["pw"], "2061", cst(t0 + h * 3600),
                                  air_values(h), qn=qn_now()))
        assert len(read_frames(s, 3)) == 3
        s.close()
        want = {iso(t0 + h * 3600) for h in range(3)}

        def uploads(events):
            return [u for kind, data in events if kind == "readings"
                    for u in data["uploads"] if u["mn"] == AIR["mn"]]
        got = uploads(read_events(d, lambda evs: {u["time"] for u in uploads(evs)} >= want))
        assert {u["time"] for u in got} == want, got
        for u in got:
            assert u["kind"] == "hour" and sorted(u["factors"]) == ["a21005", "a21026",
                                                                   "a34004"], u
    with_daemon(body)


def test_pipelined_packets_are_all_acknowledged_in_order():
    """Two instruments each send 300 hours of back-fill in one go: every packet gets its 9014,
    in the order sent, and each reply counts once in /metrics (a commit's replies to one
    connection leave in one write)."""
    def metric(d, name):
        text = d.http("GET", "/metrics", raw=True)[1]
        text = text.decode() if isinstance(text, bytes) else text
        m = re.search(r"^%s (\d+)$" % name, text, re.M)
        return int(m.group(1))

    def body(d):
        before = metric(d, "envwatch_hj212_replies_total")
        t0 = hour_start(400)
        socks, sent = [], []
        for k, p in enumerate((AIR, STACK)):
            qns = [qn_now(k * 1000 + h) for h in range(300)]
            blob = b"".join(data_packet(p["mn"], p["pw"], "2061", cst(t0 + h * 3600),
                                        air_values(h), qn=qns[h]) for h in range(300))
            s = d.connect()
            s.sendall(blob)
            socks.append(s)
            sent.append(qns)
        for s, qns in zip(socks, sent):
            got = [fields(unframe(f)) for f in read_frames(s, 300, timeout=30)]
            assert [r["CN"] for r in got] == ["9014"] * 300
            assert [r["QN"] for r in got] == qns, "replies out of order or missing"
            s.close()
        assert metric(d, "envwatch_hj212_replies_total") - before == 600
        rows = d.get("/api/v1/points/%s/readings?kind=hour&factor=a34004&from=%s&to=%s" %
                     (STACK["mn"], iso(t0), iso(t0 + 299 * 3600)))
        assert len(rows) == 300, len(rows)
    with_daemon(body)


if __name__ == "__main__":
    run([test_hour_data_stored_and_acknowledged, test_no_ack_bit_no_reply_but_stored,
         test_unknown_mn_goes_pending_and_approval_takes_it,
         test_wrong_pw_refused_and_logged_without_the_password,
         test_bad_crc_not_stored_not_answered, test_2005_peer_gets_2005_reply,
         test_garbage_and_byte_splits, test_flood_and_slow_peer_do_not_stop_good_instruments,
         test_sigkill_mid_load_loses_no_acknowledged_packet,
         test_sigterm_drains_and_exits_cleanly, test_api_errors_are_json_with_stable_codes,
         test_idle_writer_checkpoints_into_the_database_file,
         test_readings_event_lists_the_uploads_of_a_commit,
         test_pipelined_packets_are_all_acknowledged_in_order])
