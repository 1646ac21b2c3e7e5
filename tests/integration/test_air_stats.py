# SPDX-License-Identifier: MIT
"""`envwatch air-stats` against an independent HJ 663-2013 calculation, on real data.

The six Yangquan stations' 2019 hourly data (EW_SHARED/data/cnemc/yangquan_2019.csv) are
converted to the long layout the CLI reads. This file then recomputes, from the standards'
text and with exact rational arithmetic (fractions.Fraction, no floating point), every daily,
monthly and annual figure: daily values with GB 3095-2012 table 4 validity, the daily AQI of
HJ 633-2012, monthly and annual means and appendix A percentiles, validity, days by level,
good and heavy days, good-day share, comprehensive index, main pollutant and rankings, for
each station, for two illustrative counties and for the city. Every figure must agree.

Nothing here imports or reads the C code; the breakpoints are typed in from HJ 633 table 1.
"""
import csv
import datetime as dt
import io
import math
import os
import subprocess
import sys
from fractions import Fraction as F

EW_BIN = os.environ.get("EW_BIN", "build/release/envwatch")
EW_SHARED = os.environ.get("EW_SHARED", "../shared")
POLL = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"]
COLS = ["so2", "no2", "co", "o3", "pm10", "pm25"]
# An illustrative station -> county mapping (not the real one) to exercise county scopes.
COUNTY = {"1738A": "城区", "1742A": "城区", "1739A": "矿区", "1743A": "矿区",
          "1740A": "郊区", "1741A": "郊区"}
FIRST, LAST = dt.date(2019, 1, 1), dt.date(2019, 12, 31)

# HJ 633-2012 table 1 (24-hour columns, O3 1-hour and 8-hour), typed in independently.
IAQI = [0, 50, 100, 150, 200, 300, 400, 500]
BP = {
    "so2": [0, 50, 150, 475, 800, 1600, 2100, 2620],
    "no2": [0, 40, 80, 180, 280, 565, 750, 940],
    "co": [0, 2, 4, 14, 24, 36, 48, 60],
    "pm10": [0, 50, 150, 250, 350, 420, 500, 600],
    "pm25": [0, 35, 75, 115, 150, 250, 350, 500],
    "o3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
    "o3_8h": [0, 100, 160, 215, 265, 800],
}
TOKEN = {"so2": "SO2", "no2": "NO2", "co": "CO", "o3_1h": "O3", "o3_8h": "O3_8h",
         "pm10": "PM10", "pm25": "PM2.5"}
ITEMS = ["so2", "no2", "co", "pm10", "pm25", "o3_8h", "o3_1h"]
# The order pollutants are listed in (primary, ci_main ties): SO2 NO2 CO O3 O3_8h PM10 PM2.5.
ORDER = ["so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25"]
PCT = {"so2": 98, "no2": 98, "co": 95, "pm10": 95, "pm25": 95, "o3_8h": 90}
CI_STD = {"so2": 60, "no2": 40, "pm10": 70, "pm25": 35, "co": 4, "o3_8h": 160}
CATEGORY = ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"]


def half_even(x, dec):
    """GB/T 8170 rounding of an exact Fraction to dec decimals."""
    q = F(10) ** dec
    y = x * q
    n = math.floor(y)
    frac = y - n
    if frac > F(1, 2) or (frac == F(1, 2) and n % 2 == 1):
        n += 1
    return F(n) / q


def dec_of(item):
    return 1 if item == "co" else 0


def iaqi(item, c):
    bp = BP[item]
    if c > bp[-1]:
        return None if item == "o3_8h" else 500
    for i in range(1, len(bp)):
        if c <= bp[i]:
            return math.ceil(F(IAQI[i] - IAQI[i - 1]) * (c - bp[i - 1]) / (bp[i] - bp[i - 1])
                             + IAQI[i - 1])


# ---- input ---------------------------------------------------------------------------------

def load():
    """{station: {(date, start hour 0..23): {col: text}}} from the wide CNEMC file, whose
    hour H labels the hour ending at H (hour 0 = 23:00-24:00 of the previous day)."""
    path = os.path.join(EW_SHARED, "data", "cnemc", "yangquan_2019.csv")
    data = {}
    with open(path, encoding="utf-8") as f:
        r = csv.reader(f)
        stations = next(r)[3:]
        for row in r:
            if row[2] not in POLL:
                continue
            col = COLS[POLL.index(row[2])]
            end = dt.datetime.strptime(row[0], "%Y%m%d") + dt.timedelta(hours=int(row[1]))
            start = end - dt.timedelta(hours=1)
            for st, v in zip(stations, row[3:]):
                h = data.setdefault(st, {}).setdefault((start.date(), start.hour), {})
                if v != "":
                    h[col] = v
    return stations, data


