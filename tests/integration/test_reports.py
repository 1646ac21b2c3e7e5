# SPDX-License-Identifier: MIT
"""Reports end to end: the real daemon, real data in over HJ 212, reports out over HTTP and
from the CLI, read back with the standard library only.

Two national stations of Yangquan (1738A 市中心 in 城区, 1741A 白羊墅 in 矿区; the counties are
illustrative) send the 24 hours of 2019-01-06 from shared/data/cnemc/yangquan_2019.csv (CNEMC
labels an hour by its end: CNEMC hour H is our DataTime H-1:00). A coal-power stack of the
demo registry (ultra-low SO2 35 mg/m3 at 6 % O2) sends the same day with two exceeding hours.
The checks:

* the daily report (HTML parsed with html.parser, the .xlsx read back with zipfile and the
  XML of its shared strings and sheets) holds exactly the API's numbers: /air/aqi (city,
  county and station days, city hours), /air/stats (month and year to date), /air/targets,
  /air/alerts; stations and counties are ranked by daily AQI with ties sharing a rank;
* the monthly report: /air/stats, /air/ranking (stations and counties by the index),
  the daily rows; the sources report: /alarms (the exceedance), /sources/transmission,
  /sources/totals;
* `envwatch report` prints the same tables as the API; `envwatch export readings` writes the
  bytes of GET /points/{mn}/readings?format=csv;
* an officer's source report covers its county's outlets; bad parameters, unknown reports
  and callers without an account are refused.
"""
import csv
import io
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from html.parser import HTMLParser
from urllib.parse import quote
from xml.etree import ElementTree

from ewtest import EW_BIN, EW_SHARED, EW_SRC, Daemon, data_packet, read_frames, run

DAY = "2019-01-06"
MONTH = "2019-01"
BUREAU, CITY = "阳泉市生态环境局", "阳泉市"
FACTORS = {"SO2": "a21026", "NO2": "a21004", "CO": "a21005", "O3": "a05024",
           "PM10": "a34002", "PM2.5": "a34004"}
KEYS = ["so2", "no2", "co", "o3", "o3_8h", "pm10", "pm25"]
STATIONS = {"1738A": ("市中心", "城区"), "1741A": ("白羊墅", "矿区")}
STACK = "0101403000000310000E0101"      # 嘉岭热电 1#机组烟囱, GB 13223 ultra-low SO2 35
EXCEED_HOURS = {10: 105.0, 11: 70.0}    # SO2 ZsAvg mg/m3 in two hours (3.0 and 2.0 x)
CATEGORY = ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"]
STATUS = {"none": "未设目标", "met": "已完成", "on_track": "达到进度要求",
          "behind": "滞后于进度", "missed": "无法完成"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
KEEP = os.environ.get("EW_REPORT_KEEP")     # a folder to keep the reports in (to look at)


# ---- reading reports back ----------------------------------------------------------------------

class Page(HTMLParser):
    """Tables of a report page by id: rows of {data-col: text}; figures by id: {key: text}."""

    def __init__(self, text):
        super().__init__()
        self.tables, self.figures, self.heads, self.text = {}, {}, {}, ""
        self.stack, self.table, self.row, self.col, self.fig, self.buf = [], None, None, None, \
            None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "")
        if tag == "table":
            self.table = a["id"]
            self.tables[self.table] = []
            self.heads[self.table] = []
        elif tag == "div" and cls == "figures":
            self.fig = a["id"]
            self.figures[self.fig] = {}
        elif tag == "tr" and self.table and "no-data" not in cls:
            self.row = {}
        elif tag in ("td", "th") and self.table or tag == "div" and "data-col" in a:
            self.col, self.buf = a.get("data-col"), ""
            self.cell_tag = tag

    def handle_endtag(self, tag):
        if tag in ("td", "th", "div") and self.buf is not None and tag == self.cell_tag:
            if tag == "th":
                self.heads[self.table].append(self.col)
            elif tag == "td" and self.row is not None:
                self.row[self.col] = self.buf
            elif tag == "div":
                self.figures[self.fig][self.col] = self.buf
            self.buf = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.tables[self.table].append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        self.text += data
        if self.buf is not None:
            self.buf += data


