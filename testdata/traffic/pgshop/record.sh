#!/bin/sh
# record.sh records pg_stat_statements, as CSV and JSON, and an nginx JSON
# access log of the pgshop sample app under a small, bounded load. Run from
# this directory as root with Postgres (15 or later, with its contrib
# modules) and Go installed:
#
#	./record.sh [requests]
#
# It starts a private Postgres on 127.0.0.1:55432 with a throw-away data
# directory and pg_stat_statements loaded, loads ../../apps/pgshop/schema.sql
# and a few rows, builds and starts the app (it listens on :8080), and runs
# load.go: a reverse proxy on 127.0.0.1:8081 writing access.json in the
# JSON log format alp reads, and a client driving the routes through it.
# The outputs replace pgss.csv, pgss.json and access.json here.
set -eu
requests=${1:-300}
here=$(pwd)
work=$(mktemp -d)
chmod 755 "$work"
mkdir "$work/pg" && chown postgres "$work/pg"
app=$here/../../apps/pgshop
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { runuser -u postgres -- "$@"; }
cleanup() {
	[ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null || true
	as_pg "$bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

as_pg "$bin/initdb" -D "$work/pg" -U postgres >/dev/null
as_pg "$bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
	-o "-c listen_addresses=127.0.0.1 -c port=55432 -k $work/pg -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top" start >/dev/null
psql() { as_pg "$bin/psql" -h "$work/pg" -p 55432 -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql -c "CREATE ROLE pgshop LOGIN PASSWORD 'pgshop'" -c "CREATE DATABASE pgshop OWNER pgshop"
psql -d pgshop -c "CREATE EXTENSION pg_stat_statements"
psql -d pgshop -c "SET ROLE pgshop" -f "$app/schema.sql" >/dev/null
# Rows to browse: 4 categories, 40 products, 10 users whose password is
# "password" (salt || sha256(salt || password)), a coupon.
psql -d pgshop <<'SQL'
SET ROLE pgshop;
INSERT INTO categories (slug, name) SELECT 'cat' || i, 'Category ' || i FROM generate_series(1, 4) i;
INSERT INTO products (category_id, sku, name, price_cents, stock)
	SELECT 1 + i % 4, 'SKU' || i, 'Product ' || i, 100 * i, 1000 FROM generate_series(1, 40) i;
INSERT INTO users (email, password_hash, name)
	SELECT 'user' || i || '@example.com', '\x00000000000000000000000000000000'::bytea || sha256('\x00000000000000000000000000000000'::bytea || 'password'::bytea), 'User ' || i
	FROM generate_series(1, 10) i;
INSERT INTO coupons (code, percent_off, max_uses) VALUES ('SAVE10', 10, 100000);
SQL
psql -d pgshop -c "SELECT pg_stat_statements_reset()" >/dev/null

(cd "$app" && go build -o "$work/pgshop" .)
DATABASE_URL="postgres://pgshop:pgshop@127.0.0.1:55432/pgshop?sslmode=disable" "$work/pgshop" >"$work/app.log" 2>&1 &
app_pid=$!

go run load.go -app http://127.0.0.1:8080 -listen 127.0.0.1:8081 -requests "$requests" -access "$work/access.json"

cols="query, calls, total_exec_time, rows"
psql -d pgshop -c "\\copy (SELECT $cols FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'pgshop') ORDER BY total_exec_time DESC) TO '$work/pg/pgss.csv' CSV HEADER"
psql -d pgshop -At -c "SELECT json_agg(s) FROM (SELECT $cols FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'pgshop') ORDER BY total_exec_time DESC) s" >"$work/pgss.json"
cp "$work/pg/pgss.csv" "$work/pgss.json" "$work/access.json" "$here/"
echo "record.sh: $(grep -c . "$here/access.json") requests"
