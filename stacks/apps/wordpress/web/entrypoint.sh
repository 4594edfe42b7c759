#!/bin/bash
# WordPress entry point: writes /etc/wordpress/config-default.php (the file Debian's
# wp-config.php falls back to for any host name) from WORDPRESS_DB_HOST,
# WORDPRESS_DB_USER, WORDPRESS_DB_NAME and the password in WORDPRESS_DB_PASSWORD_FILE
# (a Docker secret; WORDPRESS_DB_PASSWORD for local experiments), then starts apache.
# Authentication salts are left undefined on purpose: WordPress then generates them
# once and keeps them in the database, shared by every replica.
set -euo pipefail

fail() { echo "web-entrypoint: $*" >&2; exit 1; }

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

# php_string VALUE: VALUE as a single-quoted PHP string literal.
php_string() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\\\'}"
}

write_config() {
  local config=/etc/wordpress/config-default.php password
  password=$(secret WORDPRESS_DB_PASSWORD)
  umask 027
  cat >"$config" <<PHP
<?php
// Written by web-entrypoint at container start; edits are lost on restart.
define('DB_NAME', $(php_string "${WORDPRESS_DB_NAME:-wordpress}"));
define('DB_USER', $(php_string "${WORDPRESS_DB_USER:-wordpress}"));
define('DB_PASSWORD', $(php_string "$password"));
define('DB_HOST', $(php_string "${WORDPRESS_DB_HOST:-db}"));
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
\$table_prefix = $(php_string "${WORDPRESS_TABLE_PREFIX:-wp_}");
PHP
  chown root:www-data "$config"
  umask 022
}

if [ "${1:-}" = apache2 ]; then
  write_config
  # envvars reads variables that may be unset.
  set +u
  # shellcheck disable=SC1091
  . /etc/apache2/envvars
  set -u
  mkdir -p "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR" "$APACHE_LOG_DIR"
  rm -f "$APACHE_PID_FILE"
fi
exec "$@"
