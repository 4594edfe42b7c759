#!/bin/sh
# Healthy when the real server answers on its socket. The first-start bootstrap
# server listens on another socket and on no port, so it never counts as healthy.
exec setpriv --reuid=mysql --regid=mysql --clear-groups -- \
  mariadb-admin --socket=/run/mysqld/mysqld.sock --user=mysql --connect-timeout=2 --silent ping
