#!/usr/bin/env bash
# Grove load benchmark: version-metadata reads/s and publishes/s on loopback, next to nginx serving the same JSON document
# as a ceiling, the CNCF Distribution registry serving an OCI manifest of the same package as a registry peer, and
# GET /healthz as the node's cheapest route. Rerunnable; leaves nothing running and nothing behind (except the results
# file).
#
# Needs: JDK 17 (java), curl, jq, sha256sum, wrk, nginx and docker-registry (CNCF Distribution) on PATH (Debian:
# apt-get install -y wrk nginx-light docker-registry jq; this script installs nothing), and the node's shaded jar
# (build: ./mvnw -B -q -o -pl cli -am package -DskipTests). No root, no system config: the node keeps its embedded
# PostgreSQL and blobs in a temp directory, nginx and the registry run in the foreground on temp directories with their
# own configs.
#
# What it does, from the repository root or anywhere:
#   registry-server/bench/run.sh
#  1. generates COUNT signed bundles (GenerateBundles.java) that all reference one small blob;
#  2. starts a node (grove.jar serve) on a temp data dir, uploads the blob, publishes one package per namespace, fetches
#     the version metadata document of the first and writes the same bytes to a static file that nginx serves
#     (sendfile on, access_log off, worker_processes auto); checks both answer 200 with the same sha256;
#  2b. starts Distribution (filesystem storage in the temp dir, in-memory blob descriptor cache, access log off, one
#     info line per request to a file, as the node writes one access-log line) and pushes the same package as an OCI
#     artifact with plain curl (OCI distribution API): the weights blob(s) fetched back from the node as layers, the
#     signed contract envelope the node serves as the config, an image manifest (artifactType
#     application/vnd.grove.package.v1) tagged with the version; checks that GET of the manifest by tag answers 200
#     with the digest and sha256 pushed;
#  3. wrk (-t THREADS -c CONNS -d DURATION --latency, after a WARMUP run of each URL): node GET /healthz, node GET
#     /v1/packages/bench0/langid/versions/1.0.0, nginx GET of the same bytes, Distribution GET
#     /v2/bench0/langid/manifests/1.0.0 (Accept: application/vnd.oci.image.manifest.v1+json), then POST /v1/packages
#     with publish.lua, which sends every bundle at most once and counts response statuses (only 201s count as
#     publishes);
#  4. prints a markdown table (requests/s, p50, p99, non-2xx, socket errors; the ratios node/nginx and
#     node/Distribution) and appends it with the machine, versions and settings to
#     registry-server/bench/results-<date>.md (RESULTS=file to choose).
#
# Settings (environment): THREADS=2 CONNS=32 DURATION=20s WARMUP=5s COUNT=20000 (bundles for the publish run)
#   TIMEOUT=10s (wrk --timeout: a response slower than this counts as a socket timeout, not in the latencies)
#   MODE=names (distinct package names at 1.0.0) | versions (distinct versions of one package per namespace)
#   NAMESPACES=1 (publishes spread round-robin over bench0..benchK-1)  NODE_PORT=18080 NGINX_PORT=18090
#   REGISTRY_PORT=18095 (Distribution)
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
REGISTRY_PORT=${REGISTRY_PORT:-18095}
TODAY=$(date +%Y-%m-%d)
RESULTS=${RESULTS:-$HERE/results-$TODAY.md}

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- tools --------------------------------------------------------------------------------------------------------
missing=0
for tool in java curl jq sha256sum wrk nginx docker-registry; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        say "missing: $tool"
        missing=1
    fi
done
if [ "$missing" = 1 ]; then
    say "install the load tools and peers with: apt-get install -y wrk nginx-light docker-registry jq   (and a JDK 17, curl, coreutils)"
    exit 1
fi
[ -f "$JAR" ] || die "no $JAR; build it with: (cd \"$ROOT\" && ./mvnw -B -q -o -pl cli -am package -DskipTests)"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_in_use "$NODE_PORT" && die "port $NODE_PORT is in use; set NODE_PORT"
port_in_use "$NGINX_PORT" && die "port $NGINX_PORT is in use; set NGINX_PORT"
port_in_use "$REGISTRY_PORT" && die "port $REGISTRY_PORT is in use; set REGISTRY_PORT"

