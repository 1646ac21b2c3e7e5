# SPDX-License-Identifier: MIT
"""`envwatch aqi --period hour` against the real-time AQI the national platform published.

1. The six Yangquan stations 1738A-1743A for 2019 (EW_SHARED/data/cnemc/yangquan_2019.csv,
   wide layout date,hour,type,<stations>): every station-hour with a published AQI and at
   least one published 1-hour concentration is recomputed by the CLI; agreement must be at
   least 99.9 %, the figure is printed, and every disagreement must be one of the known
   defective archive hours (reference/air.md section 2.2). Any other kind fails the test.
2. The 2022 CNEMC excerpt (cnemc_2022_excerpt.csv): AQI and primary pollutant label of every
   row with an AQI (its O3 columns are swapped in pairs, see the data README).
"""
import csv
import io
import os
import subprocess
import sys

EW_BIN = os.environ.get("EW_BIN", "build/release/envwatch")
EW_SHARED = os.environ.get("EW_SHARED", "../shared")
POLL = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"]
COLS = ["so2", "no2", "co", "o3", "pm10", "pm25"]

# Known defective hours of the 2019 archive (data README, reference/air.md section 2.2).
DEFECTS = {
    ("20190220", 7): "archive hour holds only the AQI row",
    ("20190424", 23): "partial archive hour: AQI does not belong to the concentrations",
}
LABELS = {"SO2": "二氧化硫", "NO2": "二氧化氮", "CO": "一氧化碳", "O3": "臭氧1小时",
          "PM10": "颗粒物(PM10)", "PM2.5": "细颗粒物(PM2.5)"}


def run_aqi(text):
    p = subprocess.run([EW_BIN, "aqi", "--period", "hour"], input=text.encode("utf-8"),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if p.returncode != 0:
        sys.exit("envwatch aqi failed (%d): %s" % (p.returncode, p.stderr.decode()))
    return list(csv.DictReader(io.StringIO(p.stdout.decode("utf-8"))))


def yangquan_rows():
    """Long rows (date, hour, station, six pollutants, published AQI) from the wide file."""
    path = os.path.join(EW_SHARED, "data", "cnemc", "yangquan_2019.csv")
    cells = {}
    with open(path, encoding="utf-8") as f:
        r = csv.reader(f)
        stations = next(r)[3:]
        for row in r:
            date, hour, typ = row[0], int(row[1]), row[2]
            if typ != "AQI" and typ not in POLL:
                continue
            for st, v in zip(stations, row[3:]):
                cells.setdefault((date, hour, st), {})[typ] = v
    return stations, cells


def check_yangquan():
    stations, cells = yangquan_rows()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", "hour", "station"] + COLS + ["published"])
    keys = []
    for key in sorted(cells):
        c = cells[key]
        if c.get("AQI", "") == "":
            continue
        w.writerow(list(key) + [c.get(p, "") for p in POLL] + [c["AQI"]])
        keys.append(key)
    out = run_aqi(buf.getvalue())
    assert len(out) == len(keys), (len(out), len(keys))
    total = agree = no_inputs = 0
    kinds = {}
    for key, row in zip(keys, out):
        assert (row["date"], int(row["hour"]), row["station"]) == key, (row, key)
        if all(row[c] == "" for c in COLS):
            no_inputs += 1
            assert row["aqi"] == "", row        # no inputs: an empty AQI, never zero
            assert key[:2] == ("20190220", 7), key
            continue
        total += 1
        if row["aqi"] == row["published"]:
            agree += 1
            continue
        why = DEFECTS.get(key[:2])
        if why is None:
            sys.exit("unexplained disagreement at %s: published %s, computed %s (%s)"
                     % (key, row["published"], row["aqi"], row))
        kinds[why] = kinds.get(why, 0) + 1
    share = 100.0 * agree / total
    print("Yangquan 2019 real-time AQI, stations %s:" % " ".join(stations))
    print("  %d of %d station-hours with a published AQI and inputs agree: %.3f %%"
          % (agree, total, share))
    print("  %d station-hours with a published AQI but no concentrations were not counted"
          " (%s); counting them as disagreements: %d of %d = %.3f %%"
          % (no_inputs, DEFECTS[("20190220", 7)], agree, total + no_inputs,
             100.0 * agree / (total + no_inputs)))
    for why, n in sorted(kinds.items()):
        print("  %d disagree: %s" % (n, why))
    assert share >= 99.9, share


def check_excerpt():
    path = os.path.join(EW_SHARED, "data", "cnemc", "cnemc_2022_excerpt.csv")
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["station", "published", "label"] + COLS)
    for r in rows:
        # The archive swaps its O3 columns in pairs: o3_24h holds the current 1-hour O3.
        w.writerow([r["stationcode"], r["aqi"], r["primarypollutant"], r["so2"], r["no2"],
                    r["co"], r["o3_24h"], r["pm10"], r["pm2_5"]])
    n = 0
    for row in run_aqi(buf.getvalue()):
        if row["published"] == "":
            continue
        n += 1
        label = ",".join(LABELS[t] for t in row["primary"].split(";") if t)
        assert row["aqi"] == row["published"], row
        assert label == row["label"], (label, row)
    print("2022 CNEMC excerpt: AQI and primary pollutant agree on all %d published rows" % n)
    assert n == 18, n


def main():
    check_yangquan()
    check_excerpt()
    print("ok")


if __name__ == "__main__":
    main()
