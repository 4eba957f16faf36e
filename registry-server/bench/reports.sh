#!/usr/bin/env bash
# Grove anonymous-reports benchmark: reports accepted per second (POST /v1/reports, every token prepared in advance),
# next to two baselines from the same run and the same node: GET /healthz (the node's cheapest route) and token issuance
# (POST /v1/reports/tokens, one RSA-2048 blind signature each). Rerunnable; leaves nothing running and nothing behind
# (except the results, appended to the results file).
#
# Needs: JDK 17 (java), curl, wrk on PATH (Debian: apt-get install -y wrk; this script installs nothing), and the node's
# shaded jar (build: ./mvnw -B -q -o -DskipTests package). No root, no system config: the node keeps its embedded
# PostgreSQL and blobs in a temp directory.
#
# What it does, from the repository root or anywhere:
#   registry-server/bench/reports.sh
#  1. starts a node (grove.jar serve, token issuance limit raised out of the way) on a temp data dir and publishes one
#     package (GenerateBundles.java);
#  2. gets TOKENS + WARM_REPORTS tokens from the node as a browser would (PrepareReports.java: blind, ask, unblind,
#     verify) and writes one report per token (simulated honest visitors, answers randomized);
#  3. wrk (-t THREADS -c CONNS -d DURATION --latency): GET /healthz, POST /v1/reports/tokens (pre-blinded requests,
#     cycled), POST /v1/reports (post-lines.lua: each report once; only 202s count), each after a warm-up (the reports'
#     warm-up spends WARM_REPORTS tokens of its own);
#  4. checks that the node's count of the package's reports is the number of 202s, that a replayed token is refused
#     (409), and appends a markdown section to registry-server/bench/results-<date>.md (RESULTS=file to choose).
#
# Settings (environment): THREADS=2 CONNS=32 DURATION=10s WARMUP=3s TOKENS=20000 WARM_REPORTS=2000 TIMEOUT=10s
#   NODE_PORT=18080  JAVA_OPTS (for the node)  GROVE_JAR (default cli/target/grove.jar)  KEEP=1 keeps the
#   temp directory. When the reports run out before DURATION ends, the 202s over wrk's run time understate the rate
#   (the table says so): raise TOKENS for a full-length run.
# Exit status: 0 when every run finished and every check held, 1 otherwise (the table is printed either way).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAR=${GROVE_JAR:-$ROOT/cli/target/grove.jar}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
TIMEOUT=${TIMEOUT:-10s}
TOKENS=${TOKENS:-20000}
WARM_REPORTS=${WARM_REPORTS:-2000}
NODE_PORT=${NODE_PORT:-18080}
TODAY=$(date +%Y-%m-%d)
RESULTS=${RESULTS:-$HERE/results-$TODAY.md}

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

missing=0
for tool in java curl wrk; do
    command -v "$tool" >/dev/null 2>&1 || { say "missing: $tool"; missing=1; }
