#!/bin/sh
# Benchmark of the Grove browser runtime (report only, nothing asserted): inference time per input on the JVM, in
# headless Chromium with the Wasm-GC and the JavaScript builds, and TensorFlow.js (cpu and wasm backends, from npm, served
# locally) on the same weights; time from page load to the first verified result (the node-backed browser test prints
# that); the runtime's download size. Needs /usr/bin/chromium and npm (for TensorFlow.js).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
[ -d "$here/node_modules/@tensorflow/tfjs" ] || (cd "$here" && npm install --no-audit --no-fund --loglevel=error)
# one reactor run: the TeaVM build (process-classes), the test classes, and the classpath (the last module writes it)
./mvnw -B -q -o -pl browser-runtime -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$repo/browser-runtime/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
cd browser-runtime
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.grove.runtime.web.BenchMain "$here"
