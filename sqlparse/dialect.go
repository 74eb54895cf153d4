package sqlparse

import (
	"regexp"
	"strings"
)

// Dialect is the SQL dialect of a database: what its queries and schema
// are written in.
type Dialect string

// The dialects crudmap reads. Unknown reads a text as MySQL unless it
// looks like Postgres, and tries the other when the first fails.
const (
	Unknown  Dialect = ""
	MySQL    Dialect = "mysql"
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// postgresQuery matches what only a Postgres (or SQLite) query holds.
var postgresQuery = regexp.MustCompile(`\$[0-9]|::|->>|@>|(?i)\b(ilike|returning|on\s+conflict|distinct\s+on|at\s+time\s+zone|is\s+(not\s+)?distinct\s+from|nulls\s+(first|last)|limit\s+all|for\s+no\s+key)\b|(?i)\binterval\s+'|(?i)\b(any|all)\s*\(\s*(\$|array)`)

// guess returns the dialect a query text of an Unknown database is most
// likely written in: Postgres when it has a form only Postgres (or
// SQLite) has, else MySQL.
func guess(sql string) Dialect {
	if mayBePostgres(sql) && postgresQuery.MatchString(sql) {
		return Postgres
	}
	return MySQL
}

// mayBePostgres reports whether sql holds a sign or a word that every
// match of postgresQuery holds: most queries hold none, and are told
// without the regexp.
func mayBePostgres(sql string) bool {
	if strings.ContainsAny(sql, "$@") || strings.Contains(sql, "::") || strings.Contains(sql, "->>") {
		return true
	}
	var upper [len("RETURNING")]byte
	for i := 0; i < len(sql); {
		if !isIdent(sql[i]) {
			i++
			continue
		}
		j := i
		for j < len(sql) && isIdent(sql[j]) {
			j++
		}
		if n := j - i; n <= len(upper) {
			for k := range n {
				c := sql[i+k]
				if 'a' <= c && c <= 'z' {
					c -= 'a' - 'A'
				}
				upper[k] = c
			}
			if postgresWords[string(upper[:n])] {
				return true
			}
		}
		i = j
	}
	return false
}

// postgresWords are the words, one of which every Postgres form of
// postgresQuery but its signs holds.
var postgresWords = map[string]bool{"ILIKE": true, "RETURNING": true, "CONFLICT": true, "DISTINCT": true, "ZONE": true,
	"NULLS": true, "ALL": true, "KEY": true, "INTERVAL": true, "ANY": true}

// spatialTypes are the MySQL spatial column types, which the parser does
// not know.
var spatialTypes = map[string]bool{
	"GEOMETRY": true, "POINT": true, "LINESTRING": true, "POLYGON": true, "MULTIPOINT": true,
	"MULTILINESTRING": true, "MULTIPOLYGON": true, "GEOMETRYCOLLECTION": true, "GEOMCOLLECTION": true,
}

// postgresTypes are the Postgres column types the parser does not know,
// with a MySQL type of the same use.
var postgresTypes = map[string]string{
	"SERIAL": "BIGINT", "BIGSERIAL": "BIGINT", "SMALLSERIAL": "BIGINT", "SERIAL4": "BIGINT", "SERIAL8": "BIGINT",
	"INT4": "INT", "INT8": "BIGINT", "INT2": "SMALLINT", "FLOAT8": "DOUBLE", "FLOAT4": "FLOAT", "BOOL": "BOOLEAN",
	"TIMESTAMPTZ": "TIMESTAMP", "TIMETZ": "TIME", "JSONB": "JSON", "UUID": "CHAR(36)", "BYTEA": "BLOB",
	"INET": "TEXT", "CIDR": "TEXT", "CITEXT": "TEXT", "MACADDR": "TEXT", "TSVECTOR": "TEXT", "INTERVAL": "TEXT",
	"MONEY": "DECIMAL",
}

// rewriteDDL rewrites what the parser rejects in SQLite, Postgres and
// MySQL DDL into forms it reads with the same columns and indexes:
// AUTOINCREMENT, WITHOUT ROWID, STRICT, COLLATE NOCASE, column ON CONFLICT
// clauses, DEFAULT (expr) and DEFAULT f(...), SRID, spatial column types
// (as BLOB) and SPATIAL keys (as FULLTEXT: neither serves = or ranges);
// Postgres types, arrays, casts, identity columns, index methods,
// CONCURRENTLY, ONLY and the WHERE of a partial index. Column types named
// in custom (CREATE TYPE, CREATE DOMAIN) become TEXT.
func rewriteDDL(s string, custom map[string]bool) string {
	ws := words(s)
	var b strings.Builder
	last := 0
	replace := func(from, to int, with string) {
		b.WriteString(s[last:ws[from].start])
		b.WriteString(with)
		last = ws[to].end
	}
	createIndex := isCreateIndex(ws)
	for i := 0; i < len(ws); i++ {
		w := strings.ToUpper(ws[i].text)
		next := ""
		if i+1 < len(ws) {
			next = strings.ToUpper(ws[i+1].text)
		}
		switch {
		case mysqlReservedColumns[w] && ws[i].depth == 1 && i > 0 && (ws[i-1].text == "(" || ws[i-1].text == ",") && next != "" && isTypeName(next):
			replace(i, i, "`"+ws[i].text+"`") // a column named values or key
		case isColumnType(s, ws, i) && pgType(ws, i, custom) != "":
			end := i
			if next == "." {
				end = i + 2 // public.mood
			}
			replace(i, end, pgType(ws, i, custom))
			i = end
		case w == "[" && next == "]":
			replace(i, i+1, "")
			i++
		case w == ":" && next == ":" && i+2 < len(ws):
			end := castEnd(ws, i+2)
			replace(i, end, "")
			i = end
		case (w == "WITH" || w == "WITHOUT") && next == "TIME" && i+2 < len(ws) && strings.EqualFold(ws[i+2].text, "ZONE"):
			replace(i, i+2, "")
			i += 2
		case w == "GENERATED" && identity(ws, i) > i:
			end := identity(ws, i)
			replace(i, end, "")
			i = end
		case w == "USING" && createIndex && i+2 < len(ws) && ws[i+2].text == "(":
			replace(i, i+1, "")
			i++
		case w == "CONCURRENTLY" || w == "ONLY" && i == 2:
			replace(i, i, "")
		case w == "WHERE" && createIndex && ws[i].depth == 0:
			replace(i, len(ws)-1, "")
			i = len(ws)
		case w == "DEFAULT" && i+2 < len(ws) && isIdent(ws[i+1].text[0]) && ws[i+2].text == "(":
			end := closing(ws, i+2)
			replace(i, end, "")
			i = end
		case w == "DEFERRABLE", w == "INITIALLY" && (next == "DEFERRED" || next == "IMMEDIATE"):
			end := i
			if w == "INITIALLY" {
				end++
			}
			replace(i, end, "")
			i = end
		case w == "NOT" && next == "DEFERRABLE":
			replace(i, i+1, "")
			i++
		case w == "CHECK" && next == "(":
			end := closing(ws, i+1)
			replace(i, end, "CHECK (1)") // a check makes no index; its text may be Postgres's
			i = end
		case w == "IF" && next == "EXISTS" && i == 2 && strings.EqualFold(ws[0].text, "ALTER"):
			replace(i, i+1, "")
			i++
		case w == "AUTOINCREMENT":
			replace(i, i, "AUTO_INCREMENT")
		case w == "WITHOUT" && next == "ROWID", w == "COLLATE" && (next == "NOCASE" || next == "RTRIM"):
			replace(i, i+1, "")
			i++
		case w == "SRID" && i+1 < len(ws):
			replace(i, i+1, "")
			i++
		case w == "STRICT" && ws[i].depth == 0:
			replace(i, i, "")
		case w == "ON" && next == "CONFLICT" && i+2 < len(ws):
			replace(i, i+2, "")
			i += 2
		case w == "DEFAULT" && next == "(":
			end := closing(ws, i+1)
			replace(i, end, "")
			i = end
		case spatialTypes[w] && isColumnType(s, ws, i) && next != "(":
			replace(i, i, "BLOB")
		case w == "SPATIAL":
			replace(i, i, "FULLTEXT")
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// isTypeName reports whether w, in upper case, names a column type.
func isTypeName(w string) bool {
	if postgresTypes[w] != "" || spatialTypes[w] {
		return true
	}
	switch w {
	case "TEXT", "VARCHAR", "CHAR", "CHARACTER", "INT", "INTEGER", "BIGINT", "SMALLINT", "BOOLEAN", "NUMERIC",
		"DECIMAL", "REAL", "DOUBLE", "FLOAT", "DATE", "TIME", "TIMESTAMP", "DATETIME", "JSON", "BLOB":
		return true
	}
	return false
}

// pgType returns the MySQL type for the Postgres or custom type, maybe
// qualified by its schema, at ws[i], or "".
func pgType(ws []word, i int, custom map[string]bool) string {
	name := ws[i].text
	if i+2 < len(ws) && ws[i+1].text == "." {
		name = ws[i+2].text
	}
	if t := postgresTypes[strings.ToUpper(name)]; t != "" {
		return t
	}
	if custom[strings.ToLower(name)] {
		return "TEXT"
	}
	return ""
}

// castEnd returns the last word of the type a :: cast names from ws[i]:
// public.mood, character varying, text[].
func castEnd(ws []word, i int) int {
	end := i
	for end+2 < len(ws) && ws[end+1].text == "." {
		end += 2
	}
	if end+1 < len(ws) && strings.EqualFold(ws[end+1].text, "VARYING") {
		end++
	}
	if end+2 < len(ws) && ws[end+1].text == "[" && ws[end+2].text == "]" {
		end += 2
	}
	return end
}

// isCreateIndex reports whether ws is a CREATE [UNIQUE] INDEX statement.
func isCreateIndex(ws []word) bool {
	if len(ws) < 3 || !strings.EqualFold(ws[0].text, "CREATE") {
		return false
	}
	return strings.EqualFold(ws[1].text, "INDEX") || strings.EqualFold(ws[2].text, "INDEX")
}

// identity returns the end of a Postgres identity clause starting at
// ws[i] (GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(options)]), or i.
func identity(ws []word, i int) int {
	for j := i + 1; j < len(ws) && j <= i+4; j++ {
		if strings.EqualFold(ws[j].text, "IDENTITY") {
			if j+1 < len(ws) && ws[j+1].text == "(" {
				return closing(ws, j+1)
			}
			return j
		}
	}
	return i
}

// closing returns the index of the word closing the parenthesis ws[open].
func closing(ws []word, open int) int {
	for j := open + 1; j < len(ws); j++ {
		if ws[j].text == ")" && ws[j].depth == ws[open].depth {
			return j
		}
	}
	return len(ws) - 1
}

// isColumnType reports whether ws[i] follows a column name in a column
// definition list.
func isColumnType(s string, ws []word, i int) bool {
	if i >= 2 && ws[i].depth == 0 && strings.EqualFold(ws[0].text, "ALTER") {
		switch strings.ToUpper(ws[i-2].text) {
		case "COLUMN", "ADD", "EXISTS":
			return !strings.EqualFold(ws[i-1].text, "COLUMN")
		}
		return strings.EqualFold(ws[i-1].text, "TYPE")
	}
	if i == 0 || ws[i].depth != 1 {
		return false
	}
	prev := ws[i-1]
	return prev.text != "(" && prev.text != "," || strings.ContainsAny(s[prev.end:ws[i].start], "`\"")
}

// fulltextKinds returns, for each FULLTEXT or SPATIAL key of a DDL text in
// order, "FULLTEXT" or "SPATIAL".
func fulltextKinds(s string) []string {
	upper := strings.ToUpper(s)
	if !strings.Contains(upper, "FULLTEXT") && !strings.Contains(upper, "SPATIAL") {
		return nil
	}
	var kinds []string
	for _, w := range words(s) {
		switch k := strings.ToUpper(w.text); k {
		case "FULLTEXT", "SPATIAL":
			kinds = append(kinds, k)
		}
	}
	return kinds
}
