# SPDX-License-Identifier: MIT
"""The dashboard in a real browser: builds the demo state and runs `node --test tests/browser/`.

Like `make demo`, but in a temporary directory with ports chosen by the system: imports the
demo registry (data/yangquan-points.csv) into a fresh store, starts `envwatch serve` with the
dashboard (web/), starts `envwatch simulate` with two days of back-fill, one stack driven over
its SO2 limit and one outlet that falls silent, waits until the back-fill is stored, then runs
the browser tests (playwright-core with Debian's chromium) against it. Screenshots go to
build/screenshots/.

It skips (a clear SKIP line, exit 0) only when Node.js (>= 20) or Chromium cannot be
installed, or the npm packages of web/ cannot be fetched; otherwise it runs.
"""
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from ewtest import EW_BIN, EW_SRC, Daemon

REGISTRY = os.path.join(EW_SRC, "data", "yangquan-points.csv")
CHROMIUM = os.environ.get("EW_CHROMIUM", "/usr/bin/chromium")
BACKFILL_HOURS = 48


def skip(why):
    print("SKIP: browser tests: %s" % why, flush=True)
    sys.exit(0)


def node_major():
    node = shutil.which("node")
    if node is None:
        return 0
    out = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    try:
        return int(out.lstrip("v").split(".")[0])
    except ValueError:
        return 0


def ensure_tools():
    """Installs what is missing the way `make test` does (scripts/deps.sh test), then checks."""
    if node_major() < 20 or not os.access(CHROMIUM, os.X_OK) or shutil.which("npm") is None:
        r = subprocess.run([os.path.join(EW_SRC, "scripts", "deps.sh"), "test"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout[-2000:], r.stderr[-2000:], flush=True)
    if node_major() < 20:
        skip("Node.js >= 20 is not installed and could not be (playwright-core 1.65 needs it)")
    if not os.access(CHROMIUM, os.X_OK):
        skip("%s is not installed and could not be (apt-get install chromium)" % CHROMIUM)
    r = subprocess.run([os.path.join(EW_SRC, "scripts", "web-deps.sh")], capture_output=True,
                       text=True)
    if r.returncode != 0:
        print(r.stdout[-2000:], r.stderr[-2000:], flush=True)
        skip("the npm packages of web/ (uplot, leaflet, playwright-core) could not be installed")


def pick(rows, kind, industry=None, last=False):
    found = [r for r in rows if r["kind"] == kind and (industry is None or r["industry"] == industry)]
    if not found:
        return None
    return found[-1]["mn"] if last else found[0]["mn"]


def wait_backfill(d, air_mns, hours, timeout_s):
    """Until every air station holds the back-filled hours (the simulator sends them first)."""
    deadline = time.time() + timeout_s
    frm = time.strftime("%Y-%m-%dT%H:00", time.gmtime(time.time() + 8 * 3600 - (hours - 2) * 3600))
    while time.time() < deadline:
        counts = []
        for mn in air_mns:
            rows = d.get("/api/v1/points/%s/readings?kind=hour&factor=a34004&from=%s" % (mn, frm))
            counts.append(len(rows))
        if min(counts) >= hours - 3:
            return
        time.sleep(1)
    raise AssertionError("back-fill not stored in %d s: %r" % (timeout_s, counts))


def main():
    ensure_tools()
    with open(REGISTRY, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    exceed_mn = pick(rows, "flue", "power") or pick(rows, "flue")
    silent_mn = pick(rows, "wastewater", last=True)
    air_mns = [r["mn"] for r in rows if r["kind"] == "air"]
    tmp = tempfile.mkdtemp(prefix="ewbrowser-")
    sim = sim_log = None
    d = None
    rc = 1
    try:
        r = subprocess.run([EW_BIN, "point", "import", "--data", tmp, REGISTRY],
                           capture_output=True, text=True)
        assert r.returncode == 0, "point import: " + r.stderr
        # The demo ledger (台账 tab) and, below, the demo scorecard (考核 tab).
        r = subprocess.run([os.path.join(EW_SRC, "scripts", "demo-ledger.sh"), tmp],
                           capture_output=True, text=True, env=dict(os.environ, EW_BIN=EW_BIN))
        assert r.returncode == 0, "demo-ledger.sh: " + r.stderr
        # The simulator runs 60 times faster than the clock so that the provoked exceedance,
        # judged on hourly records, shows within a minute; its DataTimes then run ahead of the
        # platform clock, which must not make the daemon reset its clock with 1012.
        d = Daemon(["--web", os.path.join(EW_SRC, "web"),
                    "--set", "instruments.offline_after_s=30",
                    # The alarm engine's own offline rule ([alarms], wall-clock seconds since
                    # the last frame), small so that the silent outlet's offline alarm opens
                    # within the alarms test's minute (tests/integration/test_alarms.py).
                    "--set", "alarms.offline_after_s=15", "--set", "alarms.check_s=1",
                    "--set", "instruments.clock_drift_limit_s=86400",
                    "--set", "ledger.scorecard=" + os.path.join(EW_SRC, "data", "ledger",
                                                                "scorecard.ini")],
                   data_dir=tmp).start()
        sim_log = open(os.path.join(tmp, "simulate.log"), "w")
        sim = subprocess.Popen([EW_BIN, "simulate", "--connect", "127.0.0.1:%d" % d.hj_port,
                                "--registry", REGISTRY, "--backfill-hours", str(BACKFILL_HOURS),
                                "--rtd-interval", "60", "--speed", "60",
                                # 12 simulated h = 12 min: still exceeding when
                                # the sources tests run, minutes after the alarms tests
                                "--exceed", "%s:a21026:3:12" % exceed_mn,
                                # silent after 1200 simulated s (20 s at --speed 60): it
                                # first sends its back-fill, so the sources page has its
                                # latest values; then its offline alarm opens (alarms.*)
                                "--silent", "%s:1200" % silent_mn],
                               stdout=sim_log, stderr=subprocess.STDOUT)
        t0 = time.time()
        wait_backfill(d, air_mns, BACKFILL_HOURS, 240)
        print("demo state: %d points, %d h back-filled in %.1f s; http port %d" %
              (len(rows), BACKFILL_HOURS, time.time() - t0, d.http_port), flush=True)
        env = dict(os.environ, EW_URL="http://127.0.0.1:%d/" % d.http_port,
                   EW_USER="ewtest-admin", EW_PASSWORD=d.admin_password, EW_TOKEN=d.token,
                   EW_HJ212="127.0.0.1:%d" % d.hj_port, EW_EXCEED_MN=exceed_mn,
                   EW_SILENT_MN=silent_mn, EW_CHROMIUM=CHROMIUM,
                   EW_SCREENSHOTS=os.path.join(EW_SRC, "build", "screenshots"))
        rc = subprocess.run(["node", "--test", "--test-concurrency=1", "--test-reporter=spec",
                             os.path.join(EW_SRC, "tests", "browser")],
                            env=env, cwd=EW_SRC).returncode
    finally:
        if sim is not None:
            sim.send_signal(signal.SIGTERM)
            try:
                sim.wait(20)
            except subprocess.TimeoutExpired:
                sim.kill()
                sim.wait()
        if sim_log is not None:
            sim_log.close()
        if d is not None:
            d.stop()
            d.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    print("browser tests: %s" % ("passed" if rc == 0 else "FAILED"), flush=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
