#!/bin/sh
# record.sh records a real MariaDB slow query log (long_query_time = 0) and
# an nginx LTSV access log of the isupost sample app under a small, bounded
# load. Run from this directory with mariadb-server and Go installed:
#
#	./record.sh [requests]
#
# It starts a private mariadbd on 127.0.0.1:33306 with a throw-away data
# directory, loads ../../apps/isupost/sql/schema.sql, builds and starts the
# app (it listens on :8080), and runs load.go: a reverse proxy on
# 127.0.0.1:8081 that writes access.ltsv in nginx's LTSV log format (the one
# alp reads), and a client driving every route through it. The outputs
# replace slow.log and access.ltsv here, with pt-query-digest's text and JSON
# reports of the slow log (digest.txt, digest.json) when it is installed;
# everything else is removed.
set -eu
requests=${1:-300}
here=$(pwd)
work=$(mktemp -d)
app=$here/../../apps/isupost
cleanup() {
	[ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null || true
	[ -n "${db_pid:-}" ] && kill "$db_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# A private server: nothing outside $work is touched.
mariadb-install-db --no-defaults --user=root --datadir="$work/data" \
	--auth-root-authentication-method=normal >/dev/null
mariadbd --no-defaults --user=root --datadir="$work/data" \
	--socket="$work/sock" --bind-address=127.0.0.1 --port=33306 \
	--slow-query-log=1 --long-query-time=0 --slow-query-log-file="$work/slow.log" \
	--log-slow-verbosity=query_plan >"$work/mariadbd.err" 2>&1 &
db_pid=$!
for _ in $(seq 50); do
	mariadb --no-defaults -S "$work/sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
	sleep 0.2
done
mariadb --no-defaults -S "$work/sock" -uroot <<SQL
SET GLOBAL slow_query_log = 0;
CREATE DATABASE isupost;
CREATE USER 'isupost'@'127.0.0.1' IDENTIFIED BY 'isupost';
GRANT ALL ON isupost.* TO 'isupost'@'127.0.0.1';
USE isupost;
SOURCE $app/sql/schema.sql;
SQL
: >"$work/slow.log"
mariadb --no-defaults -S "$work/sock" -uroot -e 'FLUSH SLOW LOGS; SET GLOBAL slow_query_log = 1'

# The app, on the database above.
(cd "$app/golang" && go build -o "$work/isupost" .)
(cd "$app/golang" && ISUPOST_DB_HOST=127.0.0.1 ISUPOST_DB_PORT=33306 \
	ISUPOST_DB_USER=isupost ISUPOST_DB_PASSWORD=isupost exec "$work/isupost") >"$work/app.log" 2>&1 &
app_pid=$!

go run load.go -app http://127.0.0.1:8080 -listen 127.0.0.1:8081 \
	-requests "$requests" -access "$work/access.ltsv" \
	-admin "mariadb --no-defaults -S $work/sock -uroot isupost"

mariadb --no-defaults -S "$work/sock" -uroot -e 'SET GLOBAL slow_query_log = 0'
cp "$work/slow.log" "$here/slow.log"
cp "$work/access.ltsv" "$here/access.ltsv"
# pt-query-digest's reports of the same log, when percona-toolkit is installed.
if command -v pt-query-digest >/dev/null; then
	pt-query-digest slow.log >digest.txt
	pt-query-digest --output json slow.log >digest.json
fi
echo "record.sh: $(grep -c '^# Query_time' slow.log) statements, $(wc -l <access.ltsv) requests"
