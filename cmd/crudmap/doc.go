/*
Crudmap maps every HTTP route of a Go web application to the SQL it can
run, and flags the performance bugs that matter most: N+1 queries, WHERE and
JOIN columns that no index serves, and transactions that only read.

Usage:

	crudmap [flags] [packages]

Run it in the application's module directory (crudmap .), or point -C at
it. The packages default to "."; the module's packages they import are
analysed too. Flags may follow the packages too (crudmap . -o report.md).
It prints a CRUD matrix of routes × tables and one line per finding on
stdout, and notes (what it skipped or could not read) on stderr, each once:

	ride.go:88:14: [n+1] GET /api/rides: SELECT chairs runs once per iteration of the loop at ride.go:80:2 (via fillRide → getChair)

Flags:

	-C dir           analyse the module in dir (-o and -schema paths stay
	                 relative to the current directory)
	-o file          also write a report; the format follows the extension:
	                 .md (Markdown), .json, .html (self-contained page),
	                 .svg and .dot (call graph), .sarif, .txt; repeatable.
	                 The .svg and .html graphs are laid out by the
	                 crudmap-svg beside crudmap or on $PATH (go install
	                 github.com/crudmap/crudmap/cmd/crudmap/...@latest
	                 installs both); without it the .html has no graph and
	                 a .svg is not written. crudmap never builds it
	-schema file     schema DDL file or glob; repeatable. By default crudmap
	                 reads the *.sql files holding CREATE TABLE or ADD INDEX
	                 in the module, or up to two directories above it
	                 (webapp/sql) but not in other projects there nor in
	                 asset trees (public/, static/, ...); it reads regular
	                 files only and skips data-only dumps. Notes name what
	                 it skipped. MySQL, SQLite and Postgres DDL are read,
	                 and migrations by their up parts
	-slowlog file    a statement log of a benchmark: a MySQL or MariaDB slow
	                 query log (long_query_time = 0), pt-query-digest's
	                 report or --output json, or pg_stat_statements as CSV
	                 or JSON; the format is read from the content;
	                 repeatable. Reports then lead with the top 10
	                 statements by DB time, give each query its calls and
	                 time, rank findings by cost and list the logged
	                 statements no query site sends
	-accesslog file  an HTTP access log of the same run: nginx LTSV or JSON
	                 lines (as alp reads them) or alp's TSV or JSON output;
	                 repeatable. Gives each route its requests, mean and p99
	                 time and statements per request
	-graph mode      the graph of the .svg, .html and .dot reports: tables
	                 (default: routes straight to the tables they touch,
	                 readers left, writers right, functions folded; the
	                 HTML focuses a route or a table on its own call
	                 graph), compact (routes → functions → tables, less
	                 pass-through helpers) or full
	-web             serve the HTML report on -addr, re-analysing on reload
	                 (loads during an analysis share it); //crudmap:ignore
	                 and -baseline apply as for reports. Only requests for
	                 localhost or a loopback address are answered
	-addr host:port  address for -web (default 127.0.0.1:7070); crudmap
	                 warns when it is not a loopback address
	-format f        stdout format: text (default), md (Markdown, e.g. >>
	                 "$GITHUB_STEP_SUMMARY"), json, github (GitHub Actions
	                 annotations) or sarif
	-lang ja|en      the language of the text, Markdown and HTML reports'
	                 prose (labels, messages, fixes, notes; SQL and names
	                 stay as they are). The default follows LC_ALL, then
	                 LC_MESSAGES, then LANG: ja_JP.UTF-8 gives ja, anything
	                 else en. JSON and SARIF stay English. With ja, -h
	                 prints a summary of this manual in Japanese first
	-md-full         Markdown reports also give every route's SQL and the
	                 schema's indexes (by default they stop after the
	                 findings, the CRUD matrix and the notes)
	-fail-on level   exit 1 when a finding is at or above level: error,
	                 warning, info or none (default none). The report's
	                 warnings (WARNING: in the summary: most packages did
	                 not load, no route reaches a query, the schema gave
	                 no table) are errors: -fail-on error fails on them
	-baseline file   report only the findings the baseline does not accept
	-write-baseline file
	                 accept the current findings: write them to file, exit 0
	-strict          also report //crudmap:ignore comments that suppress nothing
	-version         print the version and exit: the module version of a
	                 go install, or the commit of a build from a checkout
	-h               print this manual and exit

What it reports (finding kinds):

	n+1          a query that runs once per iteration of a loop, in the
	             handler or any number of calls below it; one finding per
	             query and loop, naming every route that runs it; "bounded"
	             (info) when the loop runs over at most 4 constant elements.
	             Info, listed apart, when no route runs it: a worker's loop
	             ("per job" for one receiving from a channel) and recursion
	             that follows one link per level (a category's parent).
	             Code that runs once per process (main, init, a cobra
	             command, migrations, generated code) and timer loops never
	             yield one
	unindexed    a WHERE/JOIN column no index of the schema can serve, with
	             the ALTER TABLE (CREATE INDEX for Postgres or SQLite) that
	             adds one
	readonly-tx  a transaction whose every statement is a plain SELECT
	schema       a table or column the schema files do not define
	sql-error    SQL text the parser cannot read (its tables may be missing)

A finding is silenced by a comment on its line or the line above:

	//crudmap:ignore n+1 -- at most 5 tags per post

naming one or more kinds (n+1, unindexed, readonly-tx, schema, sql-error,
all), separated by commas, and a reason, which is required. Blanks after
the slashes and around the commas are fine:

	// crudmap:ignore n+1, unindexed -- a page of 20 rows

Positions are file:line:col relative to the module root. Progress goes to
stderr when it is a terminal.

Each report file is replaced whole, through a temporary file beside it: a
report that cannot be written keeps its previous content, and the other
reports and stdout are still written.

Exit status: 0 when no finding is at or above -fail-on, 1 when one is, 2
when crudmap could not do its job (bad flag, no go.mod, no package loads,
unreadable baseline, a report not written).
*/
package main
