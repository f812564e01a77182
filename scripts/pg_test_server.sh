#!/usr/bin/env bash
# Throwaway PostgreSQL server for the test suite.
#
#   scripts/pg_test_server.sh start   # install (Debian, if needed), initdb, start, create evpace_test
#   scripts/pg_test_server.sh stop    # stop the server and delete its data directory
#   scripts/pg_test_server.sh url     # print the URL the tests should use
#   scripts/pg_test_server.sh status  # exit 0 if a server answers on the port
#
# Environment:
#   PG_PORT     TCP port (default 54329); the server listens on 127.0.0.1 only.
#   PG_DATADIR  data directory (default /tmp/evpace-pg-$PG_PORT).
#
# Auth is "trust" for the unix socket (in /tmp) and 127.0.0.1 only: never point
# this at a port reachable from outside the machine.
set -euo pipefail

PORT="${PG_PORT:-54329}"
DATADIR="${PG_DATADIR:-/tmp/evpace-pg-${PORT}}"
SOCKDIR=/tmp
DBNAME=evpace_test
PGUSER_NAME=postgres
case "$DATADIR" in /*) ;; *) DATADIR="$PWD/$DATADIR" ;; esac
LOG="${DATADIR}/server.log"

die() { echo "pg_test_server: ERROR: $*" >&2; exit 1; }
say() { echo "pg_test_server: $*" >&2; }

url() { echo "postgresql://${PGUSER_NAME}@127.0.0.1:${PORT}/${DBNAME}"; }

# Directory holding initdb/pg_ctl: newest Debian versioned dir, then PATH.
find_bindir() {
    local d
    local -a found=()
    for d in /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ]; then found+=("$d"); fi
    done
    if [ "${#found[@]}" -gt 0 ]; then
        printf '%s\n' "${found[@]}" | sort -V | tail -n 1
        return 0
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

install_postgres() {
    command -v apt-get >/dev/null 2>&1 \
        || die "no initdb found and apt-get is unavailable; install PostgreSQL (>= 13) yourself"
    local -a sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 \
            || die "no initdb found; need root or sudo to apt-get install postgresql"
        sudo=(sudo -n)
    fi
    say "PostgreSQL not found; installing Debian's postgresql package"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null \
        || die "apt-get update failed"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql \
        </dev/null || die "apt-get install postgresql failed"
}

# Run a PostgreSQL server binary as an OS user allowed to own the cluster.
# initdb/postgres refuse to run as root, so as root we drop to 'postgres'.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        id "$PGUSER_NAME" >/dev/null 2>&1 || die "OS user '$PGUSER_NAME' does not exist"
        if command -v runuser >/dev/null 2>&1; then
            (cd / && runuser -u "$PGUSER_NAME" -- "$@")
        else
            local q
            q=$(printf '%q ' "$@")
            (cd / && su "$PGUSER_NAME" -s /bin/sh -c "$q")
        fi
    else
        "$@"
    fi
}

is_up() {
    # pg_isready: 0 = accepting, 1 = rejecting (starting up), 2 = no response.
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -t 3
}

psql_admin() {
    "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -d postgres "$@"
}

ensure_db() {
    local have
    have=$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '${DBNAME}'") \
        || die "cannot connect to 127.0.0.1:${PORT} as ${PGUSER_NAME} without a password (is this our server?)"
    if [ "$have" != "1" ]; then
        psql_admin -c "CREATE DATABASE ${DBNAME}" || die "could not create database ${DBNAME}"
    fi
}

init_cluster() {
    say "initdb in $DATADIR"
    rm -rf "$DATADIR"
    if [ "$(id -u)" -eq 0 ]; then
        install -d -m 700 -o "$PGUSER_NAME" -g "$(id -gn "$PGUSER_NAME")" "$DATADIR"
    else
        install -d -m 700 "$DATADIR"
    fi
    as_pg "$BIN/initdb" -D "$DATADIR" -U "$PGUSER_NAME" -A trust -E UTF8 --no-locale --no-sync >/dev/null \
        || die "initdb failed"
    # Settings live in the data dir so a restart of an existing dir behaves the same.
    as_pg sh -c "cat >> '$DATADIR/postgresql.conf'" <<EOF

# --- evpace throwaway test server ---
port = ${PORT}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${SOCKDIR}'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
logging_collector = off
EOF
    as_pg sh -c "cat > '$DATADIR/pg_hba.conf'" <<'EOF'
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
EOF
}

cmd_start() {
    BIN=$(find_bindir) || { install_postgres; BIN=$(find_bindir) \
        || die "postgresql installed but no initdb found under /usr/lib/postgresql/*/bin"; }

    if is_up; then
        say "server already running on 127.0.0.1:${PORT}; reusing it"
        ensure_db
        url
        return 0
    fi

    if [ -f "$DATADIR/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DATADIR" status >/dev/null 2>&1; then
        # Our server is alive but not accepting yet (still starting / recovering).
        say "server in $DATADIR is running but not ready; waiting"
        local i
        for i in $(seq 1 30); do is_up && break; sleep 1; done
    else
        # Not running: whatever is in the data dir is stale, start from a pristine cluster.
        init_cluster
        say "starting $BIN/postgres on 127.0.0.1:${PORT} (data: $DATADIR)"
        if ! as_pg "$BIN/pg_ctl" -D "$DATADIR" -l "$LOG" -w -t 60 start >/dev/null; then
            [ -f "$LOG" ] && tail -n 30 "$LOG" >&2
            die "could not start PostgreSQL (port ${PORT} in use by something else?)"
        fi
    fi
    is_up || die "server started but does not accept connections on 127.0.0.1:${PORT}"
    ensure_db
    url
}

cmd_stop() {
    BIN=$(find_bindir) || { say "PostgreSQL is not installed; nothing to stop"; return 0; }
    if [ -f "$DATADIR/postmaster.pid" ]; then
        say "stopping server in $DATADIR"
        as_pg "$BIN/pg_ctl" -D "$DATADIR" -m fast -w -t 60 stop >/dev/null \
            || as_pg "$BIN/pg_ctl" -D "$DATADIR" -m immediate -w stop >/dev/null \
            || say "pg_ctl stop failed (server already gone?)"
    elif is_up; then
        say "a server answers on port ${PORT} but it is not ours ($DATADIR has no postmaster.pid); leaving it"
        return 0
    fi
    # Throwaway: the next start gets a pristine cluster.
    rm -rf "$DATADIR"
}

cmd_status() {
    BIN=$(find_bindir) || { echo "not installed"; return 1; }
    if is_up; then echo "running on 127.0.0.1:${PORT}"; else echo "not running"; return 1; fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) url ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