done
[ "$missing" = 0 ] || { say "install the load tool with: apt-get install -y wrk   (and a JDK 17, curl)"; exit 1; }
[ -f "$JAR" ] || die "no $JAR; build it with: (cd \"$ROOT\" && ./mvnw -B -q -o -DskipTests package)"
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_in_use "$NODE_PORT" && die "port $NODE_PORT is in use; set NODE_PORT"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/grove-reports-bench.XXXXXX")
NODE_PID=""
cleanup() {
    local rc=$?
    set +e
    if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
        say "stopping the node (its shutdown hook stops the embedded PostgreSQL)"
        kill -TERM "$NODE_PID" 2>/dev/null
        for _ in $(seq 450); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$NODE_PID" 2>/dev/null && { say "node did not stop within 45 s; killing it"; kill -KILL "$NODE_PID"; }
    fi
    wait 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp "$JAR" "$WORK/grove.jar"   # a private copy: a rebuild while the node runs would pull classes from under it
JAR="$WORK/grove.jar"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" -v c="$(nproc)" 'BEGIN { exit !(l > c / 4) }'; then
    say "warning: load average $LOAD_BEFORE before the run: something else is using the CPUs; figures will be low"
fi

# --- 1. node and package ------------------------------------------------------------------------------------------
java -cp "$JAR" "$HERE/GenerateBundles.java" --out "$WORK/gen" --count 1 >&2
BLOB_DIGEST=$(tr -d '\n' < "$WORK/gen/blob.digest")
VERSION_PATH=$(head -n 1 "$WORK/gen/prime.paths")
NODE="http://127.0.0.1:$NODE_PORT"
say "starting the node on $NODE (log: node.log in the temp directory)"
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -jar "$JAR" serve --port "$NODE_PORT" --host 127.0.0.1 --data "$WORK/data" \
    --report-token-burst 1000000000 --report-tokens-per-hour 1000000000 > "$WORK/node.log" 2>&1 &
NODE_PID=$!
for _ in $(seq 240); do
    curl -fsS -o /dev/null "$NODE/healthz" 2>/dev/null && break
    kill -0 "$NODE_PID" 2>/dev/null || { tail -n 30 "$WORK/node.log" >&2; die "the node exited"; }
    sleep 0.5
done
curl -fsS -o /dev/null "$NODE/healthz" || die "the node did not answer /healthz in 120 s"
status=$(curl -sS -o "$WORK/put.out" -w '%{http_code}' -X PUT --data-binary @"$WORK/gen/blob.bin" \
    -H 'Content-Type: application/octet-stream' "$NODE/v1/blobs/$BLOB_DIGEST")
case "$status" in 200|201) ;; *) cat "$WORK/put.out" >&2; die "blob upload answered $status";; esac
status=$(head -n 1 "$WORK/gen/prime.jsonl" | curl -sS -o "$WORK/publish.out" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' --data-binary @- "$NODE/v1/packages")
[ "$status" = 201 ] || { cat "$WORK/publish.out" >&2; die "publish answered $status"; }
for _ in $(seq 100); do curl -fsS -o /dev/null "$NODE/v1/reports/issuer" 2>/dev/null && break; sleep 0.1; done

# --- 2. tokens and reports ----------------------------------------------------------------------------------------
say "getting $((TOKENS + WARM_REPORTS)) tokens from the node as a browser would"
java -cp "$JAR" "$HERE/PrepareReports.java" --node "$NODE" --version-path "$VERSION_PATH" \
    --tokens $((TOKENS + WARM_REPORTS)) --threads "$THREADS" --out "$WORK/prep" >&2
DIGEST=$(cat "$WORK/prep/package.digest")
head -n "$WARM_REPORTS" "$WORK/prep/reports.jsonl" > "$WORK/prep/warm.jsonl"
tail -n +"$((WARM_REPORTS + 1))" "$WORK/prep/reports.jsonl" > "$WORK/prep/measured.jsonl"

# --- 3. wrk -------------------------------------------------------------------------------------------------------
PG_MASTER=$(head -n 1 "$WORK/data/postgres/postmaster.pid" 2>/dev/null || true)
HZ=$(getconf CLK_TCK)
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
    local sum=0 p
    [ -n "$PG_MASTER" ] || { echo 0; return; }
    for p in "$PG_MASTER" $(ps -o pid= --ppid "$PG_MASTER" 2>/dev/null); do sum=$((sum + $(proc_ticks "$p"))); done
    echo "$sum"
}
WRK=(wrk "-t$THREADS" "-c$CONNS" "-d$DURATION" --latency --timeout "$TIMEOUT")
run_wrk() {  # label url [wrk args...]
    local label=$1 url=$2 node0 pg0
    shift 2
    say "wrk $label: $url"
    node0=$(proc_ticks "$NODE_PID"); pg0=$(pg_ticks)
    "${WRK[@]}" "$@" "$url" > "$WORK/wrk-$label.txt" 2>&1 || { cat "$WORK/wrk-$label.txt" >&2; die "wrk $label failed"; }
    echo "cpu-ticks $(( $(proc_ticks "$NODE_PID") - node0 )) $(( $(pg_ticks) - pg0 ))" >> "$WORK/wrk-$label.txt"
    sed 's/^/    /' "$WORK/wrk-$label.txt" >&2
}
say "warm-up $WARMUP: healthz, tokens; $WARM_REPORTS reports"
wrk "-t$THREADS" "-c$CONNS" "-d$WARMUP" "$NODE/healthz" > /dev/null 2>&1 || true
LINES="$WORK/prep/blinded.jsonl" POST_PATH=/v1/reports/tokens EXPECT=200 CYCLE=1 WRK_THREADS="$THREADS" \
    wrk "-t$THREADS" "-c$CONNS" "-d$WARMUP" -s "$HERE/post-lines.lua" "$NODE" > /dev/null 2>&1 || true
