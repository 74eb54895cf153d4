// Package traffic joins crudmap's static map with what a benchmark logged:
// it reads statement logs (a MySQL or MariaDB slow query log written with
// long_query_time = 0, pt-query-digest's text or JSON report, Postgres
// pg_stat_statements exported as CSV or JSON) and HTTP access logs (nginx
// LTSV or JSON lines as alp reads them, alp's own TSV or JSON output),
// recognising each format from its content, and puts the measured cost on
// the report: calls and DB time per query site, requests and response
// times per route, findings ranked by the time they cost, and the logged
// statements no site sends.
//
// Logs are read as streams: memory grows with the number of distinct
// normalised statements and route patterns, never with the log's length.
//
// Matching. A logged statement is normalised (literals, IN lists and
// VALUES rows to placeholders, comments and case dropped): MySQL text with
// the TiDB parser's NormalizeDigestForBinding, Postgres text (whose
// constants pg_stat_statements already shows as $n) with a small scanner
// doing the same. Each query site's SQL is normalised the same way; a
// statement goes to every site with its normal form, and is shared among
// them (graph.Query.SharedWith). A site whose SQL is partly built at run
// time matches a statement whose normal form fits its known parts. Logged
// paths go to the route whose pattern they fit (/api/posts/7 to
// /api/posts/{id} or /api/posts/:id), literal segments first.
package traffic
