#!/usr/bin/env bash
# Runs every benchmark of the release build. Figures go to stdout; nothing is gated.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x scripts/bench-hj212.sh ] && scripts/bench-hj212.sh
for b in build/release/bench_*; do
    [ -x "$b" ] || continue
    case "$(basename "$b")" in
    bench_hj212) continue ;;                          # needs its corpus: run above
    bench_ingest) echo "== bench_ingest"; "$b" build/release/envwatch ;;
    *) echo "== $(basename "$b")"; "$b" ;;
    esac
done