# --- clean-up -----------------------------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/grove-bench.XXXXXX")
chmod 755 "$WORK"   # nginx workers may run as another user (nobody) when started as root: they read the static file
NODE_PID=""
NGINX_PID=""
REGISTRY_PID=""
cleanup() {
    local rc=$?
    set +e
    if [ -n "$REGISTRY_PID" ] && kill -0 "$REGISTRY_PID" 2>/dev/null; then
        kill -TERM "$REGISTRY_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$REGISTRY_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$REGISTRY_PID" 2>/dev/null && kill -KILL "$REGISTRY_PID" 2>/dev/null
    fi
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

# --- 2b. Distribution with the same package as an OCI artifact ----------------------------------------------------
REGISTRY="http://127.0.0.1:$REGISTRY_PORT"
OCI_NAME=$(printf '%s' "$READ_PATH" | sed -E 's|^/v1/packages/([^/]+)/([^/]+)/versions/.*$|\1/\2|')
OCI_TAG=${READ_PATH##*/}
OCI_MANIFEST_TYPE=application/vnd.oci.image.manifest.v1+json
mkdir -p "$WORK/registry/storage" "$WORK/registry/push"
cat > "$WORK/registry/config.yml" <<EOC
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry/storage
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$REGISTRY_PORT
EOC
say "starting Distribution on $REGISTRY (log: registry/registry.log in the temp directory)"
docker-registry serve "$WORK/registry/config.yml" > "$WORK/registry/registry.log" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 100); do
    [ "$(curl -sS -o /dev/null -w '%{http_code}' "$REGISTRY/v2/" 2>/dev/null)" = 200 ] && break
    kill -0 "$REGISTRY_PID" 2>/dev/null || { tail -n 30 "$WORK/registry/registry.log" >&2; die "Distribution exited"; }
    sleep 0.1
done
[ "$(curl -sS -o /dev/null -w '%{http_code}' "$REGISTRY/v2/")" = 200 ] || die "Distribution did not answer GET /v2/"

sha256_of() { echo "sha256:$(sha256sum < "$1" | cut -d' ' -f1)"; }
push_blob() {  # file digest: monolithic upload (POST a session, PUT its location with the digest)
    local file=$1 digest=$2 location status
    status=$(curl -sS -o /dev/null -D "$WORK/registry/push/post.headers" -w '%{http_code}' -X POST \
        "$REGISTRY/v2/$OCI_NAME/blobs/uploads/")
    [ "$status" = 202 ] || die "Distribution: POST /v2/$OCI_NAME/blobs/uploads/ answered $status"
    location=$(awk 'tolower($1) == "location:" { sub(/\r$/, "", $2); print $2 }' "$WORK/registry/push/post.headers")
    case "$location" in /*) location="$REGISTRY$location";; esac
    case "$location" in *\?*) location="$location&digest=$digest";; *) location="$location?digest=$digest";; esac
    status=$(curl -sS -o "$WORK/registry/push/put.out" -w '%{http_code}' -X PUT \
        -H 'Content-Type: application/octet-stream' --data-binary @"$file" "$location")
    [ "$status" = 201 ] || { cat "$WORK/registry/push/put.out" >&2; die "Distribution: blob PUT answered $status"; }
}
# The layers are the package's artifacts as the node serves them; the config is the signed contract envelope.
jq -c '.bundle.contract' "$WORK/from-node.json" > "$WORK/registry/push/contract.json"
CONTRACT_DIGEST=$(sha256_of "$WORK/registry/push/contract.json")
push_blob "$WORK/registry/push/contract.json" "$CONTRACT_DIGEST"
LAYERS="[]"
n=0
while IFS=$'\t' read -r digest size media path; do
    n=$((n + 1))
    curl -fsS -o "$WORK/registry/push/layer-$n" "$NODE/v1/blobs/$digest" || die "node blob $digest unreadable"
    [ "$(sha256_of "$WORK/registry/push/layer-$n")" = "$digest" ] || die "node blob $digest has other bytes"
    push_blob "$WORK/registry/push/layer-$n" "$digest"
    LAYERS=$(jq -c --arg d "$digest" --argjson s "$size" --arg m "$media" --arg p "$path" \
        '. + [{mediaType: $m, digest: $d, size: $s, annotations: {"org.opencontainers.image.title": $p}}]' <<< "$LAYERS")
done < <(jq -r '.artifacts[] | [.digest, (.size | tostring), .mediaType, .path] | @tsv' "$WORK/from-node.json")
[ "$n" -gt 0 ] || die "the version document lists no artifacts"
jq -c -n --arg cd "$CONTRACT_DIGEST" --argjson cs "$(wc -c < "$WORK/registry/push/contract.json")" \
    --argjson layers "$LAYERS" --arg ref "$OCI_NAME@$OCI_TAG" --arg mt "$OCI_MANIFEST_TYPE" '{
        schemaVersion: 2,
        mediaType: $mt,
        artifactType: "application/vnd.grove.package.v1",
        config: {mediaType: "application/vnd.grove.contract.v1+json", digest: $cd, size: $cs},
        layers: $layers,
        annotations: {"org.opencontainers.image.ref.name": $ref}
    }' > "$WORK/registry/push/manifest.json"
MANIFEST_DIGEST=$(sha256_of "$WORK/registry/push/manifest.json")
status=$(curl -sS -o "$WORK/registry/push/manifest.out" -D "$WORK/registry/push/manifest.headers" -w '%{http_code}' \
    -X PUT -H "Content-Type: $OCI_MANIFEST_TYPE" --data-binary @"$WORK/registry/push/manifest.json" \
    "$REGISTRY/v2/$OCI_NAME/manifests/$OCI_TAG")
[ "$status" = 201 ] || { cat "$WORK/registry/push/manifest.out" >&2; die "Distribution: manifest PUT answered $status"; }
status=$(curl -sS -o "$WORK/from-registry.json" -D "$WORK/registry/get.headers" -w '%{http_code}' \
    -H "Accept: $OCI_MANIFEST_TYPE" "$REGISTRY/v2/$OCI_NAME/manifests/$OCI_TAG")
[ "$status" = 200 ] || die "Distribution: GET manifest by tag answered $status"
SERVED_DIGEST=$(awk 'tolower($1) == "docker-content-digest:" { sub(/\r$/, "", $2); print $2 }' "$WORK/registry/get.headers")
[ "$(sha256_of "$WORK/from-registry.json")" = "$MANIFEST_DIGEST" ] && [ "$SERVED_DIGEST" = "$MANIFEST_DIGEST" ] \
    || die "Distribution serves other bytes (pushed $MANIFEST_DIGEST, served $(sha256_of "$WORK/from-registry.json"), header $SERVED_DIGEST)"
MANIFEST_BYTES=$(wc -c < "$WORK/from-registry.json" | tr -d ' ')
say "OCI manifest of $OCI_NAME:$OCI_TAG: $MANIFEST_BYTES bytes, $MANIFEST_DIGEST ($n layer(s), config $CONTRACT_DIGEST)"

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
warm() {  # url [wrk args...]
    local url=$1
    shift
    say "warm-up $WARMUP: $url"
    wrk "-t$THREADS" "-c$CONNS" "-d$WARMUP" "$@" "$url" > /dev/null 2>&1 || true
}
warm "$NODE/healthz"
run_wrk healthz "$NODE/healthz"
warm "$NODE$READ_PATH"
run_wrk node-read "$NODE$READ_PATH"
warm "$NGINX/version.json"
run_wrk nginx-read "$NGINX/version.json"
warm "$REGISTRY/v2/$OCI_NAME/manifests/$OCI_TAG" -H "Accept: $OCI_MANIFEST_TYPE"
run_wrk registry-read "$REGISTRY/v2/$OCI_NAME/manifests/$OCI_TAG" -H "Accept: $OCI_MANIFEST_TYPE"
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
for label in healthz node-read nginx-read registry-read; do
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
REGISTRY_RPS=$(rps registry-read)
TABLE=$(
    echo "| run | requests/s | p50 ms | p99 ms | requests | non-2xx/3xx | socket errors | node CPU us/req | PostgreSQL CPU us/req |"
    echo "|---|---:|---:|---:|---:|---:|---|---:|---:|"
    row node-read "node \`GET $READ_PATH\` ($DOC_BYTES B)" "$(printf '%.0f' "$NODE_RPS")"
    row nginx-read "nginx static file, same bytes (sendfile)" "$(printf '%.0f' "$NGINX_RPS")" - -
    row registry-read "Distribution \`GET /v2/$OCI_NAME/manifests/$OCI_TAG\` ($MANIFEST_BYTES B OCI manifest)" \
        "$(printf '%.0f' "$REGISTRY_RPS")" - -
    row healthz "node \`GET /healthz\` (one \`SELECT 1\`)" "$(printf '%.0f' "$(rps healthz)")"
    row publish "node \`POST /v1/packages\` (201s only)" "$PUBS_PER_S"
    echo
    echo "Node/nginx for version-metadata reads: **$(ratio "$NODE_RPS" "$NGINX_RPS")x** the requests/s," \
        "p99 $(ratio "$(pct node-read 99%)" "$(pct nginx-read 99%)")x nginx's."
    echo "Node/Distribution (the node's version document against Distribution's manifest by tag):" \
        "**$(ratio "$NODE_RPS" "$REGISTRY_RPS")x** the requests/s, p99 $(ratio "$(pct node-read 99%)" "$(pct registry-read 99%)")x Distribution's."
    echo "Publishes: ${PUB_201} created (201) in ${PUB_SECONDS} s; other statuses: ${PUB_OTHER:-none};" \
        "bundles taken ${PUB_BUILT:-?} of ${PUB_LINES:-?}${PUB_AFTER:+; $PUB_AFTER health checks after running out}."
)

CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
JAVA_VERSION=$({ java -version 2>&1 || true; } | head -n 1)
WRK_VERSION=$({ wrk -v 2>&1 || true; } | head -n 1 | cut -d' ' -f1-2)   # wrk -v exits 1
NGINX_VERSION=$({ nginx -v 2>&1 || true; } | sed 's/^nginx version: //')
REGISTRY_VERSION=$({ docker-registry --version 2>&1 || true; } | head -n 1 | awk '{ print "distribution", $NF }')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$ROOT" diff --quiet HEAD -- registry-server/src schemas/src 2>/dev/null; then COMMIT="$COMMIT (with uncommitted changes)"; fi
# A day's results file holds every benchmark of that day: this run is appended as a section.
[ -s "$RESULTS" ] || printf '# Benchmarks, %s\n' "$TODAY" > "$RESULTS"
{
    echo
    echo "## Reads and publishes next to nginx and Distribution ($TODAY, \`registry-server/bench/run.sh\`)"
    echo
    echo "\`registry-server/bench/run.sh\` on loopback: $(nproc) cores ($CPU), $JAVA_VERSION, $WRK_VERSION, $NGINX_VERSION, $REGISTRY_VERSION;"
    echo "commit $COMMIT. wrk \`-t$THREADS -c$CONNS -d$DURATION --latency --timeout $TIMEOUT\` after a $WARMUP warm-up per URL;"
    echo "wrk, the node (its default verticle count, embedded PostgreSQL), nginx (\`worker_processes auto\`) and Distribution"
    echo "(its defaults) share the cores."
    echo "Publishes: $COUNT pre-signed bundles ($MODE, $NAMESPACES namespace(s)), every one referencing one pre-uploaded blob."
    echo "Load average (1, 5, 15 min) before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Node log level: ${GROVE_LOG_LEVEL:-INFO (default: one JSON access-log line per request)}; node log written: $NODE_LOG_BYTES bytes."
    echo "Version document: $DOC_BYTES bytes, sha256 \`$SHA_FILE\`, identical from the node and from nginx."
    echo "OCI manifest of the same package in Distribution (filesystem storage, in-memory blob descriptor cache, one info"
    echo "log line per request to a file, access log off): $MANIFEST_BYTES bytes, \`$MANIFEST_DIGEST\`; config the signed"
    echo "contract envelope (\`$CONTRACT_DIGEST\`), $n layer(s), the artifacts' bytes from the node; same digest when read by tag."
    echo
    echo "$TABLE"
} >> "$RESULTS"

echo
echo "$TABLE"
echo
say "written to $RESULTS"
[ "$ok" = 1 ] || { say "some checks failed (see above)"; exit 1; }
