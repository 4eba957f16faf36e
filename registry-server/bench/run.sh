#!/usr/bin/env bash
# Grove load benchmark: version-metadata reads/s and publishes/s on loopback, next to nginx serving the same JSON document
# as a ceiling, and GET /healthz as the node's cheapest route. Rerunnable; leaves nothing running and nothing behind
# (except the results file).
#
# Needs: JDK 17 (java), curl, sha256sum, wrk and nginx on PATH (Debian: apt-get install -y wrk nginx-light; this script
# installs nothing), and the node's shaded jar (build: ./mvnw -B -q -o -DskipTests package). No root, no system config:
# the node keeps its embedded PostgreSQL and blobs in a temp directory, nginx runs in the foreground with -p on a temp
# prefix and its own config.
#
# What it does, from the repository root or anywhere:
#   registry-server/bench/run.sh
#  1. generates COUNT signed bundles (GenerateBundles.java) that all reference one small blob;
#  2. starts a node (grove.jar serve) on a temp data dir, uploads the blob, publishes one package per namespace, fetches
#     the version metadata document of the first and writes the same bytes to a static file that nginx serves
#     (sendfile on, access_log off, worker_processes auto); checks both answer 200 with the same sha256;
#  3. wrk (-t THREADS -c CONNS -d DURATION --latency, after a WARMUP run of each URL): node GET /healthz, node GET
#     /v1/packages/bench0/langid/versions/1.0.0, nginx GET of the same bytes, then POST /v1/packages with publish.lua,
#     which sends every bundle at most once and counts response statuses (only 201s count as publishes);
#  4. prints a markdown table (requests/s, p50, p99, non-2xx, socket errors; node/nginx ratio) and writes it with the
#     machine, versions and settings to registry-server/bench/results-<date>.md (RESULTS=file to choose).
#
# Settings (environment): THREADS=2 CONNS=32 DURATION=20s WARMUP=5s COUNT=20000 (bundles for the publish run)
#   TIMEOUT=10s (wrk --timeout: a response slower than this counts as a socket timeout, not in the latencies)
#   MODE=names (distinct package names at 1.0.0) | versions (distinct versions of one package per namespace)
#   NAMESPACES=1 (publishes spread round-robin over bench0..benchK-1)  NODE_PORT=18080 NGINX_PORT=18090
#   JAVA_OPTS (for the node)  GROVE_JAR (default cli/target/grove.jar)  KEEP=1 keeps the temp directory.
#   GROVE_LOG_LEVEL etc. reach the node unchanged (by default it writes one JSON access-log line per request, to a file).
# Exit status: 0 when every run finished and every check held, 1 otherwise (the table is printed either way).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAR=${GROVE_JAR:-$ROOT/cli/target/grove.jar}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
TIMEOUT=${TIMEOUT:-10s}
COUNT=${COUNT:-20000}
MODE=${MODE:-names}
NAMESPACES=${NAMESPACES:-1}
NODE_PORT=${NODE_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18090}
TODAY=$(date +%Y-%m-%d)
RESULTS=${RESULTS:-$HERE/results-$TODAY.md}

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- tools --------------------------------------------------------------------------------------------------------
missing=0
for tool in java curl sha256sum wrk nginx; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        say "missing: $tool"
        missing=1
    fi
done
if [ "$missing" = 1 ]; then
    say "install the load tools with: apt-get install -y wrk nginx-light   (and a JDK 17, curl, coreutils)"
    exit 1
fi
[ -f "$JAR" ] || die "no $JAR; build it with: (cd \"$ROOT\" && ./mvnw -B -q -o -DskipTests package)"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_in_use "$NODE_PORT" && die "port $NODE_PORT is in use; set NODE_PORT"
port_in_use "$NGINX_PORT" && die "port $NGINX_PORT is in use; set NGINX_PORT"

# --- clean-up -----------------------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/grove-bench.XXXXXX")
chmod 755 "$WORK"   # nginx workers may run as another user (nobody) when started as root: they read the static file
NODE_PID=""
NGINX_PID=""
cleanup() {
    local rc=$?
    set +e
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$NGINX_PID" 2>/dev/null && kill -KILL "$NGINX_PID" 2>/dev/null
    fi
    if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
        say "stopping the node (its shutdown hook stops the embedded PostgreSQL)"
        kill -TERM "$NODE_PID" 2>/dev/null
        for _ in $(seq 450); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$NODE_PID" 2>/dev/null; then
            say "node did not stop within 45 s; killing it"
            kill -KILL "$NODE_PID" 2>/dev/null
        fi
    fi
    wait 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then
        say "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Run from a private copy of the jar: a rebuild in the working tree while the node runs would pull classes from under it.
cp "$JAR" "$WORK/grove.jar"
JAR="$WORK/grove.jar"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_BEFORE%% *}" -v c="$(nproc)" 'BEGIN { exit !(l > c / 4) }'; then
    say "warning: load average $LOAD_BEFORE before the run: something else is using the CPUs; figures will be low"
