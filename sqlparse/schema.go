package sqlparse

import (
	"cmp"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/mysql"
)

// SchemaFile is a schema file's name, as messages should show it (a
// relative path), and its content.
type SchemaFile struct {
	Name string
	Src  []byte
}

// Warning reports a schema statement ParseSchema skipped.
type Warning struct {
	File    string
	Line    int
	Message string
}

// String returns "file:line: message".
func (w Warning) String() string {
	return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message)
}

// Schema is the tables the schema files define.
type Schema struct {
	Tables []*Table // sorted by name, then by file order

	byName map[string][]*Table // lower-case name to its definitions, in file order
}

// Table is a table definition.
type Table struct {
	Name    string // lower case
	File    string // the file defining it
	Line    int    // the line of its CREATE TABLE
	Columns []string
	Indexes []*Index
	// Dialect is the dialect of the file defining the table: the one
	// ParseSchemaDialect was given, or the one the file is written in.
	Dialect Dialect

	cols map[string]bool
}

// Index is an index of a table.
type Index struct {
	Name string
	// Columns are the key parts, in order, up to the first functional
	// key part.
	Columns         []string
	Primary, Unique bool
	// Kind is "" for a B-tree; "FULLTEXT" or "SPATIAL" (MySQL); "GIN",
	// "GIST", "BRIN" or "HASH" (a Postgres index method); "OTHER".
	Kind string
	// Expr is the normalised expression of an expression index's first
	// key part (lower(email)), which Columns then leave out.
	Expr string
	// Where is the predicate of a partial index (Postgres, SQLite),
	// normalised: the index serves only a query that has it too.
	Where string
}

// serves reports whether the index can serve a comparison of kind u on
// its first column.
func (ix *Index) serves(u use) bool {
	switch ix.Kind {
	case "":
		return u == useEq || u == useRange
	case "HASH":
		return u == useEq
	case "BRIN":
		return u == useEq || u == useRange
	case "GIN", "GIST":
		return u == useContains
	}
	return false
}