def long_csv(stations, data, end_label):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Station", "County", "TIME"] + [c.upper() for c in COLS])
    for st in stations:
        for (d, h), v in sorted(data[st].items()):
            t = dt.datetime.combine(d, dt.time(h)) + dt.timedelta(hours=1 if end_label else 0)
            w.writerow([st, COUNTY[st], t.strftime("%Y-%m-%dT%H:%M")]
                       + [v.get(c, "") for c in COLS])
    return buf.getvalue()


def run_cli(text, *args):
    p = subprocess.run([EW_BIN, "air-stats"] + list(args), input=text.encode("utf-8"),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if p.returncode != 0:
        sys.exit("envwatch air-stats failed (%d): %s" % (p.returncode, p.stderr.decode()))
    return p.stdout.decode("utf-8")


# ---- HJ 663 by the letter ------------------------------------------------------------------

def tenths(text):
    """A published concentration (at most one decimal) as an exact integer of tenths."""
    whole, _, frac = text.partition(".")
    assert whole.isdigit() and len(frac) <= 1 and (frac == "" or frac.isdigit()), text
    return int(whole) * 10 + (int(frac) if frac else 0)


def div_half_even(num, den):
    """num / den rounded to an integer, ties to even (integers only, exact)."""
    q, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and q % 2 == 1):
        q += 1
    return q


def exact(hours):
    return {k: {c: tenths(x) for c, x in v.items()} for k, v in hours.items()}


def city_hours(members, data):
    """Hourly mean over member stations with a value, rounded as published (tenths in,
    tenths out: CO to one decimal, the others to integers)."""
    out = {}
    keys = set()
    for st in members:
        keys.update(data[st])
    for k in keys:
        m = {}
        for c in COLS:
            vals = [data[st][k][c] for st in members if k in data[st] and c in data[st][k]]
            if vals:
                if c == "co":
                    m[c] = div_half_even(sum(vals), len(vals))
                else:
                    m[c] = 10 * div_half_even(sum(vals), 10 * len(vals))
        out[k] = m
    return out


def day_values(hours, d):
    """GB 3095-2012 table 4 / HJ 663: one day from its hours 00..23 (start times); the
    hourly values are integers of tenths."""
    hv = [hours.get((d, h), {}) for h in range(24)]
    out, n = {}, {}
    for c in ["so2", "no2", "co", "pm10", "pm25"]:
        v = [x[c] for x in hv if c in x]
        n[c] = len(v)
        out[c] = half_even(F(sum(v), 10 * len(v)), dec_of(c)) if len(v) >= 20 else None
    windows = []
    for end in range(8, 25):          # 8-hour means ending 08:00 .. 24:00, >= 6 hours each
        v = [hv[h]["o3"] for h in range(end - 8, end) if "o3" in hv[h]]
        if len(v) >= 6:
            windows.append(F(sum(v), 10 * len(v)))
    n["o3_8h"] = len(windows)
    out["o3_8h"] = None
    if windows:
        m = half_even(max(windows), 0)
        out["o3_8h"] = m if len(windows) >= 14 or m > 160 else None
    o3 = [x["o3"] for x in hv if "o3" in x]
    n["o3_1h"] = len(o3)
    out["o3_1h"] = F(max(o3), 10) if len(o3) >= 20 else None
    return out, n


def day_aqi(v):
    sub = {}
    for item in ITEMS:
        if v[item] is not None:
            x = iaqi(item, v[item])
            if x is not None:
                sub[item] = x
    if not sub:
        return None
    aqi = max(sub.values())
    level = 1 if aqi <= 50 else 2 if aqi <= 100 else 3 if aqi <= 150 else \
        4 if aqi <= 200 else 5 if aqi <= 300 else 6
    primary = [i for i in ORDER if sub.get(i) == aqi] if aqi > 50 else []
    return aqi, level, primary


def percentile(vals, p):
    """HJ 663-2013 appendix A."""
    x = sorted(vals)
    n = len(x)
    k = 1 + F(n - 1) * p / 100
    s = math.floor(k)
    if s >= n:
        return x[-1]
    return x[s - 1] + (x[s] - x[s - 1]) * (k - s)


