#!/usr/bin/env bash
# Runs every benchmark of the release build. Figures go to stdout; nothing is gated.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in build/release/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b"
done