def workbook(data):
    """{sheet name: {(row, col): value}} of an .xlsx: numbers as float, strings as str."""
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.testzip() is None
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    book = {}
    for sh in ElementTree.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
        rid = sh.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        xml = ElementTree.fromstring(z.read("xl/" + target[rid]))
        cells = {}
        for c in xml.iter("{%s}c" % NS["m"]):
            m = re.match(r"([A-Z]+)(\d+)$", c.get("r"))
            col = 0
            for ch in m.group(1):
                col = col * 26 + ord(ch) - 64
            v = c.find("m:v", NS)
            if c.get("t") == "s":
                val = strings[int(v.text)]
            elif c.get("t") == "inlineStr":
                val = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
            elif v is not None:
                val = float(v.text)
            else:
                continue
            cells[(int(m.group(2)), col)] = val
        book[sh.get("name")] = cells
    return book


def sheet_table(cells, first_head):
    """The rows under the header row that starts with first_head, as {header: value}, up to
    the first row that is empty or holds only a note (text in the first cell alone)."""
    rows = sorted({r for r, _ in cells})
    for r in rows:
        if cells.get((r, 1)) == first_head:
            ncol = max(c for rr, c in cells if rr == r)
            heads = [cells.get((r, c)) for c in range(1, ncol + 1)]
            out, k = [], r + 1
            while any((k, c) in cells for c in range(2, ncol + 1)):
                out.append({heads[c - 1]: cells.get((k, c)) for c in range(1, ncol + 1)})
                k += 1
            return out
    raise AssertionError("no table headed %r" % first_head)


# ---- the world ---------------------------------------------------------------------------------

def load_cnemc():
    out = {}
    with open(os.path.join(EW_SHARED, "data", "cnemc", "yangquan_2019.csv"),
              encoding="utf-8") as f:
        rows = csv.reader(f)
        head = next(rows)
        for r in rows:
            if r[0] in ("20190106", "20190107"):
                for j, st in enumerate(head[3:]):
                    out[(r[0], int(r[1]), st, r[2])] = r[3 + j]
    return out


CNEMC = load_cnemc()


def station_packet(st, h):
    date, hh = ("20190106", h + 1) if h < 23 else ("20190107", 0)
    values = {}
    for p, code in FACTORS.items():
        v = CNEMC.get((date, hh, st, p), "")
        if v != "":
            values[code] = {"Avg": v, "Flag": "N"}
    return data_packet(st, "123456", "2061", DAY.replace("-", "") + "%02d0000" % h, values)


def stack_packet(pw, h):
    so2 = EXCEED_HOURS.get(h, 20.0 + h % 5)
    values = {"a21026": {"Avg": "%.1f" % (so2 * 0.8), "ZsAvg": "%.1f" % so2, "Cou": "%.3f" % (
        so2 * 0.8 * 2.5e-1), "Flag": "N"},
        "a21002": {"Avg": "30.0", "ZsAvg": "33.0", "Flag": "N"},
        "a34013": {"Avg": "3.0", "ZsAvg": "3.3", "Flag": "N"},
        "a19001": {"Avg": "7.0", "Flag": "N"},
        "a00000": {"Avg": "86.8", "Cou": "312500", "Flag": "N"}}
    return data_packet(STACK, pw, "2061", DAY.replace("-", "") + "%02d0000" % h, values, st="31")


