# SPDX-License-Identifier: MIT
"""The command-line contract of `envwatch aqi` and `envwatch air-stats`.

aqi: every row of ../shared/data/aqi-vectors.csv through the CLI (hourly platform rows with
--period hour, daily rows with --period day), column pass-through and case-insensitive
headers, an empty AQI when every input is missing, JSON output, and exit codes 0/1/2.
air-stats: hand-built hourly data whose statistics are known in advance: output layout,
--period/--scope/--control/--from/--to, year-on-year change, targets, JSON, and errors.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

EW_BIN = os.environ.get("EW_BIN", "build/release/envwatch")
EW_SHARED = os.environ.get("EW_SHARED", "../shared")


def run(args, text=""):
    p = subprocess.run([EW_BIN] + args, input=text.encode("utf-8"), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def ok(args, text=""):
    rc, out, err = run(args, text)
    if rc != 0:
        sys.exit("%s failed (%d): %s" % (args, rc, err))
    return out


def rows_of(out):
    return list(csv.DictReader(io.StringIO(out)))


# ---- aqi -----------------------------------------------------------------------------------

def tokens(s):
    """aqi-vectors.csv spells the 1-hour O3 'O3_1h'; the CLI spells it 'O3'."""
    return ";".join("O3" if t == "O3_1h" else t for t in s.split(";") if t)


def check_vectors():
    with open(os.path.join(EW_SHARED, "data", "aqi-vectors.csv"), encoding="utf-8") as f:
        vec = list(csv.DictReader(f))
    hourly = [v for v in vec if v["mode"] == "hourly" and v["rule"] == "platform"]
    daily = [v for v in vec if v["mode"] == "daily"]
    for period, sel, cols in (
            ("hour", hourly, [("SO2", "so2"), ("NO2", "no2"), ("CO", "co"), ("O3_1h", "o3"),
                              ("PM10", "pm10"), ("PM2_5", "pm25")]),
            ("day", daily, [("SO2", "so2"), ("NO2", "no2"), ("CO", "co"), ("O3_1h", "o3_1h"),
                            ("O3_8h", "o3_8h"), ("PM10", "pm10"), ("PM2_5", "pm25")])):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["id"] + [c for _, c in cols])
        for v in sel:
            w.writerow([v["id"]] + [v[k] for k, _ in cols])
        out = rows_of(ok(["aqi", "--period", period], buf.getvalue()))
        assert len(out) == len(sel)
        for v, r in zip(sel, out):
            assert r["id"] == v["id"]
            for k, c in cols:
                assert r[c] == v[k], (v["id"], c)               # passed through unchanged
                want = v["IAQI_" + k]
                assert r["iaqi_" + c] == want, (v["id"], c, r["iaqi_" + c], want)
            assert (r["aqi"], r["level"], r["category"]) == (v["AQI"], v["level"],
                                                             v["category"]), v["id"]
            assert r["primary"] == tokens(v["primary"]), (v["id"], r["primary"])
            assert r["exceeding"] == tokens(v["exceeding"]), (v["id"], r["exceeding"])
        print("aqi --period %s: %d vector rows agree" % (period, len(sel)))


def check_aqi_layout():
    text = 'Station,PM2.5,So2,note\nA,36,7,"a, quoted"\nB,,,empty\nC,0,,zero\n'
    out = ok(["aqi", "--period", "hour"], text)
    head = out.splitlines()[0]
    assert head == ("Station,PM2.5,So2,note,aqi,level,category,primary,iaqi_so2,iaqi_no2,"
                    "iaqi_co,iaqi_o3,iaqi_pm10,iaqi_pm25,exceeding"), head
    r = rows_of(out)
    assert (r[0]["note"], r[0]["aqi"], r[0]["primary"], r[0]["iaqi_so2"]) == \
        ("a, quoted", "52", "PM2.5", "3")
    assert r[1]["aqi"] == "" and r[1]["level"] == "" and r[1]["category"] == ""
    assert r[2]["aqi"] == "0" and r[2]["category"] == "优" and r[2]["primary"] == ""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(text)
    try:
        assert ok(["aqi", "--period", "hour", f.name]) == out     # file argument = stdin
    finally:
        os.unlink(f.name)
    js = json.loads(ok(["aqi", "--period", "hour", "--format", "json"], text))
    assert js[0]["PM2.5"] == 36 and js[0]["aqi"] == 52 and js[0]["Station"] == "A"
    assert js[1]["aqi"] is None and js[1]["PM2.5"] is None
    assert js[2]["level"] == 1
    print("aqi: layout, pass-through, empty AQI, JSON ok")


def check_aqi_errors():
    cases = [
        (["aqi", "--period", "hour"], "so2,pm25\n1,abc\n", 1, "line 2"),
        (["aqi", "--period", "hour"], "so2,pm25\n1,-3\n", 1, "line 2"),
        (["aqi", "--period", "hour"], "so2,pm25\n1,2,3\n", 1, "fields"),
        (["aqi", "--period", "hour"], "a,b\n1,2\n", 1, "no pollutant column"),
        (["aqi", "--period", "hour"], "pm25,PM25\n1,2\n", 1, "twice"),
        (["aqi", "--period", "hour"], "", 1, "empty input"),
        (["aqi", "--period", "day"], 'pm25\n"1\n', 1, "malformed"),
        (["aqi"], "pm25\n1\n", 2, "usage"),
        (["aqi", "--period", "week"], "pm25\n1\n", 2, "usage"),
        (["aqi", "--period", "hour", "--format", "xml"], "pm25\n1\n", 2, "usage"),
        (["aqi", "--period", "hour", "/nonexistent/x.csv"], "", 1, "cannot open"),
    ]
    for args, text, want, msg in cases:
        rc, _, err = run(args, text)
        assert rc == want and msg in err, (args, text, rc, err)
    print("aqi: %d error cases give the right exit code and message" % len(cases))


# ---- air-stats -----------------------------------------------------------------------------

def hourly(station, county, day_from, days, pm25, so2=10):
    """CSV rows of a station with constant values for whole days (start-of-hour times)."""
    import datetime as dt
    out = []
    for d in range(days):
        day = day_from + dt.timedelta(days=d)
        for h in range(24):
            out.append("%s,%s,%sT%02d:00,%s,20,0.5,60,%s,%s"
                       % (station, county, day.isoformat(), h, so2, pm25 * 2, pm25))
    return out


HEAD = "station,county,time,so2,no2,co,o3,pm10,pm25"


def check_stats_two_years():
    import datetime as dt
    lines = [HEAD]
    lines += hourly("S1", "East", dt.date(2018, 1, 1), 365, 40)
    lines += hourly("S1", "East", dt.date(2019, 1, 1), 365, 30)
    lines += hourly("S2", "East", dt.date(2018, 1, 1), 730, 50)
    lines += hourly("BG", "East", dt.date(2018, 1, 1), 730, 5)    # control station
    text = "\n".join(lines) + "\n"
    out = ok(["air-stats", "--period", "year", "--control", "BG",
              "--target-pm25", "35", "--target-good-pct", "80", "--target-heavy-days", "3"],
             text)
    r = {(x["scope"], x["name"], x["date"]): x for x in rows_of(out)}
    assert len(r) == 3 * 2 + 1 * 2 + 1 * 2, sorted(r)     # 3 stations, 1 county, city
    s1 = r[("station", "S1", "2019")]
    assert (s1["pm25"], s1["pm25_p95"], s1["n_pm25"], s1["invalid"]) == ("30", "30", "365", "")
    assert s1["pm25_yoy_pct"] == "-25.0", s1["pm25_yoy_pct"]          # 40 -> 30
    # I_sum = 10/60 + 20/40 + 60/70 + 30/35 + 0.5/4 + 60/160 = 2.8804 -> 2.88.
    assert s1["ci"] == "2.88" and s1["ci_main"] == "PM10", (s1["ci"], s1["ci_main"])
    assert s1["good_days"] == "365" and s1["good_pct"] == "100.0"
    assert (s1["target_pm25"], s1["target_good"], s1["target_heavy"]) == ("met", "met", "met")
    # Ranks among stations: 2019 PM2.5 BG 5, S1 30, S2 50.
    assert [r[("station", n, "2019")]["rank_pm25"] for n in ("BG", "S1", "S2")] == \
        ["1", "2", "3"]
    # The county and city leave the control station out: hourly mean of S1 and S2.
    city = r[("city", "city", "2019")]
    assert city["pm25"] == "40" and city["rank_pm25"] == "", city       # (30 + 50) / 2
    assert r[("county", "East", "2018")]["pm25"] == "45"
    assert city["ci_yoy_pct"] != "" and city["good_pct_yoy_pp"] == "0.0"
    js = json.loads(ok(["air-stats", "--period", "month", "--scope", "city", "--control", "BG",
                        "--format", "json", "--from", "2019-03-01", "--to", "2019-04-30"], text))
    assert [x["date"] for x in js] == ["2019-03", "2019-04"], js
    assert js[0]["pm25"] == 40 and js[0]["scope"] == "city" and js[0]["rank_ci"] is None
    assert js[1]["n_pm25"] == 30 and js[1]["invalid"] == ""
    print("air-stats: years, year-on-year, ranks, control station, targets, JSON ok")


def check_stats_days():
    import datetime as dt
    lines = [HEAD] + hourly("S1", "", dt.date(2019, 2, 1), 3, 76)
    lines = [x for x in lines if "2019-02-02T05" not in x and "2019-02-02T06" not in x
             and "2019-02-02T07" not in x and "2019-02-02T08" not in x
             and "2019-02-02T09" not in x]                        # 19 hours on Feb 2
    out = ok(["air-stats", "--period", "day", "--scope", "station"], "\n".join(lines) + "\n")
    d = rows_of(out)
    assert [x["date"] for x in d] == ["2019-02-01", "2019-02-02", "2019-02-03"]
    assert (d[0]["pm25"], d[0]["aqi"], d[0]["category"], d[0]["primary"]) == \
        ("76", "102", "轻度污染", "PM2.5")
    assert d[1]["pm25"] == "" and d[1]["n_pm25"] == "19", d[1]
    # Hours 05-10 missing: windows ending 16..24 keep >= 6 hours, 9 < 14 and 60 <= 160.
    assert d[1]["o3_1h"] == "" and d[1]["o3_8h"] == "" and d[1]["n_o3_8h"] == "9", d[1]
    # Monthly row of February: 2 valid days of 28, not valid.
    out = ok(["air-stats", "--period", "month", "--scope", "station"], "\n".join(lines) + "\n")
    m = rows_of(out)[0]
    assert m["n_pm25"] == "2" and "PM2.5" in m["invalid"].split(";"), m
    print("air-stats: daily rows and validity ok")


def check_stats_errors():
    base = HEAD + "\nS1,,2019-01-01T00:00,1,1,1,1,1,1\n"
    cases = [
        (base + "S1,,2019-01-01T00:00,1,1,1,1,1,1\n", [], 1, "second row"),
        (HEAD + "\nS1,,2019-01-01T00:30,1,1,1,1,1,1\n", [], 1, "full hour"),
        (HEAD + "\nS1,,yesterday,1,1,1,1,1,1\n", [], 1, "full hour"),
        (HEAD + "\nS1,,2019-01-01T00:00,1,x,1,1,1,1\n", [], 1, "not a concentration"),
        (HEAD + "\n,,2019-01-01T00:00,1,1,1,1,1,1\n", [], 1, "empty station"),
        (base.replace("S1,,", "S1,East,") + "S1,West,2019-01-01T01:00,1,1,1,1,1,1\n", [], 1,
         "second county"),
        ("station,time,x\nS1,2019-01-01T00:00,1\n", [], 1, "header"),
        (HEAD + "\n", [], 1, "no data"),
        (base, ["--from", "2020-01-01"], 1, "no data in the chosen date range"),
        (base, ["--period", "week"], 2, "usage"),
        (base, ["--scope", "station,planet"], 2, "usage"),
        (base, ["--from", "2019-13-01"], 2, "usage"),
        (base, ["--target-heavy-days", "2.5"], 2, "usage"),
        (base, ["--format", "xml"], 2, "usage"),
    ]
    for text, args, want, msg in cases:
        rc, _, err = run(["air-stats"] + args, text)
        if not (rc == want and msg in err):
            sys.exit("air-stats %s on %r: exit %d, stderr %r" % (args, text[-60:], rc, err))
    print("air-stats: %d error cases give the right exit code and message" % len(cases))


def main():
    check_vectors()
    check_aqi_layout()
    check_aqi_errors()
    check_stats_two_years()
    check_stats_days()
    check_stats_errors()
    print("ok")


if __name__ == "__main__":
    main()
