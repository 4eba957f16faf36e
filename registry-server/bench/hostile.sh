#!/bin/sh
# Hostile requests against a running node (dev.grove.node.fuzz.HostileRequests, the generator behind
# HostileRequestsFuzzTest): every operation of docs/openapi.yaml with hostile parameters, headers, bodies and framing,
# one connection each. Prints the histogram of answers ("closed": the node closed the connection without one, as for a
# broken chunk size) and the first 5xx; exits 1 if any answer was a 5xx. Nothing it sends is storable, so the node's
# stored state is the same afterwards.
#
#   registry-server/bench/hostile.sh [URL [COUNT [SEED [THREADS]]]]    (default: http://localhost:8080 10000 1 4)
#
# Builds cli/target/grove.jar and the test classes first when they are missing (GROVE_BUILD=1 forces it).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
if [ "${GROVE_BUILD:-0}" = 1 ] || [ ! -f cli/target/grove.jar ] \
    || [ ! -f registry-server/target/test-classes/dev/grove/node/fuzz/HostileRequests.class ]; then
  ./mvnw -B -q -o -DskipTests -pl cli -am package >&2
fi
exec java -Dgrove.repository="$repo" \
  -cp "registry-server/target/test-classes:cli/target/grove.jar" \
  dev.grove.node.fuzz.HostileRequests "${1:-http://localhost:8080}" "${2:-10000}" "${3:-1}" "${4:-4}"
