#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server on loopback, for the tests that keep Pulumi state in a
# database (`pulumi login postgres://…`).
#
#   scripts/postgres.sh start   starts one in a new temporary folder and prints two lines:
#                                 PVA_PG_DIR=<folder>   (give it to `stop`)
#                                 PVA_PG_URL=postgres://postgres@127.0.0.1:<port>/pulumi?sslmode=disable
#   scripts/postgres.sh stop D  stops the server of folder D and removes the folder
#   scripts/postgres.sh bin     prints the folder of the server's programs (installs them if missing)
#
# The server programs are Debian's postgresql-15 (/usr/lib/postgresql/15/bin, or PVA_PG_BIN);
# when they are missing and this runs as root, they are installed with apt-get. PostgreSQL
# refuses to run as root: as root, the server runs as the `postgres` user the package
# creates. It listens on 127.0.0.1 only, trusts local connections, skips fsync (its data is
# thrown away), and keeps its socket in its own folder.
set -euo pipefail
log() { echo "postgres: $*" >&2; }

pg_bin() {
  local d
  for d in "${PVA_PG_BIN:-}" /usr/lib/postgresql/15/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

ensure_bin() {
  if pg_bin; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL 15 is not installed (no /usr/lib/postgresql/15/bin/initdb): install Debian's postgresql-15, or set PVA_PG_BIN"
    exit 1
  fi
  log "installing Debian's postgresql-15 (first time only)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # The package's own cluster is not used; policy-rc.d may stop the package from starting it.
  apt-get install -y -qq --no-install-recommends postgresql-15 >&2
  pg_bin || { log "postgresql-15 installed but its programs were not found"; exit 1; }
}

# Runs a server program as the server's user: ourselves, or `postgres` when we are root.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$pg_user" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

cmd=${1:-}
case "$cmd" in
  bin)
    ensure_bin
    ;;
  start)
    bin=$(ensure_bin)
    pg_user=postgres
    if [ "$(id -u)" -eq 0 ] && ! id "$pg_user" >/dev/null 2>&1; then
      log "no '$pg_user' user to run the server as (PostgreSQL refuses root)"
      exit 1
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/pva-pg.XXXXXX")
    chmod 0755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown "$pg_user" "$dir"
    as_server_user "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # A port taken between the probe and the start is tried again with another.
    for attempt in 1 2 3; do
      port=$(free_port)
      if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2; then
        break
      fi
      [ "$attempt" = 3 ] && { cat "$dir/server.log" >&2; exit 1; }
    done
    as_server_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres pulumi
    echo "PVA_PG_DIR=$dir"
    echo "PVA_PG_URL=postgres://postgres@127.0.0.1:$port/pulumi?sslmode=disable"
    ;;
  stop)
    dir=${2:?usage: postgres.sh stop <folder printed by start>}
    case "$dir" in */pva-pg.*) ;; *) log "not a folder made by 'start': $dir"; exit 1 ;; esac
    pg_user=postgres
    if [ -f "$dir/data/postmaster.pid" ]; then
      bin=$(pg_bin)
      as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop <folder> | bin" >&2
    exit 2
    ;;
esac
