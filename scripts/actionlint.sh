#!/usr/bin/env bash
# Provides actionlint, the linter of GitHub Actions workflows that the tests run on
# examples/gitops/.github/workflows, and prints the path of the binary on stdout (logs go to
# stderr).
#
# 1. An `actionlint` already on PATH is used as it is.
# 2. Otherwise it is built from its Go module (github.com/rhysd/actionlint) with the
#    machine's Go, at the version below, and cached under $PVA_CACHE_DIR/actionlint/<version>:
#    later runs take no time. No prebuilt binary is downloaded.
set -euo pipefail

version=${PVA_ACTIONLINT_VERSION:-v1.7.12}
cache=${PVA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-ventus-axway}
log() { echo "actionlint: $*" >&2; }

if [ -z "${PVA_BUILD_ACTIONLINT:-}" ] && command -v actionlint >/dev/null 2>&1; then
  command -v actionlint
  exit 0
fi

bin="$cache/actionlint/$version/bin"
if [ -x "$bin/actionlint" ]; then
  echo "$bin/actionlint"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "no actionlint on PATH and no Go to build one"; exit 1; }
mkdir -p "$bin"
start=$(date +%s)
log "building github.com/rhysd/actionlint/cmd/actionlint@$version (first time only)"
# GOBIN makes `go install` write straight into the cache; a failed build leaves no binary.
GOFLAGS=-mod=mod GOTOOLCHAIN=local GOBIN="$bin.tmp" go install "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
mv "$bin.tmp/actionlint" "$bin/actionlint"
rmdir "$bin.tmp"
log "built in $(( $(date +%s) - start ))s: $("$bin/actionlint" -version | head -n1)"
echo "$bin/actionlint"
