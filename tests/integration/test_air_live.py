# SPDX-License-Identifier: MIT
"""Air quality live in the daemon: hourly uploads in, stored AQI out.

Starts the real daemon, registers two national stations of Yangquan in two counties (1738A
市中心 in 城区, 1741A 白羊墅 in 矿区: the county mapping is illustrative) and a control
station (1743A, marked {"control": true}), sends the 24 hours of 2019-01-06 as HJ 212 hourly
uploads (CN 2061) taken from shared/data/cnemc/yangquan_2019.csv, then checks the API:

* /air/aqi for each station reproduces the AQI the national platform PUBLISHED for each hour
  (CNEMC labels an hour by its end: CNEMC hour H is our DataTime H-1:00);
* the county and city hours, the daily values (HJ 663 validity) and daily AQI equal an
  independent computation here, written from the standards' text with exact rational
  arithmetic (no code shared with the C side);
* the SSE `aqi` events carry the same rows, an `air-alert` event starts the blue alert;
* /now, /stats, /ranking, /targets, /alerts, the CSV format and bad parameters;
* a day whose last hour never came is closed by the day-end pass after a restart.
"""
import csv
import json
import os
import time
from fractions import Fraction
from urllib.parse import quote

from ewtest import EW_SHARED, Daemon, data_packet, read_events, read_frames, run

DAY = "2019-01-06"
FACTORS = {"SO2": "a21026", "NO2": "a21004", "CO": "a21005", "O3": "a05024",
           "PM10": "a34002", "PM2.5": "a34004"}
KEYS = {"SO2": "so2", "NO2": "no2", "CO": "co", "O3": "o3", "PM10": "pm10", "PM2.5": "pm25"}
STATIONS = {
    "1738A": {"name": "市中心", "county": "城区", "lat": 37.8572, "lon": 113.5758},
    "1741A": {"name": "白羊墅", "county": "矿区", "lat": 37.8531, "lon": 113.6292},
}
CONTROL = {"1743A": {"name": "大阳泉", "county": "城区", "lat": 37.8392, "lon": 113.5158}}
TARGET_PM25, TARGET_GOOD, TARGET_HEAVY = "50", "75.5", "10"

