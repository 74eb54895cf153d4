// Package analyzer reads a Go web application and builds crudmap's model of
// it (a graph.Report): it loads the module's packages with go/packages
// (dependencies from export data), builds SSA for the module's own code,
// finds the HTTP routes each router framework registers, follows each
// route's handler and middleware through calls, closures, method values and
// interface methods to the database/sql, sqlx and pgx calls they make (and
// those of go-gorp, the squirrel and sqlf builders and the named-query
// libraries), resolves the SQL text that reaches each call, and derives
// the findings:
// queries run once per loop iteration (N+1), predicates no schema index
// serves, and transactions that only read. Each query is read in the
// dialect of its database (dialect.go), and the schema is read where the
// app keeps it: schema and migration files, and the DDL its Go code runs
// (ddlcode.go).
//
// The pipeline, in order: load.go (packages, SSA), program.go (indexes over
// the module's functions), routes*.go (registrations per framework),
// dbcalls.go (which calls run SQL), walk.go (from each route to its
// database calls, with loop and transaction context), values.go and sqltext.go (what a value holds, and
// the SQL reaching a call, embed.go for files put in variables,
// namedsql.go for named queries of .sql files, builders.go and gorp.go for
// SQL that builders and mappers write), then nplusone.go, tx.go, index.go
// and report.go build the findings and the report, unknown.go says where
// SQL text stayed unknown and why.
package analyzer
