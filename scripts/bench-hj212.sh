#!/usr/bin/env bash
# HJ 212 decode benchmark: makes the deterministic corpus of shared/bench/hj212-corpus.py
# (100,000 realistic packets, 50 MB) in build/ once, then runs bench_hj212 on it, which
# prints packets/s and MB/s of the full decode beside a memchr scan and the CRC alone.
# Usage: scripts/bench-hj212.sh [BENCH_BINARY]   (default build/release/bench_hj212)
# Env: EW_SHARED (the shared/ folder, default ../shared), HJ212_BENCH_RUNS (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/bench_hj212}
shared=${EW_SHARED:-../shared}
corpus=build/hj212-corpus.txt
if [ ! -x "$bin" ]; then
    echo "bench-hj212: $bin is not built (make build)" >&2
    exit 1
fi
if [ ! -s "$corpus" ]; then
    mkdir -p build
    python3 "$shared/bench/hj212-corpus.py" -n 100000 -o "$corpus.tmp"
    mv "$corpus.tmp" "$corpus"
fi
"$bin" "$corpus" "${HJ212_BENCH_RUNS:-5}"