LINES="$WORK/prep/warm.jsonl" POST_PATH=/v1/reports EXPECT=202 WRK_THREADS="$THREADS" \
    wrk "-t$THREADS" "-c$CONNS" "-d$WARMUP" -s "$HERE/post-lines.lua" "$NODE" > "$WORK/wrk-warm.txt" 2>&1 || true

run_wrk healthz "$NODE/healthz"
LINES="$WORK/prep/blinded.jsonl" POST_PATH=/v1/reports/tokens EXPECT=200 CYCLE=1 WRK_THREADS="$THREADS" \
    run_wrk tokens "$NODE" -s "$HERE/post-lines.lua"
LINES="$WORK/prep/measured.jsonl" POST_PATH=/v1/reports EXPECT=202 WRK_THREADS="$THREADS" \
    run_wrk reports "$NODE" -s "$HERE/post-lines.lua"

# --- 4. checks and results ----------------------------------------------------------------------------------------
to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
        if (u == "us") n = n / 1000; else if (u == "s") n = n * 1000; else if (u == "m") n = n * 60000;
        printf "%.2f", n }'
}
field() { awk "$2" "$WORK/wrk-$1.txt"; }
rps() { field "$1" '/^Requests\/sec:/ { print $2 }'; }
pct() { to_ms "$(field "$1" "\$1 == \"$2\" { print \$2 }")"; }
total() { field "$1" '/ requests in / { print $1 }'; }
seconds() { to_ms "$(field "$1" '/ requests in / { sub(/,$/, "", $4); print $4 }')" | awk '{ printf "%.2f", $1 / 1000 }'; }
status_count() { local n; n=$(field "$1" "\$1 == \"post-status\" && \$2 == \"$2\" { print \$3 }"); echo "${n:-0}"; }
others() { field "$1" "\$1 == \"post-status\" && \$2 != \"$2\" && \$2 != \"after-exhaustion\" { printf \"%s%s x%s\", sep, \$2, \$3; sep = \", \" }"; }
sockerr() { local s; s=$(field "$1" '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }'); echo "${s:-none}"; }
cpu_us() {
    local ticks n
    ticks=$(field "$1" "\$1 == \"cpu-ticks\" { print \$$2 }"); n=$3
    awk -v t="${ticks:-0}" -v n="${n:-0}" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "n/a" }'
}

ok=1
ACCEPTED=$(status_count reports 202)
ISSUED=$(status_count tokens 200)
[ -z "$(others reports 202)" ] || { say "check failed: reports answered other than 202: $(others reports 202)"; ok=0; }
[ -z "$(others tokens 200)" ] || { say "check failed: token requests answered other than 200: $(others tokens 200)"; ok=0; }
for label in healthz tokens reports; do
    [ "$(sockerr "$label")" = none ] || { say "check failed: socket errors in $label"; ok=0; }
done
EXHAUSTED=$(field reports '$1 == "post-exhausted-threads" { print $2 }')
REPORT_SECONDS=$(seconds reports)
if [ "${EXHAUSTED:-0}" != 0 ]; then
    say "note: the reports ran out before $DURATION (raise TOKENS for a full-length run): the rate is a lower bound"
fi
STORED=$(curl -fsS "$NODE/v1/reports/$DIGEST" | grep -o '"count":[0-9]*' | head -n 1 | cut -d: -f2)
# Every 202 is stored; requests still in flight when wrk stopped may be stored without wrk seeing their 202, but never
# more than were built.
MIN_STORED=$(( $(status_count warm 202) + ACCEPTED ))
MAX_STORED=$(( $(field warm '$1 == "post-built" { print $2 }') + $(field reports '$1 == "post-built" { print $2 }') ))
[ "$STORED" -ge "$MIN_STORED" ] && [ "$STORED" -le "$MAX_STORED" ] \
    || { say "check failed: the node holds $STORED reports; 202s were $MIN_STORED, requests built $MAX_STORED"; ok=0; }
