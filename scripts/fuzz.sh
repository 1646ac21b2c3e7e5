#!/usr/bin/env bash
# Builds every fuzz/fuzz_*.c with clang's libFuzzer (+ASan+UBSan) and runs each for N seconds
# from its seed corpus in fuzz/corpus/<target>/. A crash, leak or broken invariant fails.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
bd=${EW_FUZZ_BUILD:-build/fuzz}           # another dir lets a long run go beside make test
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang not found, skipping"
    exit 0
fi
gen=""; command -v ninja >/dev/null 2>&1 && gen="-G Ninja"
CC=clang cmake -S . -B "$bd" $gen -DCMAKE_BUILD_TYPE=Debug -DEW_FUZZ=ON >/dev/null
if ! out=$(cmake --build "$bd" -j "$(nproc)" 2>&1); then
    echo "$out" | grep -E "error|FAILED" | head -20
    echo "fuzz: the clang build failed"
    exit 1
fi
mkdir -p "$bd/artifacts"
for src in fuzz/fuzz_*.c; do
    [ -e "$src" ] || continue
    t=$(basename "$src" .c)
    seeds="fuzz/corpus/${t#fuzz_}"
    work="$bd/corpus/${t#fuzz_}"
    mkdir -p "$work"
    dict=""; [ -f "fuzz/${t#fuzz_}.dict" ] && dict="-dict=fuzz/${t#fuzz_}.dict"
    out=$(ASAN_OPTIONS=detect_leaks=1 "$bd/$t" $dict -max_total_time="$secs" -max_len=12000 \
          -artifact_prefix="$bd/artifacts/" -print_final_stats=1 "$work" "$seeds" 2>&1) || {
        echo "$out" | tail -40
        echo "fuzz: $t FAILED"
        exit 1
    }
    runs=$(echo "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
    echo "fuzz: $t ok, $runs executions in ${secs}s"
done
