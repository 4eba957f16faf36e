#!/bin/sh
# Manual smoke check (not part of the Maven build): compiles the engine with TeaVM 0.15.0 to JavaScript and
# WebAssembly-GC, runs Main on the JVM, in Node (JS build) and in headless Chromium (Wasm-GC build), and prints the three
# outputs. Expected: Wasm-GC identical to the JVM bit for bit (and to GoldenOutputsTest); the JS build within a few ulp.
# Needs: /usr/bin/chromium (apt-get install -y chromium), node, python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
work=$(mktemp -d)
mkdir -p "$work/src/main/java/check"
cp "$here/pom.xml" "$work/"
cp "$here/Main.java" "$work/src/main/java/check/"
cp -r "$repo/browser-runtime/src/main/java/dev" "$work/src/main/java/"
cd "$work"
"$repo/mvnw" -B -q package
echo "--- JVM";     java -cp target/classes check.Main
echo "--- TeaVM JS (node)"
cp target/js/classes.js classes.cjs
node -e "require('./classes.cjs').main([])"
echo "--- TeaVM Wasm-GC (chromium)"
cp "$here/index.html" target/wasm/
python3 -m http.server 18765 --bind 127.0.0.1 --directory target/wasm >/dev/null 2>&1 &
server=$!
sleep 1
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/profile" --virtual-time-budget=10000 \
  --dump-dom http://127.0.0.1:18765/index.html 2>/dev/null | sed -n '/<pre/,/<\/pre>/p'
kill "$server"
