#!/bin/bash
# MariaDB entry point. On first start (no system tables in the data directory) it
# creates the system tables, sets root's password, and creates MYSQL_DATABASE and
# MYSQL_USER, reading passwords from MYSQL_ROOT_PASSWORD_FILE / MYSQL_PASSWORD_FILE
# (Docker secrets) or, for local experiments, MYSQL_ROOT_PASSWORD / MYSQL_PASSWORD.
# Later starts leave the data alone. Passwords go to the server over stdin only.
set -euo pipefail

datadir=/var/lib/mysql

fail() { echo "db-entrypoint: $*" >&2; exit 1; }

# secret NAME: the contents of the file named by NAME_FILE, else the value of NAME.
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

# sql_string VALUE: VALUE as a quoted SQL string literal.
sql_string() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\'\'}"
}

# sql_name VALUE: VALUE as a quoted SQL identifier.
sql_name() {
  printf '`%s`' "${1//\`/\`\`}"
}

initialise() {
  local root_password user_password database=${MYSQL_DATABASE:-} user=${MYSQL_USER:-}
  root_password=$(secret MYSQL_ROOT_PASSWORD)
  if [ -n "$user" ]; then user_password=$(secret MYSQL_PASSWORD); fi

  echo "db-entrypoint: initialising $datadir"
  mariadb-install-db --user=mysql --datadir="$datadir" --skip-test-db \
    --auth-root-authentication-method=normal >/dev/null

  local socket=/run/mysqld/init.sock
  mariadbd --user=mysql --datadir="$datadir" --skip-networking --socket="$socket" &
  local pid=$!
  for _ in $(seq 60); do
    mariadb-admin --socket="$socket" --user=root ping >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || fail "the bootstrap server exited; see the log above"
    sleep 0.5
  done
  mariadb-admin --socket="$socket" --user=root ping >/dev/null 2>&1 ||
    fail "the bootstrap server did not answer within 30s"

  {
    # mariadb-install-db also creates accounts for the container's host name and
    # anonymous users; only the local root (and system accounts) stay.
    echo "DELETE FROM mysql.global_priv WHERE User = '' OR Host <> 'localhost';"
    echo "DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost' OR Proxied_host <> 'localhost';"
    echo "FLUSH PRIVILEGES;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$root_password");"
    # db-healthcheck logs in as the OS user mysql through the socket: no password to
    # keep, and no "access denied" line in the log every few seconds.
    echo "CREATE USER 'mysql'@'localhost' IDENTIFIED VIA unix_socket;"
    if [ -n "$database" ]; then
      echo "CREATE DATABASE IF NOT EXISTS $(sql_name "$database");"
    fi
    if [ -n "$user" ]; then
      echo "CREATE USER $(sql_string "$user")@'%' IDENTIFIED BY $(sql_string "$user_password");"
      [ -z "$database" ] || echo "GRANT ALL ON $(sql_name "$database").* TO $(sql_string "$user")@'%';"
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --socket="$socket" --user=root --batch

  kill "$pid"
  wait "$pid" || true
  echo "db-entrypoint: initialised database '${database:-<none>}' and user '${user:-<none>}'"
}

if [ "${1:-}" = mariadbd ]; then
  install -d -o mysql -g mysql -m 0755 /run/mysqld
  chown mysql:mysql "$datadir"
  [ -d "$datadir/mysql" ] || initialise
  exec "$@" --user=mysql --datadir="$datadir"
fi
exec "$@"
