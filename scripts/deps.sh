#!/usr/bin/env bash
# Installs what envwatch needs on Debian 12, and nothing that is already there.
# Usage: scripts/deps.sh [build|test|demo]   (test adds clang's fuzzer runtime,
# demo/test add Chromium and the npm packages of web/).
set -euo pipefail
what=${1:-build}
pkgs="build-essential cmake ninja-build pkg-config python3 libsqlite3-dev libcmocka-dev
      libuv1-dev libmicrohttpd-dev libcjson-dev libinih-dev libxlsxwriter-dev libsodium-dev"
case "$what" in
test) pkgs="$pkgs clang libclang-rt-14-dev" ;;
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
