#!/bin/bash
# PostgreSQL entry point. On first start (no PG_VERSION in PGDATA) it runs initdb
# with the superuser password from POSTGRES_PASSWORD_FILE, then creates the login
# role APP_OWNER (password from APP_OWNER_PASSWORD_FILE, allowed to create roles)
# and the database APP_DB owned by it, which other roles cannot connect to until
# granted. Schema, seed data and the app's own role are the migration job's work.
# Passwords reach the server over a file and psql's environment, never argv.
set -euo pipefail

fail() { echo "db-entrypoint: $*" >&2; exit 1; }

secret() {
  local file_var="${1}_FILE" value_var="$1"
  if [ -n "${!file_var:-}" ]; then
    [ -r "${!file_var}" ] || fail "$file_var points to ${!file_var}, which is not readable"
    printf '%s' "$(<"${!file_var}")"
  elif [ -n "${!value_var:-}" ]; then
    printf '%s' "${!value_var}"
  else
    fail "set $file_var (a secret file) or $value_var"
  fi
}

as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }

initialise() {
  local superuser_password owner_password pwfile
  superuser_password=$(secret POSTGRES_PASSWORD)
  owner_password=$(secret APP_OWNER_PASSWORD)
  : "${APP_DB:?set APP_DB}" "${APP_OWNER:?set APP_OWNER}"

  echo "db-entrypoint: initialising $PGDATA"
  pwfile=$(mktemp)
  printf '%s\n' "$superuser_password" >"$pwfile"
  chown postgres "$pwfile"
  as_postgres initdb --pgdata="$PGDATA" --username=postgres --pwfile="$pwfile" \
    --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"

  as_postgres pg_ctl --pgdata="$PGDATA" --wait --silent \
    --options="-c listen_addresses='' -c unix_socket_directories=/run/postgresql" start

  OWNER_PASSWORD=$owner_password as_postgres psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
    --host=/run/postgresql --username=postgres --dbname=postgres \
    -v owner="$APP_OWNER" -v db="$APP_DB" <<'SQL'
\getenv owner_password OWNER_PASSWORD
-- A failing statement would otherwise be written to the server log, password included.
SET log_min_error_statement = panic;
SELECT format('CREATE ROLE %I LOGIN CREATEROLE PASSWORD %L', :'owner', :'owner_password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SQL

  as_postgres pg_ctl --pgdata="$PGDATA" --wait --silent --mode=fast stop
  echo "db-entrypoint: created database '$APP_DB' owned by '$APP_OWNER'"
}

if [ "${1:-}" = postgres ]; then
  install -d -o postgres -g postgres -m 0700 "$PGDATA"
  install -d -o postgres -g postgres -m 2775 /run/postgresql
  [ -s "$PGDATA/PG_VERSION" ] || initialise
  shift
  # The base image leaves out LLVM, so JIT is off rather than failing to load.
  exec setpriv --reuid=postgres --regid=postgres --init-groups -- \
    postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/run/postgresql -c jit=off "$@"
fi
exec "$@"