class World:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="ewreports-")
        reg = os.path.join(self.tmp, "points.csv")
        with open(os.path.join(EW_SRC, "data", "yangquan-points.csv"), encoding="utf-8",
                  newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["mn"] == STACK]
        rows[0]["quota_t"] = "a21026=1.5;a21002=300"
        self.stack_pw = rows[0]["pw"]
        with open(reg, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)
        r = subprocess.run([EW_BIN, "point", "import", "--data", self.tmp, reg],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        self.d = Daemon(["--set", "instruments.gapfill_days=0",
                         "--set", "air.target_pm25_ugm3=50",
                         "--set", "air.target_good_share_pct=75.5",
                         "--set", "air.target_heavy_days=10",
                         "--set", "sources.standards=%s" % os.path.join(EW_SRC, "data",
                                                                        "standards")],
                        data_dir=self.tmp).start()
        for mn, (name, county) in STATIONS.items():
            st, got = self.d.http("POST", "/api/v1/points", {
                "mn": mn, "pw": "123456", "name": name, "kind": "air", "site": name,
                "county": county})
            assert st == 201, (st, got)
        rc = self.cli("report", "settings", "--bureau", BUREAU, "--city", CITY)
        assert rc[0] == 0, rc
        self.send()
        # the city's alert state machine runs on the day's AQI once the day is closed
        deadline = time.time() + 30
        while not self.get("/api/v1/air/alerts")["alerts"] and time.time() < deadline:
            time.sleep(0.2)

    def send(self):
        socks = {mn: self.d.connect() for mn in list(STATIONS) + [STACK]}
        for h in range(24):
            for mn in STATIONS:
                socks[mn].sendall(station_packet(mn, h))
                read_frames(socks[mn], 1)
            socks[STACK].sendall(stack_packet(self.stack_pw, h))
            read_frames(socks[STACK], 1)
        for s in socks.values():
            s.close()

    def cli(self, *args):
        r = subprocess.run([EW_BIN] + list(args) + ["--data", self.tmp], capture_output=True)
        return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")

    def get(self, path):
        return self.d.get(path)

    def fetch(self, path, token=True):
        """(status, content type, disposition, body bytes)."""
        hdrs = {"Authorization": "Bearer " + self.d.token} if token else {}
        req = urllib.request.Request(self.d.url(path), headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.headers.get("Content-Type"), \
                    r.headers.get("Content-Disposition"), r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type"), None, e.read()

    def report(self, path, fmt):
        st, ctype, disp, body = self.fetch(path + "&format=" + fmt)
        assert st == 200, (path, st, body[:300])
        if KEEP:
            name = re.search(r'filename="([^"]+)"', disp).group(1)
            with open(os.path.join(KEEP, name), "wb") as f:
                f.write(body)
        return ctype, disp, body

    def close(self):
        try:
            self.d.stop()
        finally:
            self.d.cleanup()


W = None


# ---- helpers -----------------------------------------------------------------------------------

def num(text):
    """A printed number as float; None for the empty mark."""
    return None if text in ("—", None) else float(text)


def day_row(q):
    rows = W.get("/api/v1/air/aqi?%s&period=day&from=%s&to=%s" % (q, DAY, DAY))
    assert len(rows) == 1, rows
    return rows[0]


def labels(row):
    """The primary pollutants as the report words them (the platform's labels)."""
    names = {"SO2": "二氧化硫", "NO2": "二氧化氮", "CO": "一氧化碳", "O3": "臭氧1小时",
             "O3_8h": "臭氧8小时", "PM10": "颗粒物(PM10)", "PM2.5": "细颗粒物(PM2.5)"}
    order = ["SO2", "NO2", "CO", "O3", "O3_8h", "PM10", "PM2.5"]
    got = [names[p] for p in order if p in row["primary"]]
    return "、".join(got) if got else "—"


def check_aqi_cells(cells, row, value):
    """AQI, category, primary and concentrations of a report row against an API aqi row;
    value(cell) reads a cell (text of the page, or a workbook value)."""
    assert value(cells["aqi"]) == row["aqi"], (cells, row)
    assert cells["category"] == row["category"], (cells, row)
    assert cells["primary"] == labels(row), (cells["primary"], row["primary"])
    for k in KEYS:
        if k in cells:
            assert value(cells[k]) == row["conc"][k], (k, cells[k], row["conc"][k])


def competition_rank(values):
    """1, 2, 2, 4 over the values, smaller first; None unranked."""
    ranked = sorted(v for v in values if v is not None)
    return [None if v is None else ranked.index(v) + 1 for v in values]


# ---- the tests ---------------------------------------------------------------------------------

def test_daily_page_holds_the_api_numbers():
    ctype, disp, body = W.report("/api/v1/reports/air-daily?date=" + DAY, "html")
    assert ctype.startswith("text/html") and 'inline; filename="air-daily-2019-01-06.html"' == disp
    page = Page(body.decode("utf-8"))
    assert BUREAU in page.text and CITY + "环境空气质量日报" in page.text
    assert "HJ 633-2012" in page.text and "HJ 663-2013" in page.text and "@media print" in \
        body.decode("utf-8")
    city = day_row("city=")
    fig = page.figures["city"]
    assert num(fig["aqi"]) == city["aqi"] and fig["category"] == city["category"], fig
    assert fig["primary"] == labels(city) and num(fig["stations"]) == city["stations"]
    conc, iaqi, valid = page.tables["city-items"]
    for k in KEYS:
        assert num(conc[k]) == city["conc"][k], (k, conc[k], city["conc"][k])
        assert num(iaqi[k]) == city["iaqi"].get(k), (k, iaqi[k], city["iaqi"])
        assert num(valid[k]) == city["valid"][k], (k, valid[k], city["valid"])
    rows = page.tables["stations"]
    assert [r["mn"] for r in rows] == sorted(STATIONS, key=lambda m: day_row(
        "station=" + m)["aqi"]), rows
    api = [day_row("station=" + r["mn"]) for r in rows]
    assert [num(r["rank"]) for r in rows] == competition_rank([a["aqi"] for a in api])
    for r, a in zip(rows, api):
        check_aqi_cells(r, a, num)
        assert (r["name"], r["county"]) == STATIONS[r["mn"]]
    counties = page.tables["counties"]
    assert {r["county"] for r in counties} == {c for _, c in STATIONS.values()}
    for r in counties:
        check_aqi_cells(r, day_row("county=" + quote(r["county"])), num)
        assert num(r["stations"]) == 1


def test_daily_page_to_date_targets_alerts_and_hours():
    page = Page(W.report("/api/v1/reports/air-daily?date=" + DAY, "html")[2].decode("utf-8"))
    month, year = page.tables["to-date"]
    for row, q in ((month, "period=month&date=" + MONTH), (year, "period=year&date=2019")):
        s = W.get("/api/v1/air/stats?scope=city&" + q)
        assert num(row["days"]) == s["aqi_days"] and num(row["good_days"]) == s["good_days"]
        assert num(row["good_share"]) == s["good_share_pct"], (row, s["good_share_pct"])
        assert num(row["heavy_days"]) == s["heavy_days"]
        assert num(row["pm25"]) == s["items"]["pm25"]["mean"]
        assert num(row["pm10"]) == s["items"]["pm10"]["mean"]
        assert num(row["index"]) == s["index"]["value"], (row, s["index"])
    t = W.get("/api/v1/air/targets?date=" + DAY)
    got = page.tables["targets"]
    for row, want in zip(got, t["targets"]):
        assert num(row["goal"]) == want["value"] and num(row["ytd"]) == want["ytd"], (row, want)
        assert num(row["needed"]) == want["needed"] and row["status"] == STATUS[want["status"]]
    alerts = W.get("/api/v1/air/alerts")["alerts"]
    assert len(alerts) == 1 and page.tables["alerts"][0]["max_level"] == alerts[0]["max_level_zh"]
    hours = W.get("/api/v1/air/aqi?city=&period=hour&from=%sT00:00&to=%sT23:00" % (DAY, DAY))
    rows = page.tables["city-hours"]
    assert len(rows) == len(hours) == 24
    for h, (r, a) in enumerate(zip(rows, hours)):
        assert r["time"] == "%02d:00–%02d:00" % (h, h + 1)
        check_aqi_cells(r, a, num)


def test_daily_workbook_holds_the_same_numbers():
    ctype, disp, body = W.report("/api/v1/reports/air-daily?date=" + DAY, "xlsx")
    assert ctype == XLSX and disp == 'attachment; filename="air-daily-2019-01-06.xlsx"'
    book = workbook(body)
    assert len(book) == 1
    cells = next(iter(book.values()))
    assert cells[(1, 1)] == BUREAU and cells[(2, 1)] == CITY + "环境空气质量日报"
    city = day_row("city=")
    fig = sheet_table(cells, "空气质量指数 AQI")[0]
    assert fig["空气质量指数 AQI"] == city["aqi"] and fig["类别"] == city["category"]
    conc = sheet_table(cells, "项目")[0]
    head = {"so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3-1h", "o3_8h": "O3-8h",
            "pm10": "PM10", "pm25": "PM2.5"}
    assert conc["项目"] == "日均值"
    for k, h in head.items():
        assert conc[h] == city["conc"][k], (k, conc[h], city["conc"][k])
    stations = sheet_table(cells, "排名")
    page = Page(W.report("/api/v1/reports/air-daily?date=" + DAY, "html")[2].decode("utf-8"))
    assert [r["点位编码"] for r in stations] == [r["mn"] for r in page.tables["stations"]]
    for r in stations:
        a = day_row("station=" + r["点位编码"])
        assert r["AQI"] == a["aqi"] and r["类别"] == a["category"]
        for k, h in head.items():
            assert r[h] == (a["conc"][k] if a["conc"][k] is not None else "—"), (k, r, a)
    s = W.get("/api/v1/air/stats?scope=city&period=month&date=" + MONTH)
    month = sheet_table(cells, "统计时段")[0]
    assert month["优良天数比例(%)"] == s["good_share_pct"] and month["综合指数"] == \
        s["index"]["value"]


def test_monthly_report_matches_stats_and_rankings():
    page = Page(W.report("/api/v1/reports/air-monthly?month=" + MONTH, "html")[2].decode())
    s = W.get("/api/v1/air/stats?scope=city&period=month&date=" + MONTH)
    fig = page.figures["city"]
    assert num(fig["days"]) == s["aqi_days"] and num(fig["good_share"]) == s["good_share_pct"]
    assert num(fig["index"]) == s["index"]["value"] and num(fig["heavy_days"]) == s["heavy_days"]
    levels = page.tables["levels"][0]
    assert [num(levels["l%d" % i]) for i in range(1, 7)] == s["level_days"]
    items = {r["item"]: r for r in page.tables["city-items"]}
    assert num(items["细颗粒物(PM2.5)"]["mean"]) == s["items"]["pm25"]["mean"]
    assert num(items["一氧化碳"]["pct"]) == s["items"]["co"]["pct"]
    assert num(items["臭氧8小时"]["sub"]) == s["index"]["sub"]["o3_8h"]
    for of, table, key in (("station", "station-ranking", "mn"),
                           ("county", "county-ranking", "county")):
        api = W.get("/api/v1/air/ranking?period=month&date=%s&by=index&of=%s" % (MONTH, of))
        rows = page.tables[table]
        assert [r[key] for r in rows] == [a["mn" if of == "station" else "name"] for a in api]
        for r, a in zip(rows, api):
            assert num(r["rank"]) == a["rank"] and num(r["index"]) == a["index"], (r, a)
            assert num(r["pm25"]) == a["pm25"] and num(r["good_share"]) == a["good_share_pct"]
            assert num(r["days"]) == a["days"]
    days = W.get("/api/v1/air/aqi?city=&period=day&from=%s-01&to=%s-31" % (MONTH, MONTH))
    assert [r["date"] for r in page.tables["daily"]] == [d["time"][:10] for d in days]
    for r, a in zip(page.tables["daily"], days):
        check_aqi_cells(r, a, num)
    assert "去年同期" in page.text              # no 2018 data: no year-on-year change
    book = workbook(W.report("/api/v1/reports/air-monthly?month=" + MONTH, "xlsx")[2])
    cells = next(iter(book.values()))
    ranking = sheet_table(cells, "排名")
    assert [r["综合指数"] for r in ranking] == [a["index"] for a in W.get(
        "/api/v1/air/ranking?period=month&date=%s&by=index&of=station" % MONTH)]


def test_sources_report_matches_alarms_transmission_and_totals():
    page = Page(W.report("/api/v1/reports/sources-monthly?month=" + MONTH, "html")[2].decode())
    alarms = W.get("/api/v1/alarms?kind=exceedance")
    assert len(alarms) == 1, alarms
    a = alarms[0]
    rows = page.tables["exceedances"]
    assert len(rows) == 1, rows
    r = rows[0]
    assert (r["point"], r["county"], r["factor"]) == (a["point"], a["county"], "二氧化硫")
    assert num(r["count"]) == a["count"] == len(EXCEED_HOURS)
    assert num(r["peak"]) == a["peak"] == max(EXCEED_HOURS.values())
    assert num(r["limit"]) == a["limit"] and num(r["multiple"]) == round(a["multiple"], 2)
    assert r["start"] == a["start"][:16].replace("T", " ")
    assert r["state"] == {"open": "待处置", "acknowledged": "已确认", "explained": "已申报",
                          "closed": "已办结"}[a["state"]]
    fig = page.figures["overview"]
    assert num(fig["exceedances"]) == 1 and num(fig["exceed_periods"]) == a["count"]
    tr = W.get("/api/v1/sources/transmission?month=" + MONTH)
    got = {r["mn"]: r for r in page.tables["trans-points"]}
    for p in tr["points"]:
        r = got[p["mn"]]
        assert (num(r["expected"]), num(r["received"]), num(r["valid"])) == \
            (p["expected"], p["received"], p["valid"]), (r, p)
        want = p["effective_pct"]
        assert num(r["effective"]) == (None if want is None else round(want, 2)), (r, p)
    tot = W.get("/api/v1/sources/totals?year=2019")
    outlets = page.tables["totals-outlets"]
    assert len(outlets) == len(tot["outlets"]) == 3
    for r, o in zip(outlets, tot["outlets"]):
        assert num(r["month_t"]) == round(o["emitted_t"], 3) == num(r["ytd_t"]), (r, o)
        assert num(r["hours"]) == o["hours"] == 24
    so2 = [o for o in tot["outlets"] if o["factor"] == "a21026"][0]
    assert abs(so2["emitted_t"] - sum(
        EXCEED_HOURS.get(h, 20.0 + h % 5) * 0.8 * 0.25 for h in range(24)) / 1000) < 1e-9
    ent = {r["factor"]: r for r in page.tables["totals-enterprises"]}
    assert num(ent["二氧化硫"]["quota_t"]) == 1.5 and num(ent["氮氧化物"]["quota_t"]) == 300
    book = workbook(W.report("/api/v1/reports/sources-monthly?month=" + MONTH, "xlsx")[2])
    assert list(book) == ["概况及报警", "传输有效率", "排放量"], list(book)
    ex = sheet_table(book["概况及报警"], "序号")
    assert len(ex) == 1 and ex[0]["峰值"] == a["peak"] and ex[0]["超标时段数"] == a["count"]


def test_cli_makes_the_same_report_as_the_api():
    rc, out, err = W.cli("report", "daily", "--date", DAY)
    assert rc == 0, err
    cli_page = Page(out.decode("utf-8"))
    api_page = Page(W.report("/api/v1/reports/air-daily?date=" + DAY, "html")[2].decode())
    assert cli_page.tables == api_page.tables and cli_page.figures == api_page.figures
    path = os.path.join(W.tmp, "m.xlsx")
    rc, out, err = W.cli("report", "monthly", "--date", MONTH, "--format", "xlsx", "-o", path,
                         "--now", "2019-02-01T09:00")
    assert rc == 0 and out == b"", err
    with open(path, "rb") as f:
        cells = next(iter(workbook(f.read()).values()))
    assert cells[(1, 1)] == BUREAU
    rc, out, err = W.cli("report", "settings")
    assert rc == 0 and out.decode() == "bureau=%s\ncity=%s\n" % (BUREAU, CITY), (out, err)


def test_cli_export_writes_the_api_csv():
    q = "from=%sT00:00&to=%sT23:00" % (DAY, DAY)
    st, body = W.d.http("GET", "/api/v1/points/1738A/readings?format=csv&" + q, raw=True)
    assert st == 200 and body.count(b"\r\n") == 1 + 24 * 6, body[:200]
    rc, out, err = W.cli("export", "readings", "--mn", "1738A", "--from", DAY + "T00:00",
                         "--to", DAY + "T23:00")
    assert rc == 0 and out == body, (err, out[:200], body[:200])
    rc, out, err = W.cli("export", "readings", "--mn", STACK, "--kind", "hour", "--factor",
                         "a21026", "--from", DAY, "--to", DAY + "T23:59", "--limit", "3")
    rows = list(csv.DictReader(io.StringIO(out.decode())))
    assert rc == 0 and len(rows) == 3 and rows[0]["converted"] == "20", rows


def officer_token(name, county):
    r = subprocess.run([EW_BIN, "user", "add", "--data", W.tmp, "--name", name, "--role",
                        "officer", "--county", county, "--generate"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([EW_BIN, "user", "token", "--data", W.tmp, "--name", name, "--label",
                        "reports test", "--days", "1"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_an_officer_sees_its_county_sources_only():
    url = W.d.url("/api/v1/reports/sources-monthly?month=" + MONTH)
    outlets = {}
    for name, county in (("officer-jq", "郊区"), ("officer-cq", "城区")):
        req = urllib.request.Request(url, headers={
            "Authorization": "Bearer " + officer_token(name, county)})
        with urllib.request.urlopen(req, timeout=60) as r:
            page = Page(r.read().decode("utf-8"))
        outlets[county] = [row["point"] for row in page.tables["totals-outlets"]]
    assert set(outlets["郊区"]) == {"嘉岭热电 1#机组烟囱"}, outlets   # the stack is in 郊区
    assert outlets["城区"] == [], outlets
    req = urllib.request.Request(W.d.url("/api/v1/reports/air-daily?date=" + DAY), headers={
        "Authorization": "Bearer " + officer_token("officer-kq", "矿区")})
    with urllib.request.urlopen(req, timeout=60) as r:
        page = Page(r.read().decode("utf-8"))
    assert len(page.tables["stations"]) == 2            # published data: the whole city


def test_bad_requests_are_refused():
    for path, status, code in (
            ("/api/v1/reports/air-daily?date=2019-02-30", 400, "bad_time"),
            ("/api/v1/reports/air-daily?date=2019-01", 400, "bad_time"),
            ("/api/v1/reports/air-monthly?month=2019-13", 400, "bad_time"),
            ("/api/v1/reports/sources-monthly?month=201901", 400, "bad_time"),
            ("/api/v1/reports/air-daily?date=%s&format=pdf" % DAY, 400, "bad_param"),
            ("/api/v1/reports/water-monthly?month=2019-01", 404, "no_route")):
        st, ctype, _, body = W.fetch(path)
        assert st == status and code.encode() in body, (path, st, body)
    st, _, _, body = W.fetch("/api/v1/reports/air-daily?date=" + DAY, token=False)
    assert st in (401, 403), (st, body)
    for args, want in ((["report", "daily"], 2), (["report", "daily", "--date", "2019-1-6"], 2),
                       (["report", "weekly", "--date", DAY], 2),
                       (["report", "daily", "--date", DAY, "--format", "pdf"], 2),
                       (["export", "readings", "--mn", "NOPE"], 1),
                       (["export", "readings"], 2)):
        rc, _, err = W.cli(*args)
        assert rc == want and err, (args, rc, err)


def main():
    global W
    W = World()
    try:
        run([test_daily_page_holds_the_api_numbers,
             test_daily_page_to_date_targets_alerts_and_hours,
             test_daily_workbook_holds_the_same_numbers,
             test_monthly_report_matches_stats_and_rankings,
             test_sources_report_matches_alarms_transmission_and_totals,
             test_cli_makes_the_same_report_as_the_api,
             test_cli_export_writes_the_api_csv,
             test_an_officer_sees_its_county_sources_only,
             test_bad_requests_are_refused])
    finally:
        W.close()


if __name__ == "__main__":
    main()
