# SPDX-License-Identifier: MIT
"""envwatch point: the registry CLI end to end, against a temporary --data directory.

Runs the real binary (EW_BIN). The pending instrument for `approve` is written the way the
daemon writes it, straight into the store's pending table, since only the daemon creates them.
"""
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

BIN = os.environ.get("EW_BIN", "build/release/envwatch")
SECRET = "Zq7-secret-PW"


def run(*args, cwd=None):
    p = subprocess.run([BIN, "point", *args], capture_output=True, text=True, timeout=60,
                       cwd=cwd)
    return p.returncode, p.stdout, p.stderr


class PointCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ew-point-cli-")
        self.data = os.path.join(self.tmp, "var")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def ok(self, *args):
        rc, out, err = run(*args, "--data", self.data)
        self.assertEqual(0, rc, f"{args}: {err}")
        self.assertNotIn(SECRET, out + err)
        return out

    def listed(self):
        return {p["mn"]: p for p in json.loads(self.ok("list", "--format", "json"))}

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_add_then_list_in_every_format_never_shows_the_password(self):
        self.ok("add", "--mn", "010000A8900016F000169DC0", "--pw", SECRET, "--name", "大阳泉",
                "--kind", "air", "--site", "大阳泉站", "--county", "城区", "--lat", "37.87",
                "--lon", "113.56", "--extra", '{"st":"22"}')
        p = self.listed()["010000A8900016F000169DC0"]
        self.assertEqual("***", p["pw"])
        self.assertEqual(("大阳泉", "air", "大阳泉站", "城区"),
                         (p["name"], p["kind"], p["site"], p["county"]))
        self.assertAlmostEqual(37.87, p["lat"])
        self.assertEqual({"st": "22"}, p["extra"])
        rows = list(csv.DictReader(io.StringIO(self.ok("list", "--format", "csv"))))
        self.assertEqual("***", rows[0]["pw"])
        self.assertIn("大阳泉", self.ok("list"))

    def test_add_refuses_duplicates_bad_points_and_missing_options(self):
        self.ok("add", "--mn", "M1", "--pw", "p", "--name", "n", "--kind", "air")
        rc, _, err = run("add", "--data", self.data, "--mn", "M1", "--pw", "p", "--name", "n",
                         "--kind", "air")
        self.assertEqual((1, True), (rc, "already registered" in err))
        rc, _, err = run("add", "--data", self.data, "--mn", "M2", "--pw", "p", "--name", "n",
                         "--kind", "noise")
        self.assertEqual((1, True), (rc, "kind must be one of" in err))
        rc, _, err = run("add", "--data", self.data, "--mn", "M2", "--pw", "p", "--name", "n",
                         "--kind", "air", "--lat", "37.1")
        self.assertEqual((1, True), (rc, "lat and lon go together" in err))
        rc, _, _ = run("add", "--data", self.data, "--mn", "M2", "--name", "n", "--kind", "air")
        self.assertEqual(2, rc)
        self.assertEqual(["M1"], list(self.listed()))

    def test_import_keeps_extra_columns_and_updates_on_reimport(self):
        path = self.write("points.csv",
                          "mn,pw,name,kind,site,county,lat,lon,st,basin\n"
                          f"A001,{SECRET},大阳泉,air,大阳泉站,城区,37.87,113.56,22,\n"
                          'W001,pw2,"桃河 白羊墅",water,桃河,郊区,,,21,海河\n'
                          "\n"
                          'F001,pw3,"二电厂, 1号",flue,二电厂,矿区,37.9,113.6,31,\n')
        self.assertIn("3 new, 0 updated", self.ok("import", path))
        self.assertIn("0 new, 3 updated", self.ok("import", path))
        got = self.listed()
        self.assertEqual(["A001", "F001", "W001"], sorted(got))
        self.assertEqual({"st": "21", "basin": "海河"}, got["W001"]["extra"])
        self.assertEqual("二电厂, 1号", got["F001"]["name"])
        self.assertIsNone(got["W001"]["lat"])

    def test_import_with_bad_rows_names_each_and_imports_nothing(self):
        self.ok("add", "--mn", "KEEP", "--pw", "p", "--name", "n", "--kind", "air")
        path = self.write("bad.csv",
                          "mn,pw,name,kind,site,county,lat,lon\n"
                          "B1,p,good,air,,,,\n"            # line 2: good
                          "B2,p,bad kind,river,,,,\n"      # 3
                          "B3,,no password,air,,,,\n"      # 4
                          "B1,p,again,air,,,,\n"           # 5: repeats line 2
                          "B4,p,lat,air,,,91,113\n"        # 6
                          "B5,p,short,air\n"               # 7: too few fields
                          "B6,p,x,air,,,abc,1\n"           # 8
                          "B 7,p,x,air,,,,\n"              # 9: space in MN
                          "B8,p,fine,dust,,,,\n")          # 10: good
        rc, out, err = run("import", "--data", self.data, path)
        self.assertEqual(1, rc)
        bad = sorted(int(l.split(":")[0][5:]) for l in err.splitlines() if l.startswith("line "))
        self.assertEqual([3, 4, 5, 6, 7, 8, 9], bad)
        self.assertIn("7 bad row(s); nothing was imported", err)
        self.assertEqual(["KEEP"], list(self.listed()))

    def test_import_refuses_a_bad_header_or_file(self):
        for text, why in [("mn,name,kind\nX,y,air\n", "column 'pw' is missing"),
                          ("mn,pw,name,kind,mn\nX,p,y,air,X\n", "appears twice"),
                          ('mn,pw,name,kind\n"X,p,y,air\n', "unterminated quote"),
                          ("", "no header row")]:
            rc, _, err = run("import", "--data", self.data, self.write("h.csv", text))
            self.assertEqual((1, True), (rc, why in err), err)
        rc, _, err = run("import", "--data", self.data, os.path.join(self.tmp, "none.csv"))
        self.assertEqual(1, rc)

    def test_remove_takes_a_point_out_once(self):
        self.ok("add", "--mn", "M1", "--pw", "p", "--name", "n", "--kind", "air")
        self.assertIn("removed M1", self.ok("remove", "M1"))
        self.assertEqual({}, self.listed())
        rc, _, err = run("remove", "--data", self.data, "M1")
        self.assertEqual((1, True), (rc, "no point with MN M1" in err))

    def test_pending_instrument_is_approved_into_a_point(self):
        self.ok("add", "--mn", "M1", "--pw", "p", "--name", "n", "--kind", "air")
        db = sqlite3.connect(os.path.join(self.data, "envwatch.db"))
        db.execute("INSERT INTO pending(mn, peer, st, first_ms, last_ms, packets)"
                   " VALUES('X9', '10.0.0.7:4001', '32', 1700000000000, 1700000060000, 3)")
        db.commit()
        db.close()
        pend = json.loads(self.ok("pending", "--format", "json"))
        self.assertEqual([("X9", "32", "10.0.0.7:4001", 3)],
                         [(p["mn"], p["st"], p["peer"], p["packets"]) for p in pend])
        self.assertEqual("2023-11-15T06:13:20", pend[0]["first"])     # CST
        self.ok("approve", "X9", "--pw", SECRET, "--name", "盂县 污水厂", "--kind", "sewage")
        self.assertEqual([], json.loads(self.ok("pending", "--format", "json")))
        self.assertEqual("sewage", self.listed()["X9"]["kind"])
        rc, _, err = run("approve", "--data", self.data, "X9", "--pw", "p", "--name", "n",
                         "--kind", "air")
        self.assertEqual((1, True), (rc, "not pending" in err))

    def test_data_defaults_to_var_in_the_current_directory(self):
        rc, _, err = run("add", "--mn", "M1", "--pw", "p", "--name", "n", "--kind", "air",
                         cwd=self.tmp)
        self.assertEqual(0, rc, err)
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "var", "envwatch.db")))

    def test_usage_and_missing_store_errors(self):
        self.assertEqual(2, run()[0])
        self.assertEqual(2, run("frobnicate")[0])
        self.assertEqual(2, run("list", "--format", "xml", "--data", self.data)[0])
        self.assertEqual(2, run("remove", "--data", self.data)[0])
        self.assertEqual(0, run("--help")[0])
        rc, _, err = run("list", "--data", os.path.join(self.tmp, "nothing"))
        self.assertEqual((1, True), (rc, "no store at" in err))


if __name__ == "__main__":
    if not os.path.exists(BIN):
        sys.exit(f"EW_BIN {BIN} does not exist")
    unittest.main(verbosity=2)
