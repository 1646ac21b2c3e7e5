#!/usr/bin/env bash
# Installs the dashboard's npm packages (pinned by web/package-lock.json) when they are missing
# or older than the lock file, and copies the browser files into web/vendor/, which the daemon
# serves. Neither web/node_modules/ nor web/vendor/ is committed. Needs npm and the npm
# registry only when the packages are not installed yet.
# Usage: scripts/web-deps.sh [--check]   (--check: exit 1 if anything is missing, install nothing)
set -euo pipefail
web="$(cd "$(dirname "$0")/../web" && pwd)"
nm="$web/node_modules"
vendor="$web/vendor"

# Source file in node_modules -> name in web/vendor/.
files="leaflet/dist/leaflet.js:leaflet.js
leaflet/dist/leaflet.css:leaflet.css
leaflet/LICENSE:LICENSE.leaflet
uplot/dist/uPlot.iife.min.js:uPlot.iife.min.js
uplot/dist/uPlot.min.css:uPlot.min.css
uplot/LICENSE:LICENSE.uplot"

installed_ok() {
    [ -f "$nm/.package-lock.json" ] && [ ! "$web/package-lock.json" -nt "$nm/.package-lock.json" ] &&
        [ -f "$nm/playwright-core/index.mjs" ] && [ -f "$nm/leaflet/dist/leaflet.js" ] &&
        [ -f "$nm/uplot/dist/uPlot.iife.min.js" ]
}

vendor_ok() {
    local line src dst
    while IFS= read -r line; do
        src=${line%%:*}
        dst=${line#*:}
        [ -f "$vendor/$dst" ] && [ ! "$nm/$src" -nt "$vendor/$dst" ] || return 1
    done <<< "$files"
}

if [ "${1:-}" = "--check" ]; then
    installed_ok && vendor_ok
    exit $?
fi

if ! installed_ok; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "web-deps: npm is missing (scripts/deps.sh demo installs it)" >&2
        exit 1
    fi
    echo "web-deps: npm ci in web/"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
if ! vendor_ok; then
    mkdir -p "$vendor/images"
    while IFS= read -r line; do
        cp -f "$nm/${line%%:*}" "$vendor/${line#*:}"
    done <<< "$files"
    # Leaflet's own marker and layer images; the dashboard draws its markers itself, but the
    # stylesheet refers to these.
    cp -f "$nm"/leaflet/dist/images/*.png "$vendor/images/"
    echo "web-deps: web/vendor/ updated (leaflet $(node -p "require('$nm/leaflet/package.json').version" 2>/dev/null || echo ?)," \
         "uplot $(node -p "require('$nm/uplot/package.json').version" 2>/dev/null || echo ?))"
fi