fi

# --- 1. bundles ---------------------------------------------------------------------------------------------------
say "generating $COUNT bundles ($MODE, $NAMESPACES namespace(s))"
java -cp "$JAR" "$HERE/GenerateBundles.java" --out "$WORK/gen" --count "$COUNT" --namespaces "$NAMESPACES" \
    --mode "$MODE" >&2
BLOB_DIGEST=$(tr -d '\n' < "$WORK/gen/blob.digest")
READ_PATH=$(head -n 1 "$WORK/gen/prime.paths")

# --- 2. node and nginx --------------------------------------------------------------------------------------------
NODE="http://127.0.0.1:$NODE_PORT"
NGINX="http://127.0.0.1:$NGINX_PORT"
say "starting the node on $NODE (log: node.log in the temp directory)"
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -jar "$JAR" serve --port "$NODE_PORT" --host 127.0.0.1 --data "$WORK/data" \
    > "$WORK/node.log" 2>&1 &
NODE_PID=$!
for _ in $(seq 240); do
    if curl -fsS -o /dev/null "$NODE/healthz" 2>/dev/null; then break; fi
    kill -0 "$NODE_PID" 2>/dev/null || { tail -n 30 "$WORK/node.log" >&2; die "the node exited"; }
    sleep 0.5
done
curl -fsS -o /dev/null "$NODE/healthz" || { tail -n 30 "$WORK/node.log" >&2; die "the node did not answer /healthz in 120 s"; }

status=$(curl -sS -o "$WORK/put.out" -w '%{http_code}' -X PUT --data-binary @"$WORK/gen/blob.bin" \
    -H 'Content-Type: application/octet-stream' "$NODE/v1/blobs/$BLOB_DIGEST")
case "$status" in 200|201) ;; *) cat "$WORK/put.out" >&2; die "blob upload answered $status";; esac
while IFS= read -r bundle; do
    status=$(printf '%s' "$bundle" | curl -sS -o "$WORK/publish.out" -w '%{http_code}' -X POST \
        -H 'Content-Type: application/json' --data-binary @- "$NODE/v1/packages")
    [ "$status" = 201 ] || { cat "$WORK/publish.out" >&2; die "priming publish answered $status"; }
done < "$WORK/gen/prime.jsonl"

# The version document carries the entry's inclusion proof in the latest checkpoint: wait until the entry is in one
# (the node integrates every 200 ms), so the document stays the same bytes for the read runs.
for _ in $(seq 1 100); do
    curl -fsS "$NODE$READ_PATH" 2>/dev/null | grep -q '"treeSize"' && break
    sleep 0.1
done
mkdir -p "$WORK/nginx/html" "$WORK/nginx/logs" "$WORK/nginx/tmp"
status=$(curl -sS -o "$WORK/nginx/html/version.json" -w '%{http_code}' "$NODE$READ_PATH")
[ "$status" = 200 ] || die "GET $READ_PATH answered $status"
chmod 755 "$WORK/nginx" "$WORK/nginx/html"
chmod 644 "$WORK/nginx/html/version.json"
cat > "$WORK/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    types { application/json json; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/nginx/html;
    }
}
EOF
say "starting nginx on $NGINX"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" &
NGINX_PID=$!
for _ in $(seq 50); do
    curl -fsS -o /dev/null "$NGINX/version.json" 2>/dev/null && break
    kill -0 "$NGINX_PID" 2>/dev/null || { cat "$WORK/nginx/logs/error.log" >&2; die "nginx exited"; }
    sleep 0.1
done

