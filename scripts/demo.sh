#!/usr/bin/env bash
# make demo: the Yangquan demo. Creates a data directory (var/demo) with the embedded SQLite
# store, loads the demo registry (data/yangquan-points.csv), starts the daemon and simulated
# instruments that speak HJ 212 over real TCP (with a back-fill of the last days so that every
# page has content, one stack provoked into an exceedance and one outlet that falls silent),
# prints the dashboard's address and runs until Ctrl-C, then stops both cleanly.
#
# Settings (environment):
#   DEMO_DIR=var/demo            data directory (made afresh unless DEMO_KEEP=1)
#   DEMO_HTTP=127.0.0.1:8080     dashboard and API address (0.0.0.0:8080 to show it on the LAN)
#   DEMO_HJ212=0.0.0.0:9212      HJ 212 listener (real instruments may connect too)
#   DEMO_BACKFILL_HOURS=72       hours of history the simulator sends first
#   DEMO_SPEED=1                 simulated seconds per real second
#   DEMO_TILE_URL=               map tile URL template, e.g. http://tiles.bureau.local/{z}/{x}/{y}.png
#   DEMO_REGISTRY=data/yangquan-points.csv
#   EW_BIN=build/release/envwatch
set -euo pipefail
cd "$(dirname "$0")/.."

EW_BIN=${EW_BIN:-build/release/envwatch}
DEMO_DIR=${DEMO_DIR:-var/demo}
DEMO_HTTP=${DEMO_HTTP:-127.0.0.1:8080}
DEMO_HJ212=${DEMO_HJ212:-0.0.0.0:9212}
DEMO_BACKFILL_HOURS=${DEMO_BACKFILL_HOURS:-72}
DEMO_SPEED=${DEMO_SPEED:-1}
DEMO_TILE_URL=${DEMO_TILE_URL:-}
DEMO_REGISTRY=${DEMO_REGISTRY:-data/yangquan-points.csv}

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

[ -x "$EW_BIN" ] || die "$EW_BIN is missing: run 'make demo' (it builds first)"
[ -f "$DEMO_REGISTRY" ] || die "registry $DEMO_REGISTRY is missing"
# The dashboard's libraries come from npm (never committed); deps.sh installs Node.js/npm if
# needed and runs scripts/web-deps.sh, each only when something is missing.
scripts/web-deps.sh --check 2>/dev/null || scripts/deps.sh demo

if [ "${DEMO_KEEP:-0}" != 1 ]; then
    rm -rf "$DEMO_DIR"
fi
mkdir -p "$DEMO_DIR"
if [ ! -f "$DEMO_DIR/envwatch.db" ]; then
    say "loading the registry $DEMO_REGISTRY into $DEMO_DIR"
    "$EW_BIN" point import --data "$DEMO_DIR" "$DEMO_REGISTRY" >"$DEMO_DIR/import.log" 2>&1 ||
        { cat "$DEMO_DIR/import.log" >&2; die "point import failed"; }
    say "loading the example ledgers of data/ledger/ (台账 tab)"
    EW_BIN="$EW_BIN" scripts/demo-ledger.sh "$DEMO_DIR" >>"$DEMO_DIR/import.log" 2>&1 ||
        { cat "$DEMO_DIR/import.log" >&2; die "ledger import failed"; }
fi

# The first admin: made by the CLI with a random password (never a default one) and printed
# beside the dashboard's address. A kept store (DEMO_KEEP=1) keeps its accounts.
admin_pw=""
if ! "$EW_BIN" user list --data "$DEMO_DIR" 2>/dev/null | grep -q '^admin '; then
    admin_pw=$("$EW_BIN" user add --data "$DEMO_DIR" --name admin --role admin --generate \
               --display "演示管理员" | sed -n 's/^password: //p')
    [ -n "$admin_pw" ] || die "could not create the admin account"
fi
login_line="admin / ${admin_pw:-(unchanged: the store was kept)}"

