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
// The SQL dialect is MySQL's, as read by the TiDB parser. Postgres ($1),
// SQLite (?1) and sqlx (:name) placeholders, SQLite's INSERT OR REPLACE,
// and simple RETURNING and ON CONFLICT clauses are rewritten to MySQL
// before parsing. Schema files in SQLite's or Postgres's DDL are rewritten
// the same way (types, casts, index methods, the WHERE of a partial index,
// which the Index keeps); migration files count by their up parts; and a
// table from such a file gets CREATE INDEX suggestions, not ALTER TABLE ...
// ADD INDEX.
package sqlparse
