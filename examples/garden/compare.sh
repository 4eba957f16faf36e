#!/bin/sh
# Measures the garden's language-id packages against npm's eld, cld (CLD2), tinyld and franc, in one run on the
# held-out sources, and rewrites RESULTS.md. Installs the pinned peers into a temporary directory (checked by their
# integrity); runs the garden on the JVM engine (cli/target/grove.jar, built by ./grove on first use).
# Needs node (>= 18), npm, a C++ compiler (cld builds CLD2 on install) and Java 17. Usage: examples/garden/compare.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pins='eld@2.1.0 sha512-hDQ9FX17th7NDNMO8/St6m3ADQVqjF0sQoOHI6NUAxC7yDaPmZ9wC9d8zau/9FIqOV7KtNwrPKRt6fkkrzZj0g==
cld@2.10.1 sha512-dvORTZwSFsaN9xC2seihcmo1gqQtfh2wSuhJ7vgDpzIHVOTMKM/cErSK8mCFZnxYRw+hzaZUCNH6VWh1OxGNkQ==
tinyld@1.3.4 sha512-u26CNoaInA4XpDU+8s/6Cq8xHc2T5M4fXB3ICfXPokUQoLzmPgSZU02TAkFwFMJCWTjk53gtkS8pETTreZwCqw==
franc@6.2.0 sha512-rcAewP7PSHvjq7Kgd7dhj82zE071kX5B4W1M4ewYMf/P+i6YsDQmj62Xz3VQm9zyUzUXwhIde/wHLGCMrM+yGg=='
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund $(echo "$pins" | cut -d' ' -f1) >/dev/null \
  && npm rebuild --silent cld >/dev/null)
echo "$pins" | while read -r spec integrity; do
  name=${spec%@*}
  got=$(node -e 'const l = require(process.argv[1]); console.log(l.packages["node_modules/" + process.argv[2]].integrity)' \
    "$tmp/package-lock.json" "$name")
  [ "$got" = "$integrity" ] || { echo "compare.sh: $spec has integrity $got, expected $integrity" >&2; exit 1; }
done

jar="$root/cli/target/grove.jar"
[ -f "$jar" ] || "$root/grove" --version >/dev/null
cut -f4 "$root/examples/data/langid-heldout-sources.tsv" \
  | java -cp "$jar" "$here/Predict.java" $(for m in langid langid-int8 langid-small langid-nordic langid-merged langid-pruned; do
      echo "$here/$m"; done) > "$tmp/garden.tsv"
node "$here/compare.mjs" "$tmp/node_modules" "$tmp/garden.tsv"
node "$here/adapter-section.mjs"
