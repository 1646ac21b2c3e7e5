#!/usr/bin/env bash
# Installs what envwatch needs on Debian 12, and nothing that is already there.
# Usage: scripts/deps.sh [build|test|demo]   (test adds clang's fuzzer runtime,
# demo/test add Node.js and the npm packages of web/, test also Chromium and a CJK font for the
# browser tests).
set -euo pipefail
what=${1:-build}
pkgs="build-essential cmake ninja-build pkg-config python3 libsqlite3-dev libcmocka-dev
      libuv1-dev libmicrohttpd-dev libcjson-dev libinih-dev libxlsxwriter-dev libsodium-dev
      zlib1g-dev"
case "$what" in
test) pkgs="$pkgs clang libclang-rt-14-dev chromium fonts-wqy-microhei nodejs" ;;
demo) pkgs="$pkgs nodejs" ;;
esac
# A Node.js from another source (NodeSource) brings its own npm; Debian's npm would clash.
case "$what" in
test|demo) command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm" ;;
esac
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
# The dashboard's libraries (uPlot, Leaflet) and playwright-core, pinned by web/package-lock.json.
# The demo cannot do without them; the tests can (the browser tests then say SKIP).
case "$what" in
demo) "$(dirname "$0")/web-deps.sh" ;;
test) "$(dirname "$0")/web-deps.sh" || echo "deps: the npm packages of web/ are missing: browser tests will skip" ;;
esac
