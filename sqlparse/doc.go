// Package sqlparse reads the SQL a Go program sends to its database and
// the schema files that describe that database.
//
// Parse turns a query text into a Statement: its kind, the tables it
// touches with the operation on each, and whether it locks rows or writes.
// ParseSchema reads CREATE TABLE, CREATE INDEX and ALTER TABLE statements
// from .sql files into a Schema, skipping with a Warning what it cannot
// parse. Schema.Check then reports, for a parsed statement, the WHERE and
// JOIN predicates no index serves (with the index to add), and the tables
// and columns the schema does not know.
//
// The grammar is MySQL's, as read by the TiDB parser. ParseDialect and
// ParseSchemaDialect take the database's Dialect (MySQL, Postgres,
// SQLite, or Unknown: guessed from the text, the other tried when the
// guess fails). Postgres and SQLite query texts are rewritten into MySQL
// forms with the same tables, operations and predicate columns before
// parsing (rewritePostgres lists them: $N placeholders, ::casts, = ANY,
// ILIKE, arrays, AT TIME ZONE, INTERVAL '1 day', jsonb operators,
// DISTINCT ON, FILTER, FOR NO KEY UPDATE, functions in FROM, quoted
// names; UPDATE ... FROM and DELETE ... USING become MySQL's multi-table
// forms; ON CONFLICT becomes ON DUPLICATE KEY UPDATE or INSERT IGNORE;
// RETURNING is dropped). A data-modifying common table expression (WITH
// d AS (DELETE ... RETURNING id) INSERT ... SELECT ... FROM d) is cut
// into its bodies, each parsed as a statement of its own, and the
// statement using them, in which their names are never tables.
//
// Why not Postgres's own grammar: github.com/wasilibs/go-pgquery
// (libpg_query compiled to WebAssembly, run by wazero, no cgo) was
// measured on this project's 2-core machine: its first ParseToJSON took
// 7.4 s and 273 MB RSS (compiling the module), then 0.18 ms a parse,
// against a load + SSA floor of about 0.2 s and 32 MB on a small app, so
// an analysis of a Postgres app could never stay within 1.5 times that
// floor. The rewrite costs a few microseconds a query.
//
// Schema files in SQLite's or Postgres's DDL are rewritten the same way
// (types, casts, index methods, the WHERE of a partial index, which the
// Index keeps); migration files count by their up parts; and a table from
// such a file gets CREATE INDEX suggestions, not ALTER TABLE ... ADD
// INDEX.
package sqlparse
