#!/usr/bin/env bash
# The demo's governance ledgers (台账): imports the example ledgers of data/ledger/ (one CSV per
# kind, the way a bureau keeps them in Excel) into a store, then adds a few items whose
# deadlines are relative to today (one due in a few days, one already overdue, a complaint
# registered today, a river problem just reported), walks some of them a step, links two to
# the registry's points, attaches an evidence file and runs the deadline pass, so that every
# list of the dashboard's 台账 tab (overdue, due soon, history, files, links) has content.
#
# Usage: scripts/demo-ledger.sh DATA_DIR      (EW_BIN=build/release/envwatch by default)
# Used by scripts/demo.sh and tests/integration/test_browser.py. The items are invented; the
# enterprises are those of data/yangquan-points.csv.
set -euo pipefail
cd "$(dirname "$0")/.."

EW_BIN=${EW_BIN:-build/release/envwatch}
[ $# -eq 1 ] || { echo "usage: $0 DATA_DIR" >&2; exit 2; }
data=$1
who=(--actor 演示数据 --role operator)

ew() { "$EW_BIN" ledger "$@" --data "$data"; }
day() { date -d "$1 days" +%F; }                    # GNU date: today + N days
# The id of the item with this code (exactly).
id_of() {
    ew list --text "$1" --format json | python3 -c '
import json, sys
print([i["id"] for i in json.load(sys.stdin) if i["code"] == sys.argv[1]][0])' "$1"
}

for kind in task rectify complaint case river; do
    ew import "data/ledger/$kind.csv" --kind "$kind" "${who[@]}" >/dev/null
done

ew add --kind task --code LT-DEMO-07 --title "重污染天气应急减排清单修订" \
    --unit 市生态环境局 --county 城区 --due "$(day +4)" "${who[@]}" >/dev/null
late=$(ew add --kind rectify --code DC-DEMO-06 --title "渣场扬尘防治网苫盖" \
    --body "工业固废渣场未全部苫盖，大风天气扬尘明显" --unit 郊区人民政府 --county 郊区 \
    --leader 郊区区委书记 --gov-leader 郊区区长 --source 省级生态环境保护督察 \
    --due "$(day -3)" "${who[@]}")
ew act "$late" start --actor 郊区环保分局 --role officer --actor-unit 郊区人民政府 >/dev/null
ew add --kind complaint --code TS-DEMO-01 --title "供热锅炉冒黑烟" \
    --body "小区旁供热锅炉烟囱冒黑烟" --source 12369 --category 大气 --county 矿区 \
    --subject 阳泉矿区暖源供热有限公司 "${who[@]}" >/dev/null
ew add --kind river --code HZ-DEMO-104 --title "河岸倾倒建筑垃圾" --subject 桃河城区段 \
    --leader 城区河长 --level 3 --county 城区 --unit 城区水务局 --due "$(day +2)" \
    "${who[@]}" >/dev/null

ew link "$(id_of TS-2026-0605)" point 0101403000000310000E0401 --relation 被投诉企业排口 >/dev/null
ew link "$(id_of ZF-2026-011)" point 0101403000000310000E0101 --relation 超标排口 >/dev/null
ew comment "$(id_of DC-2025-02)" --note "省厅调度：温河两个断面本月氨氮仍超标，加快截污管网建设" \
    "${who[@]}" >/dev/null
evidence=$(mktemp)
trap 'rm -f "$evidence"' EXIT
printf '煤矸石山自燃治理销号验收报告（演示）\n5座矸石山灭火、覆土、绿化完成，周边SO2监测达标。\n' \
    >"$evidence"
ew attach "$(id_of DC-2025-01)" "$evidence" --name 销号验收报告.txt "${who[@]}" >/dev/null
ew sweep >/dev/null
