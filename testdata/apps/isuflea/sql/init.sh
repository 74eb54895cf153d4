#!/bin/bash
# Reloads the schema and the benchmark data set; called by POST /initialize.
set -eu
cd "$(dirname "$0")"
MYSQL_HOST=${MYSQL_HOST:-127.0.0.1}
MYSQL_USER=${MYSQL_USER:-isucon}
MYSQL_PASS=${MYSQL_PASS:-isucon}
for f in 01_schema.sql 02_categories.sql; do
  mysql -h "$MYSQL_HOST" -u "$MYSQL_USER" -p"$MYSQL_PASS" isuflea < "$f"
done
if [ -f initial.sql ]; then
  mysql -h "$MYSQL_HOST" -u "$MYSQL_USER" -p"$MYSQL_PASS" isuflea < initial.sql
fi