# The last prepared report, sent twice (wrk may not have sent it): the second answer must be 409.
tail -n 1 "$WORK/prep/measured.jsonl" > "$WORK/replay.json"
FIRST=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary @"$WORK/replay.json" "$NODE/v1/reports")
REPLAY=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data-binary @"$WORK/replay.json" "$NODE/v1/reports")
[ "$REPLAY" = 409 ] || { say "check failed: a replayed token answered $REPLAY, not 409"; ok=0; }
SHOWN=$(curl -fsS "$NODE/v1/reports/$DIGEST" | grep -o '"helped":{[^}]*}' | head -n 1)

PREP=$(cat "$WORK/prep/prepare.txt")
PREP_RATE=$(awk '{ printf "%.0f", $2 / $4 }' <<< "$PREP")
row() {  # label description rate count
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$2" "$3" "$(pct "$1" 50%)" "$(pct "$1" 99%)" "$4" \
        "$(sockerr "$1")" "$(cpu_us "$1" 2 "$(total "$1")")" "$(cpu_us "$1" 3 "$(total "$1")")"
}
HEALTH_RPS=$(printf '%.0f' "$(rps healthz)")
TOKENS_RPS=$(printf '%.0f' "$(rps tokens)")
REPORTS_RPS=$(awk -v n="$ACCEPTED" -v s="$REPORT_SECONDS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
TABLE=$(
    echo "| run | per second | p50 ms | p99 ms | count | socket errors | node CPU us/req | PostgreSQL CPU us/req |"
    echo "|---|---:|---:|---:|---:|---|---:|---:|"
    row healthz "node \`GET /healthz\` (baseline: one \`SELECT 1\`)" "$HEALTH_RPS" "$(total healthz)"
    row tokens "node \`POST /v1/reports/tokens\` (one RSA-2048 blind signature on a worker)" "$TOKENS_RPS" "$ISSUED"
    row reports "node \`POST /v1/reports\` (202s only: verify, spend and store in one transaction)" "$REPORTS_RPS" "$ACCEPTED"
    echo
    echo "Reports accepted: **$REPORTS_RPS/s** = $(awk -v a="$REPORTS_RPS" -v b="$HEALTH_RPS" 'BEGIN { printf "%.2f", a / b }')x" \
        "the node's /healthz and $(awk -v a="$REPORTS_RPS" -v b="$TOKENS_RPS" 'BEGIN { printf "%.1f", a / b }')x its token issuance;" \
        "$ACCEPTED accepted in $REPORT_SECONDS s$( [ "${EXHAUSTED:-0}" != 0 ] && echo " (the prepared tokens ran out: the rate is a lower bound)")."
    echo "Tokens prepared beforehand as a browser would (blind, ask, unblind, verify; $THREADS client threads): $PREP_RATE/s end to end."
    echo "Checks: the node holds $STORED reports for the package (202s seen: $MIN_STORED, requests built: $MAX_STORED," \
        "warm-up included); a replayed token: $REPLAY;" \
        "its aggregate: \`$SHOWN\`."
)
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
JAVA_VERSION=$({ java -version 2>&1 || true; } | head -n 1)
WRK_VERSION=$({ wrk -v 2>&1 || true; } | head -n 1 | cut -d' ' -f1-2)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$ROOT" diff --quiet HEAD -- registry-server/src schemas/src 2>/dev/null; then COMMIT="$COMMIT (with uncommitted changes)"; fi
{
    echo
    echo "## Anonymous reports ($TODAY, \`registry-server/bench/reports.sh\`)"
    echo
    echo "On loopback: $(nproc) cores ($CPU), $JAVA_VERSION, $WRK_VERSION; commit $COMMIT."
    echo "wrk \`-t$THREADS -c$CONNS -d$DURATION --latency --timeout $TIMEOUT\`, each run after a $WARMUP warm-up (the reports'"
    echo "warm-up spends $WARM_REPORTS tokens of its own); wrk and the node (default verticle count, embedded PostgreSQL)"
    echo "share the cores. Every report carries its own token, got from the node before the runs; the issuance limit was"
    echo "raised out of the way. Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "$TABLE"
} >> "$RESULTS"
echo
echo "$TABLE"
echo
say "appended to $RESULTS"
[ "$ok" = 1 ] || { say "some checks failed (see above)"; exit 1; }