# Same bytes from both, twice from the node (the document must not change between requests).
curl -fsS -o "$WORK/from-node.json" "$NODE$READ_PATH" || die "node read failed"
curl -fsS -o "$WORK/from-nginx.json" "$NGINX/version.json" || die "nginx read failed"
SHA_NODE=$(sha256sum < "$WORK/from-node.json" | cut -d' ' -f1)
SHA_FILE=$(sha256sum < "$WORK/nginx/html/version.json" | cut -d' ' -f1)
SHA_NGINX=$(sha256sum < "$WORK/from-nginx.json" | cut -d' ' -f1)
DOC_BYTES=$(wc -c < "$WORK/from-node.json" | tr -d ' ')
[ "$SHA_NODE" = "$SHA_FILE" ] && [ "$SHA_NGINX" = "$SHA_FILE" ] \
    || die "node and nginx bytes differ (node $SHA_NODE, file $SHA_FILE, nginx $SHA_NGINX)"
say "version document: $DOC_BYTES bytes, sha256 $SHA_FILE, same from the node and nginx"

# --- 3.-5. wrk ----------------------------------------------------------------------------------------------------
# CPU time (clock ticks) of the node's JVM and of its PostgreSQL (the postmaster under the temp data dir and its backends),
# from /proc, around each run: "us/request" shows where the work goes even when other processes share the CPUs.
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
warm() {  # url
    say "warm-up $WARMUP: $1"
    wrk "-t$THREADS" "-c$CONNS" "-d$WARMUP" "$1" > /dev/null 2>&1 || true
}
warm "$NODE/healthz"
run_wrk healthz "$NODE/healthz"
warm "$NODE$READ_PATH"
run_wrk node-read "$NODE$READ_PATH"
warm "$NGINX/version.json"
run_wrk nginx-read "$NGINX/version.json"
BUNDLES="$WORK/gen/bundles.jsonl" WRK_THREADS="$THREADS" run_wrk publish "$NODE" -s "$HERE/publish.lua"

# --- parse --------------------------------------------------------------------------------------------------------
to_ms() {  # wrk latency (850.00us, 1.23ms, 1.02s, 2.00m) -> milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
        if (u == "us") n = n / 1000; else if (u == "s") n = n * 1000; else if (u == "m") n = n * 60000;
        printf "%.2f", n }'
}
field() { awk "$2" "$WORK/wrk-$1.txt"; }
rps() { field "$1" '/^Requests\/sec:/ { print $2 }'; }
pct() { to_ms "$(field "$1" "\$1 == \"$2\" { print \$2 }")"; }
total() { field "$1" '/ requests in / { print $1 }'; }
seconds() { to_ms "$(field "$1" '/ requests in / { sub(/,$/, "", $4); print $4 }')" | awk '{ printf "%.2f", $1 / 1000 }'; }
non2xx() { local n; n=$(field "$1" '/Non-2xx or 3xx responses:/ { print $NF }'); echo "${n:-0}"; }
sockerr() {
    local s; s=$(field "$1" '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }')
    echo "${s:-none}"
}

ok=1
for label in healthz node-read nginx-read; do
    if [ "$(non2xx "$label")" != 0 ] || [ "$(sockerr "$label")" != none ]; then
        say "check failed: $label had non-2xx responses or socket errors"
        ok=0
    fi
