#!/bin/sh
# Installs franc@6.2.0 into a temporary directory and rewrites RESULTS.md. Needs node (>= 18) and npm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund franc@6.2.0 >/dev/null)
node "$here/compare-franc.mjs" "$tmp/node_modules"
