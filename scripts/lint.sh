#!/usr/bin/env bash
# Bans the C functions that have no safe use in this code base (curl's checksrc idea).
set -euo pipefail
cd "$(dirname "$0")/.."
bad=$(grep -nE '\b(atoi|atol|sprintf|vsprintf|strcpy|strcat|strtok|gets)\(' \
      $(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 'fuzz/*.c' 'bench/*.c' 2>/dev/null) \
      2>/dev/null | grep -v 'lint: allow' || true)
if [ -n "$bad" ]; then
    echo "lint: banned function used:"
    echo "$bad"
    exit 1
fi
echo "lint: ok"
