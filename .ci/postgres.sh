# A throwaway PostgreSQL 15 server for the tests (sourced by .ci/run).
#   start_postgres: initdb in a temp folder, start on a free loopback port (trust auth, local only),
#                   create the database kycport_test, export KYCPORT_TEST_DATABASE_URL.
#   stop_postgres:  stop the server and remove the folder (start_postgres sets an EXIT trap for it).
# The server refuses to run as root: as root it runs as the `postgres` user; as any other user it
# runs as that user. The binaries come from /usr/lib/postgresql/15/bin, installed from Debian's
# packages only where missing.

KYCPORT_PG_BIN="${KYCPORT_PG_BIN:-/usr/lib/postgresql/15/bin}"
KYCPORT_PG_DIR=""
KYCPORT_PG_PORT=""

_pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

_pg_install_if_missing() {
  [ -x "$KYCPORT_PG_BIN/pg_ctl" ] && return 0
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "postgres: $KYCPORT_PG_BIN/pg_ctl is missing and cannot be installed here" >&2
    return 1
  fi
  echo "postgres: installing PostgreSQL from Debian's packages" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  if [ ! -x "$KYCPORT_PG_BIN/pg_ctl" ]; then
    # Debian's default may be a later major version: use whichever was installed.
    KYCPORT_PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  fi
  [ -x "$KYCPORT_PG_BIN/pg_ctl" ]
}

_pg_free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

stop_postgres() {
  if [ -n "$KYCPORT_PG_DIR" ] && [ -d "$KYCPORT_PG_DIR/data" ]; then
    _pg_as_owner "$KYCPORT_PG_BIN/pg_ctl" -D "$KYCPORT_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$KYCPORT_PG_DIR" ]; then rm -rf "$KYCPORT_PG_DIR"; fi
  KYCPORT_PG_DIR=""
}

start_postgres() {
  _pg_install_if_missing || return 1
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    echo "postgres: running as root and there is no postgres user" >&2
    return 1
  fi
  KYCPORT_PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/kycport-pg.XXXXXX")"
  mkdir -p "$KYCPORT_PG_DIR/data" "$KYCPORT_PG_DIR/socket"
  if [ "$(id -u)" = "0" ]; then chown -R postgres "$KYCPORT_PG_DIR"; fi
  trap stop_postgres EXIT
  KYCPORT_PG_PORT="$(_pg_free_port)"
  _pg_as_owner "$KYCPORT_PG_BIN/initdb" -D "$KYCPORT_PG_DIR/data" -U postgres --auth=trust -E UTF8 \
    --no-locale >"$KYCPORT_PG_DIR/initdb.log" 2>&1 || {
    cat "$KYCPORT_PG_DIR/initdb.log" >&2
    return 1
  }
  _pg_as_owner "$KYCPORT_PG_BIN/pg_ctl" -D "$KYCPORT_PG_DIR/data" -l "$KYCPORT_PG_DIR/server.log" -w \
    -o "-p $KYCPORT_PG_PORT -k $KYCPORT_PG_DIR/socket -c listen_addresses=127.0.0.1" start >/dev/null || {
    cat "$KYCPORT_PG_DIR/server.log" >&2
    return 1
  }
  "$KYCPORT_PG_BIN/createdb" -h 127.0.0.1 -p "$KYCPORT_PG_PORT" -U postgres kycport_test || return 1
  export KYCPORT_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$KYCPORT_PG_PORT/kycport_test"
  echo "postgres: PostgreSQL $("$KYCPORT_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$KYCPORT_PG_PORT" >&2
}
