#!/usr/bin/env bash
# The Go side of the project, built or fetched once and cached under $PVA_CACHE_DIR like the engine
# (scripts/setup.sh runs it and exports what it prints):
#   - pva-codegen (scripts/codegen): the engine's own SDK generators (github.com/pulumi/pulumi/pkg/v3
#     codegen/go and codegen/python, at the engine's version), which scripts/gensdks.sh runs; its path
#     is printed on stdout.
#   - the modules of examples/go (the Go SDK of Pulumi and what it needs) in $PVA_GOMODCACHE, and
#     their compiled packages in $PVA_GOCACHE, so that the tests build Go programs offline
#     (GOPROXY=off) and in seconds.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${PVA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-ventus-axway}
log() { echo "golang: $*" >&2; }
command -v go >/dev/null 2>&1 || { log "no Go on PATH: the SDK generator and the Go example need it"; exit 1; }
export GOTOOLCHAIN=local

# The generators come from the engine's module at the engine's version: the installed @pulumi/pulumi's.
version=$(node -p "require('$root/node_modules/@pulumi/pulumi/package.json').version")
dir="$cache/codegen/v$version"
bin="$dir/pva-codegen"
source_hash=$(sha256sum "$root/scripts/codegen/main.go" | cut -c1-16)
if [ ! -x "$bin" ] || [ "$(cat "$bin.source" 2>/dev/null)" != "$source_hash" ]; then
  log "building pva-codegen on github.com/pulumi/pulumi/pkg/v3 v$version (first time only; ~2 min on 2 cores)"
  start=$(date +%s)
  mkdir -p "$dir/build"
  # A wrapper module, as for the CLI (scripts/engine.sh): pkg/v3's own replaces do not apply to
  # a module that requires it; sdk/v3 at the same version stands in for its `../sdk`.
  printf 'module pulumi-ventus-axway/codegen\n\ngo 1.25\n' >"$dir/build/go.mod"
  install -m 0644 "$root/scripts/codegen/main.go" "$dir/build/main.go"
  (
    cd "$dir/build"
    export GOFLAGS=-mod=mod
    go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >get.log 2>&1 || { cat get.log >&2; exit 1; }
    go build -trimpath -ldflags "-s -w" -o "$bin.tmp" . >&2
  )
  mv "$bin.tmp" "$bin"
  echo "$source_hash" >"$bin.source"
  log "pva-codegen built in $(($(date +%s) - start))s"
fi

# examples/go's modules and their build, keyed by what decides them (go.mod and go.sum of the
# example and of the generated SDK it replaces in).
export GOMODCACHE="${PVA_GOMODCACHE:-$cache/go/mod}" GOCACHE="${PVA_GOCACHE:-$cache/go/build}"
stamp=$(cat "$root/examples/go/go.mod" "$root/examples/go/go.sum" "$root/sdk/go/go.mod" 2>/dev/null | sha256sum | cut -c1-16)
if [ -f "$root/examples/go/go.mod" ] && [ "$(cat "$cache/go/examples-go.stamp" 2>/dev/null)" != "$stamp" ]; then
  log "downloading and building examples/go's modules (Pulumi's Go SDK; first time only; 3 to 8 min on 2 cores)"
  start=$(date +%s)
  (
    cd "$root/examples/go"
    # What the build and the tests' vet need is downloaded (not every module of the graph, as
    # `go mod download` would: vet loads a few more than the build, github.com/Microsoft/go-winio
    # among them), then vetted again offline, as the tests do, to prove the cache is enough.
    sdk="$(cd "$root/sdk/go" && go list -m)/..."
    GOFLAGS=-mod=mod go build -o /dev/null . >&2
    GOFLAGS=-mod=mod go vet . "$sdk" >&2
    GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off go vet . "$sdk" >&2
  )
  echo "$stamp" >"$cache/go/examples-go.stamp"
  log "examples/go ready in $(($(date +%s) - start))s"
fi
echo "$bin"