def period(days, first, last, month):
    """Statistics of the days first..last (a calendar month or year)."""
    out = {"n": {}, "mean": {}, "pct": {}, "invalid": []}
    span = [days[first + dt.timedelta(i)] for i in range((last - first).days + 1)]
    for item in ITEMS:
        vals = [d[0][item] for d in span if d[0][item] is not None]
        out["n"][item] = len(vals)
        out["mean"][item] = half_even(sum(vals) / len(vals), dec_of(item)) if vals else None
        if item in PCT:
            out["pct"][item] = half_even(percentile(vals, PCT[item]), dec_of(item)) \
                if vals else None
            if month:
                ok = len(vals) >= (25 if first.month == 2 else 27)
            else:           # >= 324 days and every month at its minimum
                ok = len(vals) >= 324 and all(
                    sum(1 for d in span_month(days, first.year, m) if d[0][item] is not None)
                    >= (25 if m == 2 else 27) for m in range(1, 13))
            if not ok:
                out["invalid"].append(item)
    aqis = [d[2] for d in span if d[2] is not None]
    out["days_aqi"] = len(aqis)
    out["levels"] = [sum(1 for a in aqis if a[1] == lv) for lv in range(1, 7)]
    out["good"] = sum(1 for a in aqis if a[0] <= 100)
    out["heavy"] = sum(1 for a in aqis if a[0] > 200)
    out["good_pct"] = half_even(F(100 * out["good"], len(aqis)), 1) if aqis else None
    sub = {}
    for item, s in CI_STD.items():
        c = out["pct"][item] if item in ("co", "o3_8h") else out["mean"][item]
        if c is None:
            sub = None
            break
        sub[item] = F(c) / s
    out["ci"] = sum(sub.values()) if sub else None
    out["ci_main"] = max(sub, key=lambda i: (sub[i], -ORDER.index(i))) if sub else None
    return out


