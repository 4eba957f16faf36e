#!/usr/bin/env bash
# Rebuilds the transparency-log test vectors under federation/src/test/resources/{tlog,note} with Go's
# reference implementation (golang.org/x/mod/sumdb/tlog and golang.org/x/mod/sumdb/note).
#
# Needs Go and Debian's packaged x/mod sources, used offline in GOPATH mode:
#   apt-get install -y golang-go golang-golang-x-mod-dev
# The output is deterministic: rerunning it must leave `git status` clean.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
resources="$(cd "$here/../resources" && pwd)"
gopath="${GROVE_GOPATH:-/usr/share/gocode}"
if [ ! -d "$gopath/src/golang.org/x/mod/sumdb/tlog" ]; then
  echo "regenerate.sh: golang.org/x/mod not found under $gopath (apt-get install golang-golang-x-mod-dev)" >&2
  exit 1
fi
cd "$here/vectors"
GO111MODULE=off GOPATH="$gopath" GOFLAGS= go run . "$resources"
echo "vectors written under $resources/tlog and $resources/note"