done
PUB_201=$(field publish '$1 == "publish-status" && $2 == "201" { print $3 }')
PUB_201=${PUB_201:-0}
PUB_OTHER=$(field publish '$1 == "publish-status" && $2 != "201" && $2 != "after-exhaustion" { printf "%s%s x%s", sep, $2, $3; sep = ", " }')
PUB_AFTER=$(field publish '$1 == "publish-status" && $2 == "after-exhaustion" { print $3 }')
PUB_BUILT=$(field publish '$1 == "publish-built" { print $2 }')
PUB_LOCATION=$(field publish '$1 == "publish-location" { print $2 }')
PUB_LINES=$(field publish '$1 == "publish-lines" { print $2 }')
PUB_EXHAUSTED=$(field publish '$1 == "publish-exhausted-threads" { print $2 }')
PUB_SECONDS=$(seconds publish)
PUBS_PER_S=$(awk -v n="$PUB_201" -v s="$PUB_SECONDS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
[ -z "$PUB_OTHER" ] || { say "check failed: publishes answered other than 201: $PUB_OTHER"; ok=0; }
[ "$PUB_201" -gt 0 ] || { say "check failed: no publish succeeded"; ok=0; }
[ "$(sockerr publish)" = none ] || { say "check failed: socket errors during publishes"; ok=0; }
if [ "${PUB_EXHAUSTED:-0}" != 0 ]; then
    say "note: $PUB_EXHAUSTED wrk thread(s) ran out of bundles before $DURATION; raise COUNT for a full-length run"
fi
# A version published during the run is readable afterwards.
if [ -n "$PUB_LOCATION" ]; then
    CHECK_STATUS=$(curl -sS -o /dev/null -w '%{http_code}' "$NODE$PUB_LOCATION")
    [ "$CHECK_STATUS" = 200 ] || { say "check failed: GET $PUB_LOCATION after the publish run answered $CHECK_STATUS"; ok=0; }
fi
NODE_LOG_BYTES=$(wc -c < "$WORK/node.log" | tr -d ' ')

cpu_us() {  # label column(2 node, 3 postgres) -> CPU microseconds per completed request
    local ticks n
    ticks=$(field "$1" "\$1 == \"cpu-ticks\" { print \$$2 }")
    n=$(total "$1")
    awk -v t="${ticks:-0}" -v n="${n:-0}" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "n/a" }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
row() {  # label description rps [cpu columns]
    local node_cpu=${4:-$(cpu_us "$1" 2)} pg_cpu=${5:-$(cpu_us "$1" 3)}
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$2" "$3" "$(pct "$1" 50%)" "$(pct "$1" 99%)" \
        "$(total "$1")" "$(non2xx "$1")" "$(sockerr "$1")" "$node_cpu" "$pg_cpu"
}
NODE_RPS=$(rps node-read)
NGINX_RPS=$(rps nginx-read)
TABLE=$(
    echo "| run | requests/s | p50 ms | p99 ms | requests | non-2xx/3xx | socket errors | node CPU us/req | PostgreSQL CPU us/req |"
    echo "|---|---:|---:|---:|---:|---:|---|---:|---:|"
    row node-read "node \`GET $READ_PATH\` ($DOC_BYTES B)" "$(printf '%.0f' "$NODE_RPS")"
    row nginx-read "nginx static file, same bytes (sendfile)" "$(printf '%.0f' "$NGINX_RPS")" - -
    row healthz "node \`GET /healthz\` (one \`SELECT 1\`)" "$(printf '%.0f' "$(rps healthz)")"
    row publish "node \`POST /v1/packages\` (201s only)" "$PUBS_PER_S"
    echo
    echo "Node/nginx for version-metadata reads: **$(ratio "$NODE_RPS" "$NGINX_RPS")x** the requests/s," \
        "p99 $(ratio "$(pct node-read 99%)" "$(pct nginx-read 99%)")x nginx's."
    echo "Publishes: ${PUB_201} created (201) in ${PUB_SECONDS} s; other statuses: ${PUB_OTHER:-none};" \
        "bundles taken ${PUB_BUILT:-?} of ${PUB_LINES:-?}${PUB_AFTER:+; $PUB_AFTER health checks after running out}."
)

CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
JAVA_VERSION=$({ java -version 2>&1 || true; } | head -n 1)
WRK_VERSION=$({ wrk -v 2>&1 || true; } | head -n 1 | cut -d' ' -f1-2)   # wrk -v exits 1
NGINX_VERSION=$({ nginx -v 2>&1 || true; } | sed 's/^nginx version: //')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$ROOT" diff --quiet HEAD -- registry-server/src schemas/src 2>/dev/null; then COMMIT="$COMMIT (with uncommitted changes)"; fi
{
    echo "# Grove load benchmark, $TODAY"
    echo
    echo "\`registry-server/bench/run.sh\` on loopback: $(nproc) cores ($CPU), $JAVA_VERSION, $WRK_VERSION, $NGINX_VERSION;"
    echo "commit $COMMIT. wrk \`-t$THREADS -c$CONNS -d$DURATION --latency --timeout $TIMEOUT\` after a $WARMUP warm-up per URL;"
    echo "wrk, the node (its default verticle count, embedded PostgreSQL) and nginx (\`worker_processes auto\`) share the cores."
    echo "Publishes: $COUNT pre-signed bundles ($MODE, $NAMESPACES namespace(s)), every one referencing one pre-uploaded blob."
    echo "Load average (1, 5, 15 min) before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Node log level: ${GROVE_LOG_LEVEL:-INFO (default: one JSON access-log line per request)}; node log written: $NODE_LOG_BYTES bytes."
    echo "Version document: $DOC_BYTES bytes, sha256 \`$SHA_FILE\`, identical from the node and from nginx."
    echo
    echo "$TABLE"
} > "$RESULTS"

echo
echo "$TABLE"
echo
say "written to $RESULTS"
[ "$ok" = 1 ] || { say "some checks failed (see above)"; exit 1; }