def span_month(days, y, m):
    first = dt.date(y, m, 1)
    last = (dt.date(y + m // 12, m % 12 + 1, 1)) - dt.timedelta(days=1)
    return [days[first + dt.timedelta(i)] for i in range((last - first).days + 1)]


def scope_stats(hours):
    days = {}
    for i in range(365):
        d = FIRST + dt.timedelta(i)
        v, n = day_values(hours, d)
        days[d] = (v, n, day_aqi(v))
    months = {m: period(days, dt.date(2019, m, 1), span_end(m), True) for m in range(1, 13)}
    return days, months, period(days, FIRST, LAST, False)


def span_end(m):
    return dt.date(2019 + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)


def ranks(values, dec):
    """Competition ranking, ascending, on values rounded to dec decimals; None unranked."""
    keyed = {k: half_even(v, dec) for k, v in values.items() if v is not None}
    return {k: 1 + sum(1 for o in keyed.values() if o < v) for k, v in keyed.items()}


# ---- comparison ----------------------------------------------------------------------------

def fmt(x, dec):
    return "" if x is None else "%.*f" % (dec, x)


def expect(row, col, want, where):
    if row[col] != want:
        sys.exit("%s: column %s: CLI %r, HJ 663 calculation %r" % (where, col, row[col], want))


def check_day(row, day, where):
    v, n, a = day
    for item in ITEMS:
        expect(row, item, fmt(v[item], dec_of(item)), where)
        expect(row, "n_" + item, str(n[item]), where)
    expect(row, "aqi", "" if a is None else str(a[0]), where)
    expect(row, "level", "" if a is None else str(a[1]), where)
    expect(row, "category", "" if a is None else CATEGORY[a[1] - 1], where)
    expect(row, "primary", "" if a is None else ";".join(TOKEN[i] for i in a[2]), where)


def check_period(row, p, where):
    for item in ITEMS:
        expect(row, item, fmt(p["mean"][item], dec_of(item)), where)
        expect(row, "n_" + item, str(p["n"][item]), where)
    for item, q in PCT.items():
        expect(row, "%s_p%d" % (item, q), fmt(p["pct"][item], dec_of(item)), where)
    expect(row, "invalid", ";".join(TOKEN[i] for i in ORDER if i in p["invalid"]), where)
    expect(row, "days_aqi", str(p["days_aqi"]), where)
    for lv in range(6):
        expect(row, "days_l%d" % (lv + 1), str(p["levels"][lv]), where)
    expect(row, "good_days", str(p["good"]), where)
    expect(row, "heavy_days", str(p["heavy"]), where)
    expect(row, "good_pct", fmt(p["good_pct"], 1), where)
    expect(row, "ci_main", "" if p["ci"] is None else TOKEN[p["ci_main"]], where)
    if p["ci"] is None:
        expect(row, "ci", "", where)
    elif abs(F(row["ci"]) - p["ci"]) > F(5001, 1000000):
        sys.exit("%s: ci %s, HJ 663 calculation %s" % (where, row["ci"], float(p["ci"])))


def main():
    stations, data = load()
    text = long_csv(stations, data, end_label=False)
    out = run_cli(text, "--from", "2019-01-01", "--to", "2019-12-31")
    again = run_cli(long_csv(stations, data, end_label=True), "--time-is-end",
                    "--from", "2019-01-01", "--to", "2019-12-31")
    assert out == again, "--time-is-end with end labels must give the same output"
    rows = list(csv.DictReader(io.StringIO(out)))

    scopes = [("station", st, [st]) for st in sorted(stations)]
    for c in sorted(set(COUNTY.values())):
        scopes.append(("county", c, sorted(s for s in stations if COUNTY[s] == c)))
    scopes.append(("city", "city", sorted(stations)))
    want = {}
    data10 = {st: exact(data[st]) for st in stations}
    for kind, name, members in scopes:
        hours = data10[name] if kind == "station" else city_hours(members, data10)
        want[(kind, name)] = scope_stats(hours)

    by_key = {(r["scope"], r["name"], r["period"], r["date"]): r for r in rows}
    assert len(by_key) == len(rows), "duplicate output rows"
    assert len(rows) == len(scopes) * (365 + 12 + 1), len(rows)
    checked = 0
    for (kind, name), (days, months, year) in want.items():
        for d, day in days.items():
            key = (kind, name, "day", d.isoformat())
            check_day(by_key[key], day, key)
            checked += 1
        for m, p in months.items():
            key = (kind, name, "month", "2019-%02d" % m)
            check_period(by_key[key], p, key)
            checked += 1
        key = (kind, name, "year", "2019")
        check_period(by_key[key], year, key)
        checked += 1
    check_ranks(want, by_key)
    print("air-stats agrees with the independent HJ 663 calculation on all %d rows "
          "(%d stations, %d counties, the city; days, months, year of 2019)"
          % (checked, len(stations), len(set(COUNTY.values()))))
    check_reference_example(text)
    print("ok")


def check_ranks(want, by_key):
    periods = [("month", "2019-%02d" % m, m) for m in range(1, 13)] + [("year", "2019", 0)]
    for kind in ("station", "county"):
        for per, date, m in periods:
            stats = {n: (ms[m] if m else yr) for (k, n), (_, ms, yr) in want.items() if k == kind}
            r_ci = ranks({n: p["ci"] for n, p in stats.items()}, 2)
            r_pm = ranks({n: p["mean"]["pm25"] for n, p in stats.items()}, 0)
            for n in stats:
                row = by_key[(kind, n, per, date)]
                expect(row, "rank_ci", str(r_ci.get(n, "")), (kind, n, per, date))
                expect(row, "rank_pm25", str(r_pm.get(n, "")), (kind, n, per, date))


def check_reference_example(text):
    """reference/air.md section 8: an independent calculation for 2019-01-01..12-30 found
    2,075 station-days with an AQI, 59.6 % good, and these annual figures at 1738A."""
    out = run_cli(text, "--from", "2019-01-01", "--to", "2019-12-30", "--scope", "station")
    rows = list(csv.DictReader(io.StringIO(out)))
    years = [r for r in rows if r["period"] == "year"]
    days_aqi = sum(int(r["days_aqi"]) for r in years)
    good = sum(int(r["good_days"]) for r in years)
    assert days_aqi == 2075, days_aqi
    assert round(100.0 * good / days_aqi, 1) == 59.6, good
    r = next(r for r in years if r["name"] == "1738A")
    got = (r["so2"], r["no2"], r["pm10"], r["pm25"], r["co_p95"], r["o3_8h_p90"], r["ci"],
           r["good_pct"])
    assert got == ("23", "46", "98", "49", "2.1", "191", "6.05", "59.8"), got
    print("reference/air.md section 8 example reproduced: 1738A %s; %d station-days with an "
          "AQI, %.1f %% good" % (", ".join(got), days_aqi, 100.0 * good / days_aqi))


if __name__ == "__main__":
    main()
