# SPDX-License-Identifier: MIT
"""envwatch ledger and envwatch assess end to end: the CLI on a temporary store, then the
daemon's HTTP API with the [ledger] scorecard and holiday calendar it publishes.

Exports are checked with Python's own zipfile and XML parser, not with envwatch's reader, so
a workbook that passes here opens elsewhere too.
"""
import csv
import io
import json
import os
import shutil
import sys
import tempfile
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ewtest  # noqa: E402

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

SCORECARD = """[scorecard]
name = 县区考核
units = 平定县,盂县
[ontime]
value = ontime_close_pct
weight = 60
rule = rate
[overdue]
value = overdue_items
weight = 40
rule = deduct
per = 10
"""

OFFICER = ["--actor", "张科长", "--role", "officer", "--actor-unit", "平定县人民政府"]
OPERATOR = ["--actor", "王调度", "--role", "operator"]


def sheet_rows(data, sheet="xl/worksheets/sheet1.xml"):
    """A sheet's rows as lists of text (inline and shared strings, raw numbers). A cell
    without its optional reference r is the one after its left neighbour (ECMA-376 part 1,
    18.3.1.4), as Excel and LibreOffice read it."""
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.testzip() is None
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rows = []
    for row in ET.fromstring(z.read(sheet)).iter("{%s}row" % NS["m"]):
        out = {}
        col = 0
        for c in row.findall("m:c", NS):
            if c.get("r") is not None:
                col = 0
                for ch in c.get("r"):
                    if ch.isalpha():
                        col = col * 26 + ord(ch) - ord("A") + 1
            else:
                col += 1
            if c.get("t") == "inlineStr":
                text = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
            elif c.get("t") == "s":
                text = shared[int(c.find("m:v", NS).text)]
            else:
                v = c.find("m:v", NS)
                text = v.text if v is not None else ""
            out[col - 1] = text
        rows.append([out.get(i, "") for i in range(max(out) + 1 if out else 0)])
    return rows


class LedgerCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ew-ledger-")
        self.data = os.path.join(self.tmp, "var")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_cli(self, *args):
        return ewtest.cli("ledger", *args, "--data", self.data)

    def ok(self, *args):
        rc, out, err = self.run_cli(*args)
        self.assertEqual(0, rc, "%s: %s" % (args, err))
        return out

    def test_item_life_import_export_and_scorecard(self):
        now = "2019-03-01T09:00"
        item = self.ok("add", "--kind", "rectify", "--title", "煤矸石山治理", "--code", "R-1",
                       "--unit", "平定县人民政府", "--county", "平定县", "--leader", "书记",
                       "--gov-leader", "县长", "--source", "中央督察", "--due", "2019-03-20",
                       *OPERATOR, "--now", now).strip()
        # An officer of another unit is refused, with the reason and exit code 1.
        rc, _, err = self.run_cli("act", item, "start", "--actor", "陈", "--role", "officer",
                                  "--actor-unit", "盂县人民政府", "--now", now)
        self.assertEqual(1, rc)
        self.assertIn("may not act", err)
        self.assertIn("in_progress", self.ok("act", item, "start", *OFFICER, "--now", now))
        rc, _, err = self.run_cli("act", item, "apply_close", *OFFICER, "--note", "done",
                                  "--now", now)
        self.assertEqual(1, rc)
        self.assertIn("evidence", err)
        pdf = os.path.join(self.tmp, "report.pdf")
        with open(pdf, "wb") as f:
            f.write(b"%PDF-1.4\n%%EOF\n")
        self.ok("attach", item, pdf, *OFFICER, "--now", now)
        exe = os.path.join(self.tmp, "evil.pdf")
        with open(exe, "wb") as f:
            f.write(b"\x7fELF\x02\x01\x01" + bytes(64))
        rc, _, err = self.run_cli("attach", item, exe, *OFFICER, "--now", now)
        self.assertEqual(1, rc)
        self.ok("act", item, "apply_close", *OFFICER, "--note", "all covered",
                "--now", "2019-03-10T10:00")
        shown = self.ok("show", item)
        self.assertIn("apply_close", shown)
        self.assertIn("report.pdf", shown)

        # The deadline pass marks an item whose deadline passed.
        late = self.ok("add", "--kind", "task", "--title", "清洁取暖", "--unit",
                       "平定县人民政府", "--county", "平定县", "--due", "2019-03-15",
                       *OPERATOR, "--now", now).strip()
        self.assertEqual("1 overdue, 0 escalated",
                         self.ok("sweep", "--now", "2019-03-16T08:00").strip())
        listed = self.ok("list", "--overdue", "--format", "json")
        self.assertEqual([int(late)], [i["id"] for i in json.loads(listed)])

        # Import: the bad rows are named, a dry run writes nothing.
        ledger = os.path.join(self.tmp, "ledger.csv")
        with open(ledger, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(["编号", "问题", "牵头单位", "党委责任领导", "政府责任领导", "督察批次",
                        "完成时限"])
            w.writerow(["R-2", "渣场扬尘", "盂县人民政府", "a", "b", "中央", "2019-03-31"])
            w.writerow(["R-3", "河道", "盂县人民政府", "a", "", "中央", "2019-03-31"])
            w.writerow(["R-1", "重复", "盂县人民政府", "a", "b", "中央", "2019/3/31"])
        rc, out, _ = self.run_cli("import", ledger, "--kind", "rectify", "--dry-run",
                                  *OPERATOR)
        self.assertEqual(1, rc)
        self.assertIn("line 3", out)
        self.assertIn("line 4", out)
        self.assertNotIn("line 2", out)
        self.assertIn("3 rows, 2 refused, 0 imported (dry run)", out)
        rc, out, _ = self.run_cli("import", ledger, "--kind", "rectify", *OPERATOR)
        self.assertIn("3 rows, 2 refused, 1 imported", out)

        # Export to .xlsx, read with Python's zipfile.
        xlsx = os.path.join(self.tmp, "out.xlsx")
        self.ok("list", "--format", "xlsx", "--out", xlsx)
        with open(xlsx, "rb") as f:
            rows = sheet_rows(f.read())
        self.assertEqual(4, len(rows))                      # header + 3 items
        self.assertEqual("编号 code", rows[0][0])
        self.assertEqual({"R-1", "R-2", ""}, {r[0] for r in rows[1:]})

        # The counts of the same three items: R-1 submitted, 清洁取暖 overdue, R-2 imported.
        c = json.loads(self.ok("counts", "--format", "json"))
        self.assertEqual((3, 3, 1), (c["total"], c["open"], c["overdue"]))
        self.assertEqual({("平定县人民政府", 2), ("盂县人民政府", 1)},
                         {(u["unit"], u["n"]) for u in c["units"]})
        self.assertEqual({("rectify", "submitted"), ("rectify", "not_started"),
                          ("task", "not_started")},
                         {(x["kind"], x["state"]) for x in c["states"]})
        table = self.ok("counts", "--kind", "rectify")
        self.assertIn("total 2  open 2  overdue 0", table)
        rc, _, _ = self.run_cli("counts", "--format", "xlsx")
        self.assertEqual(2, rc)

        # The scorecard of March: 平定县 had two items due, one done in time.
        card = os.path.join(self.tmp, "card.ini")
        with open(card, "w", encoding="utf-8") as f:
            f.write(SCORECARD)
        rc, out, err = ewtest.cli("assess", "--period", "2019-03", "--config", card,
                                  "--format", "json", "--data", self.data)
        self.assertEqual(0, rc, err)
        sc = json.loads(out)
        pd = [u for u in sc["units"] if u["unit"] == "平定县"][0]
        self.assertEqual(50.0, pd["cells"][0]["value"])     # 1 of 2 in time
        self.assertEqual(30.0, pd["cells"][0]["points"])
        self.assertEqual(1.0, pd["cells"][1]["value"])      # the task is overdue
        self.assertEqual(60.0, pd["total"])
        self.assertIn("1 of 2 items", pd["cells"][0]["basis"])


class LedgerApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmpdir = tempfile.mkdtemp(prefix="ew-ledger-api-")
        card = os.path.join(cls.tmpdir, "card.ini")
        with open(card, "w", encoding="utf-8") as f:
            f.write(SCORECARD)
        hol = os.path.join(cls.tmpdir, "holidays.txt")
        with open(hol, "w") as f:
            f.write("2019-10-01 off\n")
        cls.d = ewtest.Daemon(["--set", "ledger.scorecard=" + card,
                               "--set", "ledger.holidays=" + hol])
        cls.d.start()

    @classmethod
    def tearDownClass(cls):
        cls.d.stop()
        cls.d.cleanup()
        shutil.rmtree(cls.tmpdir, ignore_errors=True)

    def test_api_walks_a_complaint_and_exports(self):
        d = self.d
        op = {"name": "王调度", "role": "operator", "unit": "市局"}
        st, it = d.http("POST", "/api/v1/ledger/items",
                        {"kind": "complaint", "title": "夜间噪声", "source": "12369",
                         "category": "noise", "county": "盂县", "actor": op})
        self.assertEqual(201, st, it)
        self.assertEqual("registered", it["state"])
        iid = it["id"]
        st, err = d.http("POST", "/api/v1/ledger/items/%d/actions" % iid,
                         {"action": "admit", "actor": {"name": "x", "role": "officer",
                                                      "unit": "盂县"}})
        self.assertEqual(403, st, err)
        st, err = d.http("POST", "/api/v1/ledger/items/%d/actions" % iid,
                         {"action": "reply", "actor": op, "note": "x"})
        self.assertEqual(409, st, err)
        st, it = d.http("POST", "/api/v1/ledger/items/%d/actions" % iid,
                        {"action": "admit", "actor": op})
        self.assertEqual(200, st, it)
        self.assertEqual("admitted", it["state"])
        st, _ = d.http("POST", "/api/v1/ledger/items/%d/comments" % iid,
                       {"note": "已电话联系", "actor": op})
        self.assertEqual(201, st)
        one = d.get("/api/v1/ledger/items/%d" % iid)
        self.assertEqual(["register", "admit", "comment"],
                         [h["action"] for h in one["history"]])
        self.assertIn("assign", [a["action"] for a in one["actions"]])
        page = d.get("/api/v1/ledger/items?kind=complaint&county=%E7%9B%82%E5%8E%BF")
        self.assertEqual(1, page["total"])
        st, data = d.http("GET", "/api/v1/ledger/items?format=xlsx", raw=True)
        self.assertEqual(200, st)
        rows = sheet_rows(data)
        self.assertEqual("夜间噪声", rows[1][4])
        self.assertEqual("信访投诉", rows[1][1])                # a shared string
        self.assertEqual("已受理", rows[1][2])
        # Text search: through the trigram index from 3 characters, a scan below.
        for q, n in [("夜间噪声", 1), ("间噪", 1), ("噪声X", 0), ("夜", 1), ("昼间", 0)]:
            page = d.get("/api/v1/ledger/items?q=" + urllib.parse.quote(q))
            self.assertEqual(n, page["total"], q)
        # The grouped counts of the same filters as the list.
        c = d.get("/api/v1/ledger/counts?county=" + urllib.parse.quote("盂县"))
        self.assertEqual((1, 1, 0), (c["total"], c["open"], c["overdue"]))
        self.assertEqual([("complaint", 1)], [(k["kind"], k["n"]) for k in c["kinds"]])
        self.assertEqual([("complaint", "admitted", "已受理", 1)],
                         [(x["kind"], x["state"], x["label"], x["n"]) for x in c["states"]])
        self.assertEqual(0, d.get("/api/v1/ledger/counts?kind=task&county=" +
                                  urllib.parse.quote("盂县"))["total"])
        st, err = d.http("GET", "/api/v1/ledger/counts?kind=nosuch")
        self.assertEqual(400, st, err)
        due = d.get("/api/v1/ledger/due")
        self.assertIn("units", due)
        # The scorecard published by the daemon's hook on its first tick.
        deadline = time.time() + 20
        while True:
            st, sc = d.http("GET", "/api/v1/assess?period=2019-03")
            if st == 200 or time.time() > deadline:
                break
            time.sleep(0.5)
        self.assertEqual(200, st, sc)
        self.assertEqual(["平定县", "盂县"], [u["unit"] for u in sc["units"]])
        # The same scorecard as a workbook: points per unit, then the breakdown.
        st, data = d.http("GET", "/api/v1/assess?period=2019-03&format=xlsx", raw=True)
        self.assertEqual(200, st, data[:200])
        points = sheet_rows(data)
        self.assertEqual(["单位 unit", "ontime", "overdue", "总分 total", "排名 rank"],
                         points[0])
        for u, row in zip(sc["units"], points[1:]):
            self.assertEqual(u["unit"], row[0])
            self.assertAlmostEqual(u["total"], float(row[3]))
            self.assertEqual(u["rank"], int(float(row[4])))
        detail = sheet_rows(data, "xl/worksheets/sheet2.xml")
        self.assertEqual(1 + 2 * 2, len(detail))               # 2 units x 2 indicators
        st, err = d.http("GET", "/api/v1/assess?period=2019-03&format=pdf")
        self.assertEqual(400, st, err)

    def test_import_dry_run_over_http(self):
        body = ("编号,问题,牵头单位,党委责任领导,政府责任领导,督察批次\n"
                "H-1,a,平定县人民政府,x,y,中央\nH-2,b,平定县人民政府,x,,中央\n").encode()
        st, res = self.d.http("POST", "/api/v1/ledger/import?kind=rectify&dry_run=1"
                              "&actor=w&role=operator", body,
                              headers={"Content-Type": "text/csv"})
        self.assertEqual(200, st, res)
        self.assertEqual((2, 1, 0), (res["rows"], res["refused"], res["imported"]))
        self.assertEqual(3, res["problems"][0]["line"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