# The scenario: the first coal-power (else the first) stack's SO2 at 2.5 times its limit for
# two hours, and the last wastewater outlet silent after two simulated minutes. The offline
# threshold is shortened so that the offline alarm shows within the first minutes.
pick() {  # pick KIND [INDUSTRY] [last]: the MN of the first (or last) matching registry row
    python3 - "$DEMO_REGISTRY" "$@" <<'PY'
import csv, sys
path, kind = sys.argv[1], sys.argv[2]
industry = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "last" else ""
with open(path, encoding="utf-8", newline="") as f:
    rows = [r for r in csv.DictReader(f) if r.get("kind") == kind and
            (not industry or r.get("industry") == industry)]
if rows:
    print((rows[-1] if sys.argv[-1] == "last" else rows[0])["mn"])
PY
}
exceed_mn=$(pick flue power)
[ -n "$exceed_mn" ] || exceed_mn=$(pick flue)
silent_mn=$(pick wastewater last)
scenario=()
[ -n "$exceed_mn" ] && scenario+=(--exceed "$exceed_mn:a21026:2.5:2")
[ -n "$silent_mn" ] && scenario+=(--silent "$silent_mn:120")

serve_args=(serve --data "$DEMO_DIR" --hj212-listen "$DEMO_HJ212" --http-listen "$DEMO_HTTP"
            --web web --log "$DEMO_DIR/daemon.log" --set instruments.offline_after_s=180)
[ -n "$DEMO_TILE_URL" ] && serve_args+=(--set "server.tile_url=$DEMO_TILE_URL")
# the example county scorecard of the 考核 tab (docs/ledger.md section 5)
serve_args+=(--set ledger.scorecard=data/ledger/scorecard.ini)

serve_pid=""
sim_pid=""
stop() {
    local rc=$1
    trap - INT TERM EXIT
    echo
    say "stopping"
    [ -n "$sim_pid" ] && kill -TERM "$sim_pid" 2>/dev/null || true
    [ -n "$sim_pid" ] && wait "$sim_pid" 2>/dev/null || true
    [ -n "$serve_pid" ] && kill -TERM "$serve_pid" 2>/dev/null || true
    [ -n "$serve_pid" ] && wait "$serve_pid" 2>/dev/null || true
    say "stopped; the data stay in $DEMO_DIR"
    exit "$rc"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

"$EW_BIN" "${serve_args[@]}" >"$DEMO_DIR/serve.out" 2>"$DEMO_DIR/serve.err" &
serve_pid=$!
hj_port="" http_port=""
for _ in $(seq 1 100); do
    hj_port=$(sed -n 's/^hj212 listening on .*:\([0-9]*\)$/\1/p' "$DEMO_DIR/serve.out")
    http_port=$(sed -n 's/^http listening on .*:\([0-9]*\)$/\1/p' "$DEMO_DIR/serve.out")
    [ -n "$hj_port" ] && [ -n "$http_port" ] && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$DEMO_DIR/serve.err" >&2; die "the daemon did not start"; }
    sleep 0.1
done
[ -n "$http_port" ] || die "the daemon printed no ports (see $DEMO_DIR/serve.err)"

"$EW_BIN" simulate --connect "127.0.0.1:$hj_port" --registry "$DEMO_REGISTRY" \
    --backfill-hours "$DEMO_BACKFILL_HOURS" --speed "$DEMO_SPEED" "${scenario[@]}" \
    >"$DEMO_DIR/simulate.log" 2>&1 &
sim_pid=$!

http_host=${DEMO_HTTP%:*}
[ "$http_host" = 0.0.0.0 ] && http_host=$(hostname -I 2>/dev/null | awk '{ print $1 }')
[ -n "$http_host" ] || http_host=127.0.0.1
url="http://$http_host:$http_port/"
points=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], encoding="utf-8"))))' "$DEMO_REGISTRY")
cat <<EOF

  ==================================================================
    envwatch demo (Yangquan) is running

    Dashboard:   $url
    Sign in:     $login_line
    HJ 212:      ${DEMO_HJ212%:*}:$hj_port  ($points simulated instruments connected)
    Scenario:    ${exceed_mn:-none} SO2 at 2.5 x its limit for 2 h;
                 ${silent_mn:-none} silent after 2 min (offline alarm)
    Data:        $DEMO_DIR   logs: daemon.log, simulate.log
    History:     the simulator first sends the last ${DEMO_BACKFILL_HOURS} h of hourly data

    Press Ctrl-C to stop.
  ==================================================================

EOF
while kill -0 "$serve_pid" 2>/dev/null; do
    if [ -n "$sim_pid" ] && ! kill -0 "$sim_pid" 2>/dev/null; then
        wait "$sim_pid" || say "the simulator stopped (see $DEMO_DIR/simulate.log)"
        sim_pid=""
    fi
    sleep 1
done
serve_pid=""
tail -n 20 "$DEMO_DIR/serve.err" >&2 || true
die "the daemon exited (see $DEMO_DIR/daemon.log)"