// normPredicate normalises a predicate for comparison: lower case, no
// quotes, no white space.
func normPredicate(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != '`' && r != '"' && !unicode.IsSpace(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// partialWhere returns the normalised WHERE of a CREATE INDEX statement,
// or "".
func partialWhere(text string) string {
	if !isCreateIndex(leadingWords(text, 3)) {
		return ""
	}
	ws := words(text)
	for _, w := range ws {
		if w.depth == 0 && strings.EqualFold(w.text, "WHERE") {
			return normPredicate(strings.TrimRight(strings.TrimSpace(text[w.end:]), ";"))
		}
	}
	return ""
}

// Table returns the first definition of the named table, or nil.
func (s *Schema) Table(name string) *Table {
	if ts := s.byName[strings.ToLower(name)]; len(ts) > 0 {
		return ts[0]
	}
	return nil
}

// hasColumn reports whether the table has the column.
func (t *Table) hasColumn(col string) bool {
	return t.cols[col]
}

// schemaRE matches a CREATE TABLE statement's start, or an ALTER TABLE
// changing a table's columns.
var schemaRE = regexp.MustCompile(`(?i)\bCREATE\s+(?:TEMPORARY\s+)?TABLE\b|\bALTER\s+TABLE\s[^;]*?\b(?:ADD|DROP|RENAME)\s+COLUMN\b`)

// LooksLikeSchema reports whether src holds a CREATE TABLE statement, or
// an ALTER TABLE that adds, drops or renames a column (a later
// migration), as schema files do and data-only dumps do not.
func LooksLikeSchema(src []byte) bool {
	return schemaRE.Match(src)
}

// ParseSchema reads the schema files in order. Each statement is parsed
// on its own: one the parser rejects is skipped with a Warning. Statements
// other than CREATE, ALTER, DROP and RENAME are ignored. An ALTER TABLE or
// CREATE INDEX applies to the table its file defines or, if none, to the
// first definition. A table defined in several files is kept once per
// file.
func ParseSchema(files []SchemaFile) (*Schema, []Warning) {
	return ParseSchemaDialect(files, Unknown)
}

// ParseSchemaDialect reads the schema files of a database of dialect d
// as ParseSchema does. With Unknown, the dialect of each file is guessed
// from what it holds, or its migration set's (see fileDialects).
func ParseSchemaDialect(files []SchemaFile, d Dialect) (*Schema, []Warning) {
	r := &schemaReader{s: &Schema{byName: map[string][]*Table{}}, custom: customTypes(files)}
	p := parser.New()
	dialects := fileDialects(files)
	for _, f := range versionOrder(files) {
		r.dialect = d
		if d == Unknown {
			r.dialect = dialects[f.Name]
		}
		for _, pc := range split(untemplate(upMigrations(string(f.Src)))) {
			r.statement(p, f.Name, pc)
		}
	}
	for _, ts := range r.s.byName {
		r.s.Tables = append(r.s.Tables, ts...)
	}
	sort.SliceStable(r.s.Tables, func(i, j int) bool {
		a, b := r.s.Tables[i], r.s.Tables[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return r.order[a] < r.order[b]
	})
	return r.s, r.warnings
}

// versionOrder returns the files with those of each directory whose
// names all start with a version in version order, as migration tools
// apply them (1.4.0.sql before 1.21.8.sql); other files keep their place.
func versionOrder(files []SchemaFile) []SchemaFile {
	versioned := versionedDirs(files)
	out := slices.Clone(files)
	slots := map[string][]int{} // the places of each versioned directory's files
	for i, f := range files {
		if dir, _ := path.Split(f.Name); versioned[dir] {
			slots[dir] = append(slots[dir], i)
		}
	}
	for _, idx := range slots {
		group := make([]SchemaFile, len(idx))
		for k, i := range idx {
			group[k] = files[i]
		}
		slices.SortStableFunc(group, func(a, b SchemaFile) int {
			return versionCompare(path.Base(a.Name), path.Base(b.Name))
		})
		for k, i := range idx {
			out[i] = group[k]
		}
	}
	return out
}

// versionedDirs returns the directories (with a trailing /) whose files'
// names all start with a version.
func versionedDirs(files []SchemaFile) map[string]bool {
	versioned := map[string]bool{}
	for _, f := range files {
		dir, base := path.Split(f.Name)
		ok, seen := versioned[dir]
		versioned[dir] = (ok || !seen) && base != "" && isDigit(base[0])
	}
	return versioned
}

// versionCompare compares two file names with their runs of digits as
// numbers.
func versionCompare(a, b string) int {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			na, ra := digitRun(a)
			nb, rb := digitRun(b)
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

// digitRun splits s, which starts with a digit, after its digits, leading
// zeros dropped.
func digitRun(s string) (string, string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	n := strings.TrimLeft(s[:i], "0")
	return n, s[i:]
}

// A schemaReader applies schema statements to a Schema.
type schemaReader struct {
	s        *Schema
	warnings []Warning
	order    map[*Table]int  // definition order
	custom   map[string]bool // Postgres types and domains, lower case
	dialect  Dialect         // of the file being read
	where    string          // of the partial index being read
	index    pgIndex         // the Postgres CREATE INDEX being read
}

// postgresDDL and sqliteDDL match what only Postgres or SQLite schema
// files hold.
var (
	postgresDDL = regexp.MustCompile(`(?i)\b(bigserial|smallserial|timestamptz|jsonb|bytea|owner\s+to|create\s+extension|create\s+type|as\s+identity|nextval\s*\(|using\s+(btree|gin|gist|brin))\b|::\s*\w`)
	sqliteDDL   = regexp.MustCompile(`(?i)\b(autoincrement|without\s+rowid|pragma)\b`)
)

// dialectOf returns the database a schema file is written for: Postgres,
// SQLite or MySQL.
func dialectOf(src []byte) Dialect {
	switch {
	case postgresDDL.Match(src):
		return Postgres
	case sqliteDDL.Match(src):
		return SQLite
	}
	return MySQL
}

// templateName matches a template action naming a table in a schema
// file that the app fills in at run time: {{ tenant "mailbox" }}.
var templateName = regexp.MustCompile(`\{\{[^{}]*?"(\w+)"[^{}]*\}\}`)

// untemplate replaces each template action naming a table by the name.
func untemplate(src string) string {
	if !strings.Contains(src, "{{") {
		return src
	}
	return templateName.ReplaceAllString(src, "$1")
}

// fileDialects returns the dialect of each schema file, by name: the one
// it is written in (see dialectOf) or, for a migration of a set whose
// names are versions, the set's: the first of its files written for
// Postgres or SQLite decides it, since a migration that only adds a
// column says nothing of its own.
func fileDialects(files []SchemaFile) map[string]Dialect {
	versioned := versionedDirs(files)
	sets := map[string]Dialect{}
	for _, f := range files {
		if dir, _ := path.Split(f.Name); versioned[dir] && (sets[dir] == Unknown || sets[dir] == MySQL) {
			sets[dir] = dialectOf(f.Src)
		}
	}
	out := map[string]Dialect{}
	for _, f := range files {
		out[f.Name] = dialectOf(f.Src)
		if dir, _ := path.Split(f.Name); sets[dir] != Unknown {
			out[f.Name] = sets[dir]
		}
	}
	return out
}

// customType matches a Postgres CREATE TYPE or CREATE DOMAIN statement.
var customType = regexp.MustCompile(`(?i)\bcreate\s+(?:type|domain)\s+(?:[\w"]+\.)?"?(\w+)"?`)

// customTypes returns the names of the types and domains files create.
func customTypes(files []SchemaFile) map[string]bool {
	names := map[string]bool{}
	for _, f := range files {
		for _, m := range customType.FindAllSubmatch(f.Src, -1) {
			names[strings.ToLower(string(m[1]))] = true
		}
	}
	return names
}

// migrationMark matches the comments that start the up and down parts of
// a migration file: goose (-- +goose Up), sql-migrate (-- +migrate Down),
// dbmate (-- migrate:up).
var migrationMark = regexp.MustCompile(`(?im)^[ \t]*--[ \t]*(?:\+goose[ \t]+|\+migrate[ \t]+|migrate:)(up|down)\b.*$`)

// upMigrations blanks the down parts of a migration file, which undo the
// up parts, keeping the line numbers.
func upMigrations(src string) string {
	marks := migrationMark.FindAllStringSubmatchIndex(src, -1)
	if len(marks) == 0 {
		return src
	}
	b := []byte(src)
	for i, m := range marks {
		if !strings.EqualFold(src[m[2]:m[3]], "down") {
			continue
		}
		end := len(src)
		if i+1 < len(marks) {
			end = marks[i+1][0]
		}
		for j := m[1]; j < end; j++ {
			if b[j] != '\n' {
				b[j] = ' '
			}
		}
	}
	return string(b)
}

// alterTable and addIndex match an ALTER TABLE statement, and the clauses
// of one that add an index or a key.
var (
	alterTable = regexp.MustCompile(`(?i)^\s*alter\s+table\b`)
	addIndex   = regexp.MustCompile(`(?i)\b(add\s+(unique|primary|index|key|constraint|fulltext|spatial|column)|rename\s+column|drop\s+column)\b`)
)

// addsIndex reports whether a schema statement may define a table or an
// index: everything but an ALTER TABLE without ADD INDEX, KEY or
// CONSTRAINT (OWNER TO, ALTER COLUMN ... SET DEFAULT in a Postgres dump).
func addsIndex(text string) bool {
	return !alterTable.MatchString(text) || addIndex.MatchString(text)
}

// statement parses and applies one schema statement.
func (r *schemaReader) statement(p *parser.Parser, file string, pc piece) {
	if !isSchemaDDL(pc.text) {
		return
	}
	if names, ok := pgDropIndex(pc.text); ok {
		r.dropIndexes(names)
		return
	}
	r.index = pgIndex{text: pc.text}
	if r.dialect != MySQL {
		r.index = pgCreateIndex(pc.text)
	}
	nodes, kinds, err := parseDDL(p, r.index.text, r.custom)
	if err != nil && r.dialect == MySQL {
		// A file with nothing only Postgres or SQLite has may still
		// index a column MySQL reserves (Key, Read).
		if ix := pgCreateIndex(pc.text); ix.text != pc.text {
			if n, k, err2 := parseDDL(p, ix.text, r.custom); err2 == nil {
				nodes, kinds, err, r.index = n, k, nil, ix
			}
		}
	}
	if err != nil && !addsIndex(pc.text) {
		return // an ALTER TABLE that changes nothing crudmap reads
	}
	if err != nil {
		line, msg := syntaxError(err, pc.line)
		r.warn(file, line, "statement skipped: %s", msg)
		return
	}
	r.where = partialWhere(pc.text)
	for _, n := range nodes {
		r.apply(file, pc.line, n, kinds)
	}
}

// dropIndexes drops the named indexes from every table: a Postgres index
// name is unique in its schema.
func (r *schemaReader) dropIndexes(names []string) {
	for _, ts := range r.s.byName {
		for _, t := range ts {
			for _, n := range names {
				t.dropIndex(n)
			}
		}
	}
}

// parserPos matches the TiDB parser's 'line L column C near "TEXT"'.
var parserPos = regexp.MustCompile(`line (\d+) column (\d+) near "((?s).*)"\s*$`)

// syntaxError turns the parser's message about a statement starting at
// line start into the file line it points at and a one-line message.
func syntaxError(err error, start int) (int, string) {
	m := parserPos.FindStringSubmatch(err.Error())
	if m == nil {
		return start, strings.Join(strings.Fields(err.Error()), " ")
	}
	line, _ := strconv.Atoi(m[1])
	near := strings.TrimSpace(strings.SplitN(m[3], "\n", 2)[0])
	if len(near) > 40 {
		near = near[:40] + "…"
	}
	return start + line - 1, fmt.Sprintf("syntax error at column %s near %q", m[2], near)
}

// warn records a warning.
func (r *schemaReader) warn(file string, line int, format string, args ...any) {
	r.warnings = append(r.warnings, Warning{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// isSchemaDDL reports whether text is a statement ParseSchema reads:
// CREATE TABLE or INDEX, ALTER TABLE, DROP TABLE or INDEX, RENAME TABLE.
func isSchemaDDL(text string) bool {
	ws := leadingWords(text, 4)
	if len(ws) < 2 {
		return false
	}
	first := strings.ToUpper(ws[0].text)
	for _, w := range ws[1:min(len(ws), 4)] {
		switch strings.ToUpper(w.text) {
		case "TABLE":
			return first == "CREATE" || first == "ALTER" || first == "DROP" || first == "RENAME"
		case "INDEX":
			return first == "CREATE" || first == "DROP"
		}
	}
	return false
}

// pgCollation matches a Postgres collation clause: COLLATE "C".
var pgCollation = regexp.MustCompile(`(?i)\bcollate\s+"[^"]*"`)

// parseDDL parses one schema statement: as written, then with SQLite and
// spatial forms rewritten, then with ANSI quotes. It returns the nodes and
// the kind of each FULLTEXT index in order (SPATIAL ones are parsed as
// FULLTEXT). The error is the first attempt's.
func parseDDL(p *parser.Parser, text string, custom map[string]bool) (nodes []ast.StmtNode, kinds []string, err error) {
	defer func() {
		if x := recover(); x != nil {
			nodes, err = nil, fmt.Errorf("parser failed: %v", x)
		}
	}()
	nodes, err = parseMode(p, text, 0)
	if err == nil {
		return nodes, fulltextKinds(text), nil
	}
	fixed := rewriteDDL(pgCollation.ReplaceAllString(text, ""), custom)
	for _, mode := range []mysql.SQLMode{0, mysql.ModeANSIQuotes} {
		if n, err2 := parseMode(p, fixed, mode); err2 == nil {
			return n, fulltextKinds(text), nil
		}
	}
	return nil, nil, err
}
