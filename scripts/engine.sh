#!/usr/bin/env bash
# Provides the real Pulumi engine: the `pulumi` CLI, the Node.js language host, the
# `pulumi-resource-pulumi-nodejs` launcher that dynamic providers need, the YAML language host
# (Pulumi YAML programs, examples/yaml) and the Go language host (examples/go), side by side; the
# directories are printed on stdout as a PATH fragment (logs go to stderr).
#
# 1. A `pulumi` already on PATH, new enough, with its language host, is used as it is (and its
#    `pulumi-language-yaml`, else one is built as in 2).
# 2. Otherwise all are built from their Go modules with the machine's Go, at the version of the
#    installed @pulumi/pulumi (node_modules, i.e. the lockfile's; package.json declares a range),
#    and cached under $PVA_CACHE_DIR/engine/<version>: later runs take no time. No Pulumi
#    download is involved.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${PVA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-ventus-axway}
log() { echo "engine: $*" >&2; }

# The CLI must be at least this new: ReadResult.inputs (3.216) and --expect-no-changes exiting 7 (3.226).
min_version=3.226.0
# The CLI matches the SDK the tests run with: the one npm installed from the lockfile.
[ -f "$root/node_modules/@pulumi/pulumi/package.json" ] || { log "no node_modules/@pulumi/pulumi: run npm ci first"; exit 1; }
version=$(node -p "require('$root/node_modules/@pulumi/pulumi/package.json').version")
launcher_src="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

# The YAML language host (github.com/pulumi/pulumi-yaml); ~1 min to build on 2 cores.
yaml_version=1.25.0
# The Go language host (Go programs, examples/go): the last sdk/v3 release that still carries it.
go_host_version=3.65.0

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

add_launcher() { # $1: directory that must hold the launcher
  if [ ! -x "$1/pulumi-resource-pulumi-nodejs" ]; then
    [ -f "$launcher_src" ] || { log "missing $launcher_src: run npm ci first"; exit 1; }
    install -m 0755 "$launcher_src" "$1/pulumi-resource-pulumi-nodejs"
  fi
}

add_yaml_host() { # $1: directory that must hold pulumi-language-yaml
  [ -x "$1/pulumi-language-yaml" ] && return 0
  command -v go >/dev/null 2>&1 || { log "no pulumi-language-yaml and no Go to build one"; exit 1; }
  log "building pulumi-language-yaml v$yaml_version from github.com/pulumi/pulumi-yaml (first time only; ~1 min)"
  local tmp
  tmp=$(mktemp -d)
  # `go install pkg@version` builds the module as published (its go.mod, no replaces in the way).
  GOFLAGS= GOTOOLCHAIN=local GOBIN="$tmp" go install -trimpath -ldflags "-s -w" \
    "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$yaml_version" >&2
  mv "$tmp/pulumi-language-yaml" "$1/pulumi-language-yaml"
  rmdir "$tmp"
}

add_go_host() { # $1: directory that must hold pulumi-language-go
  # The file beside the host names the release it was built from; another one is built again.
  [ -x "$1/pulumi-language-go" ] && [ "$(cat "$1/pulumi-language-go.source" 2>/dev/null)" = "sdk/v3@v$go_host_version" ] && return 0
  command -v go >/dev/null 2>&1 || { log "no pulumi-language-go and no Go to build one"; exit 1; }
  log "building pulumi-language-go from github.com/pulumi/pulumi/sdk/v3 v$go_host_version (first time only; ~40 s)"
  local tmp
  tmp=$(mktemp -d)
  # sdk/v3's go.mod replaces golang.org/x/text, which `go install pkg@version` refuses: a wrapper
  # module requires it and restates that replace. Later releases moved the host to a module of its
  # own that the module proxy does not serve; this one runs programs on today's Go SDK.
  printf 'module pulumi-ventus-axway/engine/golang\n\ngo 1.25\n\nreplace golang.org/x/text => golang.org/x/text v0.3.6\n' >"$tmp/go.mod"
  (
    cd "$tmp"
    export GOFLAGS=-mod=mod GOTOOLCHAIN=local
    go get "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go@v$go_host_version" >get.log 2>&1 || { cat get.log >&2; exit 1; }
    go build -trimpath -ldflags "-s -w" -o "$1/pulumi-language-go.tmp" github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go >&2
  )
  mv "$1/pulumi-language-go.tmp" "$1/pulumi-language-go"
  echo "sdk/v3@v$go_host_version" >"$1/pulumi-language-go.source"
  rm -rf "$tmp"
}

# 1. An engine the machine already has.
if [ -z "${PVA_BUILD_ENGINE:-}" ] && command -v pulumi >/dev/null 2>&1 && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  have=$(pulumi version 2>/dev/null | sed 's/^v//')
  if version_ge "$have" "$min_version"; then
    dir="$cache/engine/path-launcher"
    mkdir -p "$dir"
    add_launcher "$dir"
    command -v pulumi-language-yaml >/dev/null 2>&1 || add_yaml_host "$dir"
    command -v pulumi-language-go >/dev/null 2>&1 || add_go_host "$dir"
    log "using pulumi $have from PATH ($(command -v pulumi))"
    # The PATH's own directory first, the launcher after it in case that install lacks one.
    echo "$(dirname "$(command -v pulumi)"):$dir"
    exit 0
  fi
  log "pulumi $have on PATH is older than $min_version: building $version"