# ---- HJ 633-2012 table 1 (µg/m3, CO mg/m3), IAQI rounded up (reference/air.md §1.2) ---------
IAQI_ROWS = [0, 50, 100, 150, 200, 300, 400, 500]
TABLES = {
    "SO2_1h": [0, 150, 500, 650, 800], "NO2_1h": [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    "CO_1h": [0, 5, 10, 35, 60, 90, 120, 150], "O3_1h": [0, 160, 200, 300, 400, 800, 1000, 1200],
    "SO2_24h": [0, 50, 150, 475, 800, 1600, 2100, 2620],
    "NO2_24h": [0, 40, 80, 180, 280, 565, 750, 940], "CO_24h": [0, 2, 4, 14, 24, 36, 48, 60],
    "PM10_24h": [0, 50, 150, 250, 350, 420, 500, 600],
    "PM2.5_24h": [0, 35, 75, 115, 150, 250, 350, 500], "O3_8h": [0, 100, 160, 215, 265, 800],
}


def iaqi(table, c):
    bp = TABLES[table]
    c = Fraction(str(c))
    if table == "SO2_1h" and c > 800:
        return 200                      # the platform's cap (reference/air.md §2.2)
    if c > bp[-1]:
        return 500
    for i in range(1, len(bp)):
        if c <= bp[i]:
            v = Fraction(IAQI_ROWS[i] - IAQI_ROWS[i - 1], bp[i] - bp[i - 1]) * (c - bp[i - 1]) \
                + IAQI_ROWS[i - 1]
            return -((-v.numerator) // v.denominator)       # ceiling
    raise AssertionError(table)


HOUR_TABLE = {"SO2": "SO2_1h", "NO2": "NO2_1h", "CO": "CO_1h", "O3": "O3_1h",
              "PM10": "PM10_24h", "PM2.5": "PM2.5_24h"}
DAY_TABLE = {"SO2": "SO2_24h", "NO2": "NO2_24h", "CO": "CO_24h", "PM10": "PM10_24h",
             "PM2.5": "PM2.5_24h", "O3_8h": "O3_8h", "O3": "O3_1h"}


def aqi_of(values, tables):
    """(aqi, sub-indices, primary tokens) of {item: value}; AQI None without any value."""
    sub = {k: iaqi(tables[k], v) for k, v in values.items() if v is not None}
    if not sub:
        return None, sub, []
    a = max(sub.values())
    return a, sub, sorted(k for k, v in sub.items() if v == a) if a > 50 else []


def rnd(x, item):
    """GB/T 8170 (round half to even): integers, CO one decimal."""
    r = round(Fraction(x), 1 if item == "CO" else 0)
    return float(r) if item == "CO" else int(r)


# ---- the data ---------------------------------------------------------------------------------

def load_cnemc():
    path = os.path.join(EW_SHARED, "data", "cnemc", "yangquan_2019.csv")
    out = {}
    with open(path, encoding="utf-8") as f:
        rows = csv.reader(f)
        head = next(rows)
        for r in rows:
            if r[0] not in ("20190106", "20190107", "20190108"):
                continue
            for j, st in enumerate(head[3:]):
                out[(r[0], int(r[1]), st, r[2])] = r[3 + j]
    return out


CNEMC = load_cnemc()


def cnemc_label(day, h):
    """Our DataTime day h:00 -> the CNEMC (date, hour) that holds its mean."""
    d = int(day[8:10])
    return ("201901%02d" % d, h + 1) if h < 23 else ("201901%02d" % (d + 1), 0)


def hour_values(st, day, h):
    date, hh = cnemc_label(day, h)
    out = {}
    for p in FACTORS:
        v = CNEMC.get((date, hh, st, p), "")
        out[p] = None if v == "" else (float(v) if p == "CO" else int(v))
    return out


def published_aqi(st, day, h):
    date, hh = cnemc_label(day, h)
    v = CNEMC.get((date, hh, st, "AQI"), "")
    return int(v) if v else None


def city_hour(day, h, stations):
    out = {}
    for p in FACTORS:
        vals = [hour_values(st, day, h)[p] for st in stations]
        vals = [v for v in vals if v is not None]
        out[p] = rnd(sum(Fraction(str(v)) for v in vals) / len(vals), p) if vals else None
    return out


def day_values(hours):
    """HJ 663-2013 daily values of 24 hourly dicts (reference/air.md §4.3 [mem])."""
    d = {}
    for p in ("SO2", "NO2", "CO", "PM10", "PM2.5"):
        vals = [hr[p] for hr in hours if hr[p] is not None]
        d[p] = rnd(sum(Fraction(str(v)) for v in vals) / len(vals), p) if len(vals) >= 20 \
            else None
    o3 = [hr["O3"] for hr in hours]
    windows = []
    for end in range(8, 25):            # 8-hour means ending 08:00 ... 24:00
        w = [v for v in o3[end - 8:end] if v is not None]
        if len(w) >= 6:
            windows.append(Fraction(sum(w), len(w)))
    best = max(windows) if windows else None
    d["O3_8h"] = rnd(best, "O3") if best is not None and (len(windows) >= 14 or best > 160) \
        else None
    vals = [v for v in o3 if v is not None]
    d["O3"] = max(vals) if len(vals) >= 20 else None
    return d


def day_aqi(d):
    return aqi_of(d, DAY_TABLE)


# ---- talking to the daemon --------------------------------------------------------------------

def packet(st, day, h, pw="123456"):
    values = {FACTORS[p]: {"Avg": str(v), "Flag": "N"}
              for p, v in hour_values(st, day, h).items() if v is not None}
    return data_packet(st, pw, "2061", day.replace("-", "") + "%02d0000" % h, values)


def send_hours(d, plan):
    """plan: [(station, day, hour)]; one connection per station; waits for every 9014."""
    socks = {}
    for st, day, h in plan:
        if st not in socks:
            socks[st] = d.connect()
        socks[st].sendall(packet(st, day, h))
        read_frames(socks[st], 1)
    for s in socks.values():
        s.close()


def register(d):
    for mn, info in list(STATIONS.items()) + list(CONTROL.items()):
        body = dict(info, mn=mn, pw="123456", kind="air", site=info["name"],
                    extra={"control": True} if mn in CONTROL else {})
        st, got = d.http("POST", "/api/v1/points", body)
        assert st == 201, (st, got)


ARGS = ["--set", "instruments.gapfill_days=0", "--set", "air.target_pm25_ugm3=" + TARGET_PM25,
        "--set", "air.target_good_share_pct=" + TARGET_GOOD,
        "--set", "air.target_heavy_days=" + TARGET_HEAVY]
D = {}


def setup():
    d = Daemon(ARGS).start()
    D["d"] = d
    register(d)
    plan = [(st, DAY, h) for h in range(24) for st in STATIONS]
    # the control station's early hours come first, so the others' hours are averaged
    # with it present (and must leave it out)
    plan[0:0] = [("1743A", DAY, h) for h in range(3)]
    # 1738A's 05:00 comes late, after its 23:00 made the day: the day must be recomputed
    plan.remove(("1738A", DAY, 5))
    plan.insert(plan.index(("1738A", DAY, 23)) + 1, ("1738A", DAY, 5))
    send_hours(d, plan)


def get(path):
    return D["d"].get(path)


def rows(q):
    return get("/api/v1/air/aqi?" + q)


def iso(day, h=0):
    return "%sT%02d:00:00" % (day, h)


def check_row(row, values, want_aqi, tables):
    got_conc = {p: row["conc"][KEYS[p]] for p in FACTORS}
    want_conc = {p: values[p] for p in FACTORS}
    assert got_conc == want_conc, (row["time"], got_conc, want_conc)
    a, sub, prim = aqi_of(values, tables)
    assert row["aqi"] == a == (want_aqi if want_aqi is not None else a), (row, a, want_aqi)
    assert {p: row["iaqi"][KEYS[p]] for p in sub} == sub, (row["iaqi"], sub)
    assert sorted(row["primary"]) == prim, (row["primary"], prim)


# ---- the tests --------------------------------------------------------------------------------

def test_station_hours_reproduce_the_published_aqi():
    compared = 0
    for st in STATIONS:
        got = rows("station=%s&period=hour&from=%s&to=%s" % (st, iso(DAY), iso(DAY, 23)))
        assert [r["time"] for r in got] == [iso(DAY, h) for h in range(24)], got
        for h, r in enumerate(got):
            pub = published_aqi(st, DAY, h)
            values = hour_values(st, DAY, h)
            # 1741A 21:00 has no PM values and the platform published no AQI; we compute
            # the AQI of the gases present (docs/air.md 2.1: a missing pollutant is left out)
            check_row(r, values, pub, HOUR_TABLE)
            compared += pub is not None
            assert r["scope"] == "station" and r["name"] == st and r["period"] == "hour"
            assert r["county"] == STATIONS[st]["county"] and r["stations"] == 1
    assert compared == 47, compared


def test_county_and_city_hours_are_station_means():
    city = rows("city=1&period=hour&from=%s&to=%s" % (iso(DAY), iso(DAY, 23)))
    assert len(city) == 24
    for h, r in enumerate(city):
        # the control station 1743A (hours 0-2) is not in the mean
        check_row(r, city_hour(DAY, h, list(STATIONS)), None, HOUR_TABLE)
        assert r["scope"] == "city" and r["name"] is None and r["stations"] == 2, r
    ctl = rows("station=1743A&period=hour&from=%s&to=%s" % (iso(DAY), iso(DAY, 23)))
    assert [r["control"] for r in ctl] == [True] * 3, ctl
    check_row(ctl[0], hour_values("1743A", DAY, 0), published_aqi("1743A", DAY, 0), HOUR_TABLE)
    # 1741A has no PM at 20:00 (CNEMC hour 21): the city's PM is 1738A's alone
    assert city[20]["valid"]["pm25"] == 1 and city[19]["valid"]["pm25"] == 2
    for st, info in STATIONS.items():
        county = rows("county=%s&period=hour&from=%s&to=%s" % (quote(info["county"]),
                                                              iso(DAY), iso(DAY, 23)))
        assert len(county) == 24
        for h, r in enumerate(county):
            check_row(r, hour_values(st, DAY, h), None, HOUR_TABLE)


def check_day(r, hours):
    want = day_values(hours)
    got = {p: r["conc"][KEYS[p]] for p in FACTORS}
    got["O3_8h"] = r["conc"]["o3_8h"]
    assert got == want, (got, want)
    a, sub, prim = day_aqi(want)
    assert r["aqi"] == a, (r["aqi"], a)
    assert sorted(r["primary"]) == prim, (r["primary"], prim)
    assert r["period"] == "day" and r["time"] == iso(DAY)
    return want, a


def test_daily_values_and_aqi():
    for st in STATIONS:
        got = rows("station=%s&period=day&from=%s&to=%s" % (st, DAY, DAY))
        assert len(got) == 1, got
        check_day(got[0], [hour_values(st, DAY, h) for h in range(24)])
        assert got[0]["valid"]["pm25"] == (23 if st == "1741A" else 24), got[0]["valid"]
    city = rows("city=&period=day&from=%s&to=%s" % (DAY, DAY))
    assert len(city) == 1
    _, a = check_day(city[0], [city_hour(DAY, h, list(STATIONS)) for h in range(24)])
    assert a > 200 and city[0]["category"] == "重度污染" and city[0]["color"] == "#99004c"
    assert city[0]["valid"]["o3_8h"] == 17, city[0]["valid"]


def test_csv_has_the_same_rows():
    q = "station=1741A&period=hour&from=%s&to=%s" % (iso(DAY), iso(DAY, 23))
    st, body = D["d"].http("GET", "/api/v1/air/aqi?format=csv&" + q, raw=True)
    assert st == 200
    lines = list(csv.DictReader(body.decode("utf-8").splitlines()))
    js = rows(q)
    assert len(lines) == len(js) == 24
    for c, j in zip(lines, js):
        assert c["time"] == j["time"] and c["name"] == "1741A" and c["county"] == "矿区"
        assert c["aqi"] == ("" if j["aqi"] is None else str(j["aqi"]))
        assert c["pm25"] == ("" if j["conc"]["pm25"] is None else "%g" % j["conc"]["pm25"])
        assert c["primary"] == ";".join(j["primary"])


def test_events_carry_the_stored_rows():
    def done(evs):
        return any(t == "air-alert" for t, _ in evs) and \
            sum(1 for t, e in evs if t == "aqi" and e["period"] == "day") >= 6
    evs = read_events(D["d"], done)
    last = {}
    for t, e in evs:
        if t == "aqi":
            last[(e["scope"], e["name"], e["period"], e["time"])] = e
    for key in [("station", "1738A", "hour", iso(DAY, 8)), ("city", None, "hour", iso(DAY, 20)),
                ("county", "矿区", "day", iso(DAY)), ("city", None, "day", iso(DAY))]:
        assert key in last, (key, sorted(last)[:5])
        scope, name, period, t = key
        q = {"station": "station=%s" % name, "county": "county=%s" % quote(name or ""),
             "city": "city="}[scope]
        stored = rows("%s&period=%s&from=%s&to=%s" % (q, period, t, t))
        assert stored == [last[key]], (stored, last[key])
    alerts = [e for t, e in evs if t == "air-alert"]
    assert len(alerts) == 1 and alerts[0]["kind"] == "start", alerts
    assert alerts[0]["to"] == "blue" and alerts[0]["day"] == DAY, alerts


def test_now_is_the_latest_complete_hour():
    now = get("/api/v1/air/now")
    assert now["time"] == iso(DAY, 23), now["time"]
    city = rows("city=&period=hour&from=%s&to=%s" % (iso(DAY, 23), iso(DAY, 23)))[0]
    assert now["city"] == city
    by_mn = {s["mn"]: s for s in now["stations"]}
    assert set(by_mn) == set(STATIONS) | set(CONTROL)
    for mn, info in STATIONS.items():
        s = by_mn[mn]
        assert (s["name"], s["county"], s["lat"], s["lon"]) == \
            (info["name"], info["county"], info["lat"], info["lon"])
        assert s["aqi"] == published_aqi(mn, DAY, 23) and s["time"] == iso(DAY, 23), s
    assert by_mn["1743A"]["aqi"] is None      # no upload for 23:00


def ci(d):
    """Comprehensive index of one day taken as a period (means = the values; a percentile of
    one value is the value): SO2/60 + NO2/40 + PM10/70 + PM2.5/35 + CO/4 + O3_8h/160."""
    return sum(Fraction(str(d[p])) / s for p, s in
               (("SO2", 60), ("NO2", 40), ("PM10", 70), ("PM2.5", 35), ("CO", 4), ("O3_8h", 160)))


def test_stats_of_the_month():
    s = get("/api/v1/air/stats?scope=city&period=month&date=2019-01")
    want = day_values([city_hour(DAY, h, list(STATIONS)) for h in range(24)])
    assert s["period"] == "month" and s["date"] == "2019-01" and s["days"] == 31
    assert s["items"]["pm25"]["mean"] == want["PM2.5"] and s["items"]["pm25"]["days"] == 1
    assert s["items"]["co"]["pct"] == want["CO"] and s["items"]["co"]["percentile"] == 95
    assert s["items"]["pm25"]["valid"] is False      # 1 day < 27 (GB 3095 table 4)
    assert s["aqi_days"] == 1 and s["heavy_days"] == 1 and s["good_days"] == 0
    assert s["level_days"] == [0, 0, 0, 0, 1, 0] and s["good_share_pct"] == 0
    assert s["index"]["value"] == float(round(ci(want), 2)), (s["index"], float(ci(want)))
    assert s["previous"] is None and s["change"] is None
    st = get("/api/v1/air/stats?scope=station:1741A&date=2019-01")
    assert st["items"]["pm10"]["mean"] == day_values([hour_values("1741A", DAY, h)
                                                      for h in range(24)])["PM10"]
    empty = get("/api/v1/air/stats?scope=county:%E5%9F%8E%E5%8C%BA&period=year&date=2018")
    assert empty["has_data"] is False and empty["aqi_days"] == 0 and empty["index"] is None


def test_ranking_of_stations_and_counties():
    days = {st: day_values([hour_values(st, DAY, h) for h in range(24)]) for st in STATIONS}
    by_pm = get("/api/v1/air/ranking?period=month&date=2019-01&by=pm25&of=station")
    order = sorted(STATIONS, key=lambda st: days[st]["PM2.5"])
    assert [r["mn"] for r in by_pm] == order, by_pm
    assert [r["rank"] for r in by_pm] == [1, 2] and by_pm[0]["value"] == days[order[0]]["PM2.5"]
    assert by_pm[0]["name"] == STATIONS[order[0]]["name"]
    by_ci = get("/api/v1/air/ranking?period=year&date=2019&by=index&of=county")
    order = sorted(STATIONS, key=lambda st: ci(days[st]))
    assert [r["name"] for r in by_ci] == [STATIONS[st]["county"] for st in order], by_ci
    assert [r["value"] for r in by_ci] == [float(round(ci(days[st]), 2)) for st in order]


def test_targets_progress():
    t = get("/api/v1/air/targets?date=2019-01-06")
    want = day_values([city_hour(DAY, h, list(STATIONS)) for h in range(24)])
    assert t["year"] == 2019 and t["as_of"] == DAY and t["days_elapsed"] == 6
    assert t["days_left"] == 359 and t["targets_from"] == "default"
    pm, good, heavy = t["targets"]
    assert pm["target"] == "pm25" and pm["value"] == float(TARGET_PM25) and pm["days"] == 1
    assert pm["ytd"] == want["PM2.5"]
    need = (Fraction(TARGET_PM25) * (1 + 359) - want["PM2.5"]) / 359
    assert pm["needed"] == float(round(need, 1)) and pm["status"] == "behind", pm
    assert good["value"] == float(TARGET_GOOD) and good["good_days"] == 0 and good["days"] == 1
    # smallest g with g / (1 + 359) >= 75.5 %
    assert good["good_days_needed"] == 272 and good["status"] == "behind", good
    assert heavy["value"] == int(TARGET_HEAVY) and heavy["ytd"] == 1 and heavy["needed"] == 9
    assert heavy["status"] == "on_track"
    whole = get("/api/v1/air/targets?year=2019")
    assert whole["days_elapsed"] == 365 and whole["days_left"] == 0
    assert whole["targets"][2]["status"] == "met"


def test_alerts_list_the_started_alert():
    a = get("/api/v1/air/alerts")
    assert a["current"]["level"] == "blue" and a["current"]["level_zh"] == "蓝色预警"
    assert a["current"]["since"] == "2019-01-07T00:00:00" and a["current"]["evaluated_day"] == DAY
    assert len(a["alerts"]) == 1
    al = a["alerts"][0]
    assert al["level"] == "blue" and al["max_level"] == "blue" and al["end"] is None
    assert al["start"] == "2019-01-07T00:00:00"
    city = rows("city=&period=day&from=%s&to=%s" % (DAY, DAY))[0]
    assert al["changes"] == [{"kind": "start", "from": "none", "to": "blue",
                              "time": "2019-01-07T00:00:00", "day": DAY, "aqi": city["aqi"]}]


def test_bad_parameters_are_refused():
    for path, code in [
            ("/api/v1/air/aqi?period=hour", "bad_param"),
            ("/api/v1/air/aqi?city=&station=1738A", "bad_param"),
            ("/api/v1/air/aqi?city=&period=week", "bad_param"),
            ("/api/v1/air/aqi?city=&from=yesterday", "bad_time"),
            ("/api/v1/air/aqi?city=&limit=0", "bad_limit"),
            ("/api/v1/air/aqi?city=&format=xml", "bad_param"),
            ("/api/v1/air/stats?scope=province", "bad_param"),
            ("/api/v1/air/stats?date=2019-13", "bad_param"),
            ("/api/v1/air/stats?period=year&date=2019-01", "bad_param"),
            ("/api/v1/air/ranking?by=aqi", "bad_param"),
            ("/api/v1/air/targets?year=19", "bad_param"),
            ("/api/v1/air/targets?date=2019-02-30", "bad_time")]:
        st, body = D["d"].http("GET", path)
        assert st == 400 and body["error"]["code"] == code, (path, st, body)
    assert rows("station=NOPE&period=hour&from=%s&to=%s" % (iso(DAY), iso(DAY, 23))) == []


def test_the_public_reads_the_published_air_data():
    """Real-time AQI, statistics and alerts are published data (DESIGN.md: the public sees
    the real-time AQI): no login needed."""
    for path in ["/api/v1/air/now", "/api/v1/air/aqi?city=1&period=day&from=%s" % DAY,
                 "/api/v1/air/stats?date=2019-01", "/api/v1/air/ranking?date=2019-01",
                 "/api/v1/air/targets?year=2019", "/api/v1/air/alerts"]:
        st, body = D["d"].http("GET", path, auth=False)
        assert st == 200, (path, st, body)


def test_a_day_without_its_last_hour_is_closed_after_a_restart():
    d = D["d"]
    nxt = "2019-01-07"
    send_hours(d, [("1738A", nxt, h) for h in range(12)])
    assert rows("station=1738A&period=day&from=%s&to=%s" % (nxt, nxt)) == []
    d.stop()
    d2 = Daemon(ARGS, data_dir=d.tmp).start()
    D["d"] = d2
    deadline, got = time.time() + 10, []
    while time.time() < deadline and not got:
        got = rows("city=&period=day&from=%s&to=%s" % (nxt, nxt))
        time.sleep(0.1)
    assert len(got) == 1, "the day-end pass did not close %s" % nxt
    st = rows("station=1738A&period=day&from=%s&to=%s" % (nxt, nxt))[0]
    # 12 hours < 20: no 24-hour means; fewer than 14 valid O3 8-hour windows (each needs 6
    # of its 8 hours) and none above 160
    o3 = [hour_values("1738A", nxt, h)["O3"] for h in range(12)] + [None] * 12
    windows = sum(1 for end in range(8, 25) if sum(v is not None for v in o3[end - 8:end]) >= 6)
    assert windows == 7 and day_values([hour_values("1738A", nxt, h) for h in range(12)] +
                                       [dict.fromkeys(FACTORS)] * 12)["O3_8h"] is None
    assert st["aqi"] is None and st["valid"]["pm25"] == 12 and st["valid"]["o3_8h"] == 7, st
    assert all(v is None for v in st["conc"].values()), st["conc"]
    assert get("/api/v1/air/alerts")["current"]["level"] == "blue"   # kept across the restart
    assert "hook air" not in d2.logtext(), d2.logtext()[-2000:]
    d2.stop()


def main():
    try:
        setup()
        run([test_station_hours_reproduce_the_published_aqi,
             test_county_and_city_hours_are_station_means,
             test_daily_values_and_aqi,
             test_csv_has_the_same_rows,
             test_events_carry_the_stored_rows,
             test_now_is_the_latest_complete_hour,
             test_stats_of_the_month,
             test_ranking_of_stations_and_counties,
             test_targets_progress,
             test_alerts_list_the_started_alert,
             test_bad_parameters_are_refused,
             test_the_public_reads_the_published_air_data,
             test_a_day_without_its_last_hour_is_closed_after_a_restart])
    finally:
        if "d" in D and D["d"].proc is not None:
            D["d"].cleanup()
        if "d" in D:
            import shutil
            shutil.rmtree(D["d"].tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