fi

# 2. Built from Go modules, cached.
bin="$cache/engine/v$version/bin"
# The v3.68.0 Node.js host gets a RunPlugin (scripts/langhost). The file beside the host says how
# it was built; a host built without it, or from other patch files, is built again (the CLI is kept).
langhost_patch=$(cat "$root/scripts/langhost/main.go.patch" "$root/scripts/langhost/runplugin.go" | sha256sum | cut -c1-16)
langhost_current() {
  [ -x "$bin/pulumi-language-nodejs" ] && [ -f "$bin/pulumi-language-nodejs.source" ] &&
    grep -qx "pseudo\|runplugin-$langhost_patch" "$bin/pulumi-language-nodejs.source"
}
if [ -x "$bin/pulumi" ] && langhost_current; then
  add_launcher "$bin"
  add_yaml_host "$bin"
  add_go_host "$bin"
  echo "$bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "no pulumi on PATH and no Go to build one"; exit 1; }
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
build="$cache/engine/v$version/build"
mkdir -p "$bin" "$build/cli" "$build/langhost"
start=$(date +%s)

if [ ! -x "$bin/pulumi" ]; then
  # pkg/v3 carries `replace` directives, which `go install pkg@version` refuses; a wrapper
  # module that requires it builds the CLI. Replaces of a dependency are ignored, so the one
  # the build needs (the clipboard fork) is restated here.
  log "building pulumi CLI v$version from github.com/pulumi/pulumi/pkg/v3 (first time only; ~10 min on 2 cores)"
  cat > "$build/cli/go.mod" <<EOF
module pulumi-ventus-axway/engine/cli

go 1.25

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
EOF
  (
    cd "$build/cli"
    go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >get.log 2>&1 ||
      { cat get.log >&2; exit 1; }
    go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  )
  mv "$bin/pulumi.tmp" "$bin/pulumi"
fi

# The Node.js language host is its own module with no version tags: it is required at the
# release commit's pseudo-version. Where the module proxy does not serve that version, the
# host is taken from the last sdk/v3 release that still carried it (v3.68.0): its Run
# protocol (run.js flags and PULUMI_NODEJS_* variables) is the one today's SDK reads, and
# the CLI falls back for the RPCs it lacks. Its RunPlugin, which starts a plugin folder holding
# PulumiPlugin.yaml, is a stub there: scripts/langhost replaces it with what current hosts do
# (run @pulumi/pulumi's cmd/run-plugin with node); nothing else in the host changes.
declare -A langhost_pseudo=(
  [3.259.0]=v3.0.0-20260819165155-0ac56e876614
)
cat > "$build/langhost/go.mod" <<EOF
module pulumi-ventus-axway/engine/langhost

go 1.25
EOF
(
  cd "$build/langhost"
  pseudo=${langhost_pseudo[$version]:-}
  if [ -n "$pseudo" ] && go get "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$pseudo" \
    "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >&2 2>/dev/null; then
    log "building pulumi-language-nodejs $pseudo"
    go build -trimpath -ldflags "-s -w" -o "$bin/pulumi-language-nodejs.tmp" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 >&2
    echo pseudo >"$bin/pulumi-language-nodejs.source.tmp"
  else
    log "the module proxy does not serve pulumi-language-nodejs at the v$version commit; building the host shipped in sdk/v3 v3.68.0, with RunPlugin"
    go get github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@v3.68.0 >get.log 2>&1 ||
      { cat get.log >&2; exit 1; }
    # The host's own files, the stub taken out, plus runplugin.go, built as this module's package
    # against sdk/v3 v3.68.0 (the module cache cannot be patched in place, nor overlaid).
    src="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)/nodejs/cmd/pulumi-language-nodejs"
    rm -rf host && mkdir host
    for f in "$src"/*.go; do case "$f" in *_test.go) ;; *) install -m 0644 "$f" host/ ;; esac; done
    patch --quiet host/main.go "$root/scripts/langhost/main.go.patch" >&2
    install -m 0644 "$root/scripts/langhost/runplugin.go" host/runplugin.go
    go build -trimpath -ldflags "-s -w" -o "$bin/pulumi-language-nodejs.tmp" ./host >&2
    echo "runplugin-$langhost_patch" >"$bin/pulumi-language-nodejs.source.tmp"
  fi
)
mv "$bin/pulumi-language-nodejs.tmp" "$bin/pulumi-language-nodejs"
mv "$bin/pulumi-language-nodejs.source.tmp" "$bin/pulumi-language-nodejs.source"
add_launcher "$bin"
add_yaml_host "$bin"
add_go_host "$bin"
log "engine built in $(( $(date +%s) - start ))s: $("$bin/pulumi" version)"
echo "$bin"
