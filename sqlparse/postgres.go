package sqlparse

import (
	"regexp"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
)

// pgWriter rewrites the tokens of a Postgres or SQLite query into a text
// of the same statements in MySQL, as the TiDB parser reads them (in
// PIPES_AS_CONCAT mode, where || joins strings). Each form is rewritten
// into one with the same tables and operations, and with the same
// predicate columns where an index could serve them; see rewritePostgres.
type pgWriter struct {
	s      string
	toks   []pgToken
	match  []int  // the index of the bracket closing each opening one, and back
	open   []int  // the index of the ( enclosing each token, or -1
	skip   []bool // tokens already written or dropped
	after  map[int]string
	before map[int]string
	b      strings.Builder
	last   int             // end of the text written
	rows   map[string]bool // the names FROM items go by, lower case (see rowRef)

	fromComma []bool // the commas of FROM clauses (see fromCommas)
}

// dollarParam matches a Postgres $N placeholder outside quotes (roughly:
// it decides whether ? is an operator).
var dollarParam = regexp.MustCompile(`\$[0-9]`)

// rewritePostgres turns a Postgres or SQLite query text into MySQL:
// placeholders become ?, strings MySQL strings (the text is parsed with
// ANSI quotes, so "quoted" names stay as they are);
// ::casts, NULLS FIRST/LAST, FILTER (WHERE ...), WITHIN GROUP (...),
// ORDER BY inside an aggregate's arguments, LIMIT ALL and ONLY are
// dropped; AT TIME ZONE and its zone are dropped; INTERVAL '1 day'
// becomes the string; = ANY(x) becomes IN (x) and <> ALL(x) NOT IN (x);
// ARRAY[...] becomes (...) and subscripts are dropped; ->, ->>, #> and
// #>> become - (an expression on the column, which no plain index
// serves); @>, <@, ?, ?|, ?&, && and @@ become ^ (see cond: a containment
// test a GIN index may serve); ~ and ~* become REGEXP; IS [NOT] DISTINCT
// FROM becomes != or <=>; DISTINCT ON (...) DISTINCT; FOR NO KEY UPDATE
// and FOR KEY SHARE FOR UPDATE and FOR SHARE; FETCH FIRST n ROWS ONLY
// LIMIT n, and OFFSET comes after LIMIT; FULL JOIN becomes LEFT JOIN; a
// function in FROM (generate_series, json_each, unnest) becomes a derived
// table; CAST(x AS uuid) casts to CHAR; EXTRACT(EPOCH ...) to a MySQL
// unit; and words MySQL reserves but Postgres does not (values, key) are
// quoted where they name a column.
func rewritePostgres(s string) string {
	w := &pgWriter{s: s, toks: pgLex(s, dollarParam.MatchString(s)),
		after: map[int]string{}, before: map[int]string{}}
	w.brackets()
	w.fromComma = w.fromCommas()
	w.rows = w.fromNames()
	w.skip = make([]bool, len(w.toks))
	for i := range w.toks {
		if !w.skip[i] {
			w.token(i)
		}
	}
	w.gap(len(s))
	return w.b.String()
}

// brackets pairs the brackets of the text and finds each token's
// enclosing parenthesis.
func (w *pgWriter) brackets() {
	w.match = make([]int, len(w.toks))
	w.open = make([]int, len(w.toks))
	var stack []int
	for i, t := range w.toks {
		w.match[i] = -1
		w.open[i] = -1
		for k := len(stack) - 1; k >= 0; k-- {
			if w.toks[stack[k]].text == "(" {
				w.open[i] = stack[k]
				break
			}
		}
		if t.kind != tokPunct {
			continue
		}
		switch t.text {
		case "(", "[":
			stack = append(stack, i)
		case ")", "]":
			if len(stack) > 0 {
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				w.match[o], w.match[i] = i, o
			}
		}
	}
}

// gap writes the text between the last token written and s[end]: white
// space as it is, comments as spaces (keeping line breaks).
func (w *pgWriter) gap(end int) {
	if end <= w.last {
		return
	}
	for _, c := range []byte(w.s[w.last:end]) {
		if c == '\n' {
			w.b.WriteByte('\n')
		} else {
			w.b.WriteByte(' ')
		}
	}
	w.last = end
}

// emit writes the text standing for tokens i..j (inclusive).
func (w *pgWriter) emit(i, j int, text string) {
	w.gap(w.toks[i].start)
	w.b.WriteString(w.before[i])
	w.b.WriteString(text)
	for k := i; k <= j && k < len(w.toks); k++ {
		w.skip[k] = true
		if k > i {
			w.b.WriteString(w.after[k])
		}
	}
	w.b.WriteString(w.after[i])
	w.last = w.toks[min(j, len(w.toks)-1)].end
}

// drop drops tokens i..j, keeping what is to be written around them.
func (w *pgWriter) drop(i, j int) { w.emit(i, j, "") }

// tok returns token i, or a zero token past the end.
func (w *pgWriter) tok(i int) pgToken {
	if i < 0 || i >= len(w.toks) {
		return pgToken{kind: tokPunct}
	}
	return w.toks[i]
}

// closeOf returns the index of the bracket closing token i, or the last
// token.
func (w *pgWriter) closeOf(i int) int {
	if m := w.match[i]; m > i {
		return m
	}
	return len(w.toks) - 1
}

// token writes token i and whatever form starts at it.
func (w *pgWriter) token(i int) {
	t := w.toks[i]
	switch t.kind {
	case tokParam:
		w.emit(i, i, "?")
	case tokQuoted:
		w.emit(i, i, `"`+strings.ReplaceAll(unquote(t.text), `"`, `""`)+`"`)
	case tokString:
		w.str(i)
	case tokCast:
		w.drop(i, w.castEnd(i+1))
	case tokOp:
		w.op(i)
	case tokPunct:
		w.punct(i)
	case tokIdent:
		w.ident(i)
	default:
		w.emit(i, i, t.text)
	}
}

// str writes a string literal as MySQL reads it.
func (w *pgWriter) str(i int) {
	t := w.toks[i].text
	switch t[0] {
	case 'B', 'b', 'X', 'x':
		if body := pgStringBody(t); strings.Trim(body, "0123456789abcdefABCDEF") == "" {
			w.emit(i, i, t)
			return
		}
		w.emit(i, i, mysqlString(pgStringBody(t)))
	default:
		w.emit(i, i, mysqlString(pgStringBody(t)))
	}
}

// castEnd returns the last token of the type a cast names from token i:
// public.mood, character varying(20), double precision, timestamp with
// time zone, text[].
func (w *pgWriter) castEnd(i int) int {
	if w.tok(i).kind != tokIdent && w.tok(i).kind != tokQuoted {
		return i - 1
	}
	end := i
	for w.tok(end+1).text == "." && w.tok(end+2).kind != tokPunct {
		end += 2
	}
	switch {
	case w.tok(end + 1).is("VARYING"), w.tok(end + 1).is("PRECISION"):
		end++
	case (w.tok(end+1).is("WITH") || w.tok(end+1).is("WITHOUT")) && w.tok(end+2).is("TIME") && w.tok(end+3).is("ZONE"):
		end += 3
	}
	if w.tok(end+1).text == "(" {
		end = w.closeOf(end + 1)
	}
	for w.tok(end+1).text == "[" {
		end = w.closeOf(end + 1)
	}
	return end
}

// containment are the Postgres operators that test containment, overlap
// or a match: a GIN or GiST index serves them, a B-tree does not.
var containment = map[string]bool{"@>": true, "<@": true, "?": true, "?|": true, "?&": true, "&&": true, "@@": true, "@?": true}

// regexOps are the Postgres pattern operators and their MySQL forms.
var regexOps = map[string]string{
	"~": "REGEXP", "~*": "REGEXP", "!~": "NOT REGEXP", "!~*": "NOT REGEXP",
	"~~": "LIKE", "~~*": "LIKE", "!~~": "NOT LIKE", "!~~*": "NOT LIKE",
}

// op writes an operator.
func (w *pgWriter) op(i int) {
	t := w.toks[i].text
	switch {
	case t == "->" || t == "->>" || t == "#>" || t == "#>>" || t == "#-" || t == "#":
		w.emit(i, i, "-")
	case containment[t]:
		w.emit(i, i, "^")
	case t == "^":
		w.emit(i, i, "*")
	case regexOps[t] != "" && w.binary(i):
		w.emit(i, i, regexOps[t])
	case isComparison(t) && w.anyAll(i):
	default:
		w.emit(i, i, t)
	}
}

// binary reports whether the operator at i has a left operand.
func (w *pgWriter) binary(i int) bool {
	p := w.tok(i - 1)
	switch p.kind {
	case tokIdent:
		return !sqlKeyword[strings.ToUpper(p.text)]
	case tokQuoted, tokString, tokNumber, tokParam:
		return true
	case tokPunct:
		return p.text == ")" || p.text == "]"
	}
	return false
}

// sqlKeyword holds keywords after which an operator is unary.
var sqlKeyword = map[string]bool{"SELECT": true, "WHERE": true, "AND": true, "OR": true, "NOT": true,
	"ON": true, "SET": true, "WHEN": true, "THEN": true, "ELSE": true, "BY": true, "HAVING": true, "RETURNING": true}

func isComparison(op string) bool {
	switch op {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// anyAll writes op ANY (array) as IN (array), <> ALL (array) as NOT IN
// (array) and another op ANY or ALL as the op alone, and reports whether
// the operator at i starts such a form. op ANY (SELECT ...) is MySQL.
func (w *pgWriter) anyAll(i int) bool {
	q, paren := w.tok(i+1), w.tok(i+2)
	if !(q.is("ANY") || q.is("SOME") || q.is("ALL")) || paren.text != "(" {
		return false
	}
	if head := w.tok(i + 3); head.is("SELECT") || head.is("WITH") || head.is("VALUES") {
		return false
	}
	op := w.toks[i].text
	switch {
	case op == "=" && !q.is("ALL"):
		w.emit(i, i+1, "IN")
	case (op == "<>" || op == "!=") && q.is("ALL"):
		w.emit(i, i+1, "NOT IN")
	default:
		w.emit(i, i+1, op)
	}
	return true
}

// fromNames returns the names the FROM items of the text go by: each
// table's alias, or its name without its schema.
func (w *pgWriter) fromNames() map[string]bool {
	names := map[string]bool{}
	for i, t := range w.toks {
		if !(t.is("FROM") || t.is("JOIN") || t.text == "," && t.kind == tokPunct) || !w.fromClause(i) {
			continue
		}
		j := i + 1
		if w.tok(j).is("ONLY") || w.tok(j).is("LATERAL") {
			j++
		}
		if k := w.tok(j).kind; k != tokIdent && k != tokQuoted {
			continue
		}
		for w.tok(j+1).text == "." {
			j += 2
		}
		name := w.tok(j)
		if w.tok(j + 1).is("AS") {
			j++
		}
		if a := w.tok(j + 1); a.kind == tokQuoted || a.kind == tokIdent && !aliasStop[strings.ToUpper(a.text)] {
			name = a
		}
		if name.kind == tokQuoted {
			names[strings.ToLower(unquote(name.text))] = true
		} else if name.kind == tokIdent {
			names[strings.ToLower(name.text)] = true
		}
	}
	return names
}

// rowRef reports whether the word at i is a whole-row reference, the
// name of a FROM item as a function's whole argument (count(bl),
// json_agg(c ORDER BY c.at)), which MySQL would take for a column.
func (w *pgWriter) rowRef(i int) bool {
	if !w.rows[strings.ToLower(w.toks[i].text)] || !w.inCall(i) {
		return false
	}
	prev, next := w.tok(i-1), w.tok(i+1)
	if next.text == "." && w.tok(i+2).text == "*" {
		next = w.tok(i + 3)
	}
	return (prev.text == "(" || prev.text == ",") && prev.kind == tokPunct &&
		(next.text == ")" || next.text == "," || next.is("ORDER")) && next.kind != tokQuoted
}

// punct writes punctuation: ARRAY[...] and [...] as (...), subscripts
// dropped, x.* in a function's arguments as x.
func (w *pgWriter) punct(i int) {
	t := w.toks[i]
	switch t.text {
	case "[":
		end := w.closeOf(i)
		if w.subscript(i) {
			w.drop(i, end)
			return
		}
		open := "("
		if w.tok(i-1).is("ARRAY") || w.tok(i+1).text == "]" {
			open = "JSON_ARRAY(" // an array value, which may be empty
		}
		w.emit(i, i, open)
		w.toks[end].text = ")"
	case ",":
		w.emit(i, i, ",")
		if w.tableFunc(i + 1) {
			w.wrapTableFunc(i + 1)
		}
	case ".":
		if w.tok(i+1).text == "*" && (w.tok(i+2).text == ")" || w.tok(i+2).text == ",") && w.inCall(i) {
			w.drop(i, i+1)
			return
		}
		w.emit(i, i, ".")
	default:
		w.emit(i, i, t.text)
	}
}

// subscript reports whether the [ at i subscripts a value (a[1], a[1:2])
// rather than building an array.
func (w *pgWriter) subscript(i int) bool {
	p := w.tok(i - 1)
	switch p.kind {
	case tokIdent:
		return !p.is("ARRAY")
	case tokQuoted, tokParam, tokString:
		return true
	case tokPunct:
		return p.text == ")" || p.text == "]"
	}
	return false
}

// inCall reports whether token i is among the arguments of a function
// call.
func (w *pgWriter) inCall(i int) bool {
	o := w.open[i]
	if o < 0 {
		return false
	}
	head, fn := w.tok(o+1), w.tok(o-1)
	return fn.kind == tokIdent && !clauseHead[strings.ToUpper(fn.text)] && !head.is("SELECT") && !head.is("WITH")
}

// clauseHead holds the words a parenthesis opens after without being a
// function call's.
var clauseHead = map[string]bool{"IN": true, "EXISTS": true, "ANY": true, "ALL": true, "SOME": true,
	"AS": true, "FROM": true, "JOIN": true, "ON": true, "USING": true, "VALUES": true, "OVER": true,
	"WHERE": true, "AND": true, "OR": true, "NOT": true, "SELECT": true, "LATERAL": true, "INTO": true,
	"SET": true, "BY": true, "THEN": true, "ELSE": true, "WHEN": true, "RETURNING": true, "CONFLICT": true}

// mysqlReservedColumns are words MySQL reserves that Postgres and SQLite
// let name a column, quoted when they do.
var mysqlReservedColumns = map[string]bool{"VALUES": true, "KEY": true, "KEYS": true, "INTERVAL": true,
	"RANGE": true, "RANK": true, "INDEX": true, "USAGE": true, "READ": true, "WRITE": true, "LINES": true,
	"RELEASE": true, "OPTION": true, "GROUPS": true, "ROWS": true, "ROW": true, "LOAD": true,
	"CONDITION": true, "CHANGE": true, "SEPARATOR": true, "USE": true, "TRIGGER": true, "SCHEMA": true,
	"DATABASE": true, "MATCH": true, "LEAD": true, "LAG": true, "CUME_DIST": true, "FIRST_VALUE": true}

// pgExtractUnits maps the EXTRACT fields MySQL lacks to one it has.
var pgExtractUnits = map[string]string{"EPOCH": "SECOND", "MILLISECONDS": "MICROSECOND", "MICROSECONDS": "MICROSECOND",
	"DOW": "DAY", "ISODOW": "DAY", "DOY": "DAY", "ISOYEAR": "YEAR", "CENTURY": "YEAR", "DECADE": "YEAR",
	"MILLENNIUM": "YEAR", "TIMEZONE": "HOUR", "TIMEZONE_HOUR": "HOUR", "TIMEZONE_MINUTE": "MINUTE", "JULIAN": "DAY"}

// ident writes a word and the form it starts.
func (w *pgWriter) ident(i int) {
	t := w.toks[i]
	u := strings.ToUpper(t.text)
	next := w.tok(i + 1)
	switch {
	case next.kind == tokOp && next.text == "=>":
		w.drop(i, i+1) // a named argument: f(secs => 5)
	case w.rowRef(i):
		end := i
		if next.text == "." {
			end = i + 2 // t.*
		}
		w.emit(i, end, "1") // a whole row: count(bl), json_agg(c ORDER BY ...), row_to_json(t.*)
	case u == "ARRAY" && next.text == "(":
		w.drop(i, i)
	case u == "ARRAY" && next.text == "[":
		w.drop(i, i)
	case u == "AT" && next.is("TIME") && w.tok(i+2).is("ZONE"):
		w.drop(i, w.operandEnd(i+3))
	case u == "INTERVAL" && next.kind == tokString && !isUnit(w.tok(i+2)):
		w.drop(i, i)
	case u == "IS" && next.is("DISTINCT") && w.tok(i+2).is("FROM"):
		w.emit(i, i+2, "!=")
	case u == "IS" && next.is("NOT") && w.tok(i+2).is("DISTINCT") && w.tok(i+3).is("FROM"):
		w.emit(i, i+3, "<=>")
	case u == "DISTINCT" && next.is("ON") && w.tok(i+2).text == "(":
		w.emit(i, w.closeOf(i+2), "DISTINCT")
	case u == "LIMIT" && next.is("ALL"):
		w.drop(i, i+1)
	case (u == "NULLS") && (next.is("FIRST") || next.is("LAST")):
		w.drop(i, i+1)
	case u == "FILTER" && next.text == "(" && w.tok(i+2).is("WHERE"):
		w.drop(i, w.closeOf(i+1))
	case u == "WITHIN" && next.is("GROUP") && w.tok(i+2).text == "(":
		w.drop(i, w.closeOf(i+2))
	case u == "ORDER" && next.is("BY") && w.inCall(i) && w.tok(i-1).text != "(":
		w.drop(i, w.closeOf(w.open[i])-1)
	case u == "FOR" && next.is("NO") && w.tok(i+2).is("KEY") && w.tok(i+3).is("UPDATE"):
		w.emit(i, i+3, "FOR UPDATE")
	case u == "FOR" && next.is("KEY") && w.tok(i+2).is("SHARE"):
		w.emit(i, i+2, "FOR SHARE")
	case u == "OFFSET":
		w.offset(i)
	case u == "FETCH" && (next.is("FIRST") || next.is("NEXT")):
		w.fetch(i)
	case u == "FULL" && (next.is("JOIN") || next.is("OUTER") && w.tok(i+2).is("JOIN")):
		w.emit(i, i, "LEFT")
	case u == "ONLY" && (w.tok(i-1).is("FROM") || w.tok(i-1).is("UPDATE") || w.tok(i-1).is("JOIN")):
		w.drop(i, i)
	case u == "GLOB" || u == "SIMILAR" && next.is("TO"):
		w.emit(i, i+boolInt(u == "SIMILAR"), "LIKE")
	case u == "DEFAULT" && next.is("VALUES"):
		w.emit(i, i+1, "() VALUES ()")
	case u == "COLLATE" && (next.kind == tokQuoted || next.kind == tokIdent):
		w.drop(i, i+1)
	case (u == "FROM" || u == "JOIN" || u == "LATERAL") && w.tableFunc(i+1):
		w.emit(i, i, t.text)
		w.wrapTableFunc(i + 1)
	case u == "CAST" && next.text == "(":
		w.emit(i, i, t.text)
		w.castType(i + 1)
	case pgFuncs[u] && next.text == "(":
		w.emit(i, i, "pg_"+t.text)
	case u == "INTO" && (next.is("TEMP") || next.is("TEMPORARY") || next.is("UNLOGGED")):
		end := i + 2
		if w.tok(end).is("TABLE") {
			end++
		}
		w.drop(i, w.operandEnd(end))
	case u == "AS" && w.insertAlias(i):
		w.drop(i, i+1)
	case u == "DATETIME" && next.text == "(":
		w.emit(i, i, "TIMESTAMP") // SQLite's datetime(...): a function MySQL calls TIMESTAMP
	case u == "EXTRACT" && next.text == "(" && pgExtractUnits[strings.ToUpper(w.tok(i+2).text)] != "":
		w.emit(i, i+2, "EXTRACT("+pgExtractUnits[strings.ToUpper(w.tok(i+2).text)])
	case mysqlReservedColumns[u] && w.names(i):
		w.emit(i, i, `"`+t.text+`"`)
	default:
		w.emit(i, i, t.text)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// isUnit reports whether t is a MySQL interval unit (INTERVAL '1' DAY).
func isUnit(t pgToken) bool {
	switch strings.ToUpper(t.text) {
	case "MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR":
		return t.kind == tokIdent
	}
	return false
}

// names reports whether the reserved word at i names a column or table:
// it is not a function's name, a VALUES list, or a window frame's RANGE
// or ROWS.
func (w *pgWriter) names(i int) bool {
	next := w.tok(i + 1)
	if next.text == "(" {
		return false
	}
	if w.toks[i].is("ROWS") || w.toks[i].is("RANGE") || w.toks[i].is("GROUPS") {
		return !(next.is("BETWEEN") || next.is("UNBOUNDED") || next.is("CURRENT") || next.kind == tokNumber)
	}
	if w.toks[i].is("KEY") {
		return !(w.tok(i-1).is("NO") || w.tok(i-1).is("FOR") || w.tok(i-1).is("PRIMARY"))
	}
	if w.toks[i].is("VALUES") {
		return !w.tok(i - 1).is("DEFAULT")
	}
	return true
}

// operandEnd returns the last token of the operand starting at i: a
// value, a name, a function call or a parenthesised expression.
func (w *pgWriter) operandEnd(i int) int {
	t := w.tok(i)
	if t.text == "(" {
		return w.closeOf(i)
	}
	end := i
	for w.tok(end+1).text == "." {
		end += 2
	}
	if t.kind == tokIdent && w.tok(end+1).text == "(" {
		end = w.closeOf(end + 1)
	}
	return min(end, len(w.toks)-1)
}

// offset writes OFFSET n [ROWS]: after a LIMIT n of the same query when
// one follows, and with a LIMIT (all rows) when none comes before it, as
// MySQL wants.
func (w *pgWriter) offset(i int) {
	end := w.clauseEnd(i + 1)
	text := "OFFSET " + w.plain(i+1, end)
	if r := w.tok(end + 1); r.is("ROW") || r.is("ROWS") {
		end++
	}
	if w.limitBefore(i) {
		w.emit(i, end, text)
		return
	}
	if l := w.limitAfter(end + 1); l >= 0 {
		limit, lend := w.limit(l)
		w.emit(i, end, limit+" "+text)
		for k := l; k <= lend; k++ {
			w.skip[k] = true
		}
		return
	}
	w.emit(i, end, "LIMIT 18446744073709551615 "+text)
}

// fetch writes FETCH {FIRST|NEXT} [n] {ROW|ROWS} {ONLY|WITH TIES} as
// LIMIT n.
func (w *pgWriter) fetch(i int) {
	text, end := w.limit(i)
	w.emit(i, end, text)
}

// limit returns the LIMIT n standing for the LIMIT or FETCH clause at i,
// and the clause's last token.
func (w *pgWriter) limit(i int) (string, int) {
	if w.toks[i].is("LIMIT") {
		end := w.clauseEnd(i + 1)
		return "LIMIT " + w.plain(i+1, end), end
	}
	j := i + 2
	n := "1"
	if !w.tok(j).is("ROW") && !w.tok(j).is("ROWS") {
		end := j
		for end+1 < len(w.toks) && !w.tok(end+1).is("ROW") && !w.tok(end+1).is("ROWS") {
			end++
		}
		n, j = w.plain(j, end), end+1
	}
	end := j + 1
	if w.tok(end).is("WITH") {
		end++
	}
	return "LIMIT " + n, min(end, len(w.toks)-1)
}

// plain returns tokens i..j as MySQL text, for the simple values of
// LIMIT, OFFSET and FETCH.
func (w *pgWriter) plain(i, j int) string {
	var parts []string
	for k := i; k <= j && k < len(w.toks); k++ {
		switch t := w.toks[k]; t.kind {
		case tokParam:
			parts = append(parts, "?")
		case tokCast:
			k = w.castEnd(k + 1)
		default:
			parts = append(parts, t.text)
		}
	}
	return strings.Join(parts, " ")
}

// clauseEnd returns the last token of the LIMIT or OFFSET value starting
// at i.
func (w *pgWriter) clauseEnd(i int) int {
	d := w.tok(i).depth
	end := i
	for k := i + 1; k < len(w.toks); k++ {
		t := w.toks[k]
		if t.depth < d || t.depth == d && (t.kind == tokPunct && t.text != "(" && t.text != "." || t.kind == tokIdent && limitStop[strings.ToUpper(t.text)]) {
			break
		}
		end = k
	}
	return end
}

// limitStop holds the words that end a LIMIT or OFFSET value.
var limitStop = map[string]bool{"LIMIT": true, "OFFSET": true, "ROW": true, "ROWS": true, "FETCH": true,
	"FOR": true, "UNION": true, "EXCEPT": true, "INTERSECT": true, "RETURNING": true, "LOCK": true}

// limitBefore reports whether a LIMIT of the same query block comes
// before the OFFSET at i.
func (w *pgWriter) limitBefore(i int) bool {
	d := w.toks[i].depth
	for k := i - 1; k >= 0 && w.toks[k].depth >= d; k-- {
		if t := w.toks[k]; t.depth == d && (t.is("LIMIT") && !w.tok(k+1).is("ALL") || t.is("FETCH")) {
			return true
		}
		if t := w.toks[k]; t.depth == d && (t.is("SELECT") || t.text == ";") {
			return false
		}
	}
	return false
}

// limitAfter returns the index of the LIMIT of the same query block after
// token i, or -1.
func (w *pgWriter) limitAfter(i int) int {
	d := w.tok(i - 1).depth
	for k := i; k < len(w.toks) && w.toks[k].depth >= d; k++ {
		t := w.toks[k]
		if t.depth == d && (t.is("LIMIT") && !w.tok(k+1).is("ALL") || t.is("FETCH") && (w.tok(k+1).is("FIRST") || w.tok(k+1).is("NEXT"))) {
			return k
		}
		if t.depth == d && (t.text == ";" || t.is("UNION") || t.is("FOR")) {
			return -1
		}
	}
	return -1
}

// tableFunc reports whether token i starts a function call in a FROM
// clause (FROM generate_series(1, 3) AS g), which MySQL does not allow.
func (w *pgWriter) tableFunc(i int) bool {
	t := w.tok(i)
	if t.kind != tokIdent || fromKeyword[strings.ToUpper(t.text)] {
		return false
	}
	j := i
	for w.tok(j+1).text == "." {
		j += 2
	}
	if w.tok(j+1).text != "(" || !w.fromClause(i-1) {
		return false
	}
	return true
}

// fromKeyword holds the words that may follow FROM or JOIN and are not a
// function's name.
var fromKeyword = map[string]bool{"LATERAL": true, "ONLY": true, "SELECT": true, "VALUES": true, "DUAL": true}

// fromClause reports whether the FROM, JOIN, LATERAL or comma at i is in
// a FROM clause: at the top level or in a subquery, not in a function's
// arguments (EXTRACT(x FROM y)), not IS DISTINCT FROM, and for a comma,
// after a FROM of the same query block.
func (w *pgWriter) fromClause(i int) bool {
	t := w.tok(i)
	if w.inCall(i) || w.open[i] >= 0 && !w.tok(w.open[i]+1).is("SELECT") && !w.tok(w.open[i]+1).is("WITH") && w.tok(w.open[i]-1).kind == tokIdent && !clauseHead[strings.ToUpper(w.tok(w.open[i]-1).text)] {
		return false
	}
	switch {
	case t.is("FROM"):
		return !w.tok(i - 1).is("DISTINCT")
	case t.is("JOIN"), t.is("LATERAL"):
		return true
	case t.text == ",":
		return w.fromComma[i]
	}
	return false
}

// fromCommas returns, for each token, whether it is a comma after a
// FROM, JOIN or USING of its query block and before the next clause.
func (w *pgWriter) fromCommas() []bool {
	out := make([]bool, len(w.toks))
	inFrom := []bool{false} // for each parenthesis depth
	for i, t := range w.toks {
		for len(inFrom) <= t.depth {
			inFrom = append(inFrom, false)
		}
		switch {
		case t.kind == tokPunct && t.text == "(":
			if len(inFrom) <= t.depth+1 {
				inFrom = append(inFrom, false)
			}
			inFrom[t.depth+1] = false
		case t.kind == tokPunct && t.text == ",":
			out[i] = inFrom[t.depth]
		case t.kind == tokIdent:
			switch strings.ToUpper(t.text) {
			case "FROM", "JOIN", "USING":
				inFrom[t.depth] = true
			case "SELECT", "WHERE", "SET", "ON", "BY", "VALUES", "RETURNING", "HAVING":
				inFrom[t.depth] = false
			}
		}
	}
	return out
}

// wrapTableFunc writes the function call starting at token i as a
// derived table: (SELECT f(...)) AS alias, named after the function when
// no alias follows; a column list after the alias and WITH ORDINALITY are
// dropped.
func (w *pgWriter) wrapTableFunc(i int) {
	name := i
	for w.tok(name+1).text == "." {
		name += 2
	}
	closing := w.closeOf(name + 1)
	w.before[i] = "(SELECT "
	end := closing
	if w.tok(end+1).is("WITH") && w.tok(end+2).is("ORDINALITY") {
		w.skip[end+1], w.skip[end+2] = true, true
		end += 2
	}
	alias := end + 1
	if w.tok(alias).is("AS") {
		alias++
	}
	switch a := w.tok(alias); {
	case (a.kind == tokIdent && !aliasStop[strings.ToUpper(a.text)]) || a.kind == tokQuoted:
		w.after[closing] = ")"
		if w.tok(alias+1).text == "(" {
			c := w.closeOf(alias + 1)
			for k := alias + 1; k <= c; k++ {
				w.skip[k] = true
			}
		}
		if alias == end+1 {
			w.after[closing] += " AS"
		}
	default:
		w.after[closing] = ") AS " + w.toks[name].text
	}
}

// aliasStop holds the words after a FROM item that are not its alias.
var aliasStop = map[string]bool{"WHERE": true, "JOIN": true, "LEFT": true, "RIGHT": true, "INNER": true,
	"CROSS": true, "FULL": true, "NATURAL": true, "ON": true, "USING": true, "GROUP": true, "ORDER": true,
	"LIMIT": true, "OFFSET": true, "UNION": true, "EXCEPT": true, "INTERSECT": true, "FOR": true,
	"HAVING": true, "WINDOW": true, "RETURNING": true, "SET": true, "FETCH": true}

// castType writes CAST(x AS type) with a type MySQL knows, CHAR, unless
// the type is one of MySQL's.
func (w *pgWriter) castType(open int) {
	closing := w.closeOf(open)
	for k := closing - 1; k > open; k-- {
		if t := w.toks[k]; t.depth == w.toks[open].depth+1 && t.is("AS") {
			if k+1 < closing && !mysqlCastType[strings.ToUpper(w.toks[k+1].text)] {
				w.toks[k+1] = pgToken{text: "CHAR", kind: tokIdent, start: w.toks[k+1].start, end: w.toks[k+1].end, depth: w.toks[k+1].depth}
				for j := k + 2; j < closing; j++ {
					w.skip[j] = true
				}
			}
			return
		}
	}
}

// mysqlCastType holds the types MySQL's CAST takes.
var mysqlCastType = map[string]bool{"BINARY": true, "CHAR": true, "DATE": true, "DATETIME": true, "DECIMAL": true,
	"DOUBLE": true, "FLOAT": true, "JSON": true, "NCHAR": true, "REAL": true, "SIGNED": true, "TIME": true,
	"UNSIGNED": true, "YEAR": true}

// unquote returns the name a "quoted" or `quoted` identifier stands for.
func unquote(t string) string {
	q := t[:1]
	t = strings.TrimPrefix(t, q)
	if strings.HasSuffix(t, q) {
		t = t[:len(t)-1]
	}
	return strings.ReplaceAll(t, q+q, q)
}

// otherWords are the first words of the statements that are neither
// queries nor schema changes crudmap reads, in Postgres and SQLite.
var otherWords = map[string]bool{"DO": true, "LISTEN": true, "NOTIFY": true, "UNLISTEN": true,
	"VACUUM": true, "ANALYZE": true, "REINDEX": true, "CLUSTER": true, "COMMENT": true, "GRANT": true,
	"REVOKE": true, "REFRESH": true, "SET": true, "RESET": true, "DISCARD": true, "DEALLOCATE": true,
	"LOCK": true, "PRAGMA": true, "ATTACH": true, "DETACH": true, "CHECKPOINT": true, "SAVEPOINT": true,
	"RELEASE": true, "BEGIN": true, "COMMIT": true, "ROLLBACK": true, "END": true, "START": true,
	"SHOW": true, "EXPLAIN": true, "SECURITY": true, "CLOSE": true, "MOVE": true, "FETCH": true}

// otherObjects are the objects of a CREATE, ALTER or DROP that are not a
// table or an index.
var otherObjects = map[string]bool{"FUNCTION": true, "PROCEDURE": true, "TRIGGER": true, "EXTENSION": true,
	"TYPE": true, "DOMAIN": true, "SCHEMA": true, "SEQUENCE": true, "POLICY": true, "ROLE": true,
	"USER": true, "PUBLICATION": true, "SUBSCRIPTION": true, "RULE": true, "AGGREGATE": true,
	"OPERATOR": true, "DATABASE": true, "COLLATION": true, "CAST": true, "EVENT": true, "SERVER": true,
	"LANGUAGE": true, "TABLESPACE": true, "STATISTICS": true, "MATERIALIZED": true, "VIEW": true}

// otherStatement returns the Statement for a text whose first statement
// MySQL has no form for: its kind, and whether it changes the database
// (CREATE FUNCTION, DO, REFRESH, LOCK do). It returns nil for any other
// text.
func otherStatement(sql string) *Statement {
	toks := pgLex(sql[:min(len(sql), 256)], false)
	if len(toks) == 0 || toks[0].kind != tokIdent {
		return nil
	}
	first := strings.ToUpper(toks[0].text)
	switch {
	case otherWords[first]:
		if first == "SET" && len(toks) > 1 && (toks[1].is("TRANSACTION") || toks[1].is("SESSION")) {
			return nil
		}
		if first == "BEGIN" || first == "COMMIT" || first == "ROLLBACK" || first == "START" {
			return nil // MySQL has them
		}
		return &Statement{Kind: first, Writes: first == "DO" || first == "REFRESH" || first == "REINDEX" || first == "CLUSTER"}
	case first == "CREATE" || first == "ALTER" || first == "DROP":
		for _, t := range toks[1:min(len(toks), 5)] {
			w := strings.ToUpper(t.text)
			if otherObjects[w] && !(w == "VIEW" && first == "CREATE") {
				return &Statement{Kind: first, Writes: true}
			}
			if w == "TABLE" || w == "INDEX" || w == "VIEW" {
				return nil
			}
		}
	}
	return nil
}

// pgFuncs are Postgres functions whose names TiDB reads as keywords with
// another syntax; they are renamed pg_nextval and so on.
var pgFuncs = map[string]bool{"NEXTVAL": true, "CURRVAL": true, "SETVAL": true, "LASTVAL": true}

// insertAlias reports whether the AS at i gives an INSERT's target an
// alias (INSERT INTO t AS old (...)), which MySQL does not allow.
func (w *pgWriter) insertAlias(i int) bool {
	j := i - 1
	for w.tok(j-1).text == "." {
		j -= 2
	}
	return w.tok(j-1).is("INTO") && w.tok(j-2).is("INSERT") && w.tok(i+1).kind == tokIdent
}

// cursorDecl matches the head of a cursor declaration, whose query
// follows: DECLARE c [BINARY] [NO SCROLL] CURSOR [WITH HOLD] FOR.
var cursorDecl = regexp.MustCompile(`(?is)^\s*declare\s+\S+\s+.*?\bcursor\b(\s+with(out)?\s+hold)?\s+for\s`)

// cursorQuery returns the query a cursor declaration runs, or sql.
func cursorQuery(sql string) string {
	if m := cursorDecl.FindStringIndex(sql); m != nil {
		return sql[m[1]:]
	}
	return sql
}

// parseDDLScript returns the Statement for a text of schema statements
// (CREATE TABLE ... in the app's own migration code), or nil when the
// text does not start with one. Each statement is read as ParseSchema
// reads it; one the parser rejects still counts by the table it names.
func parseDDLScript(p *parser.Parser, sql string) *Statement {
	pieces := split(sql)
	if len(pieces) == 0 || !isSchemaDDL(pieces[0].text) {
		return nil
	}
	b := &builder{st: &Statement{Kind: firstWord(pieces[0].text), Writes: true}, ctes: map[string]bool{}, seen: map[TableOp]bool{}}
	for _, pc := range pieces {
		switch {
		case !isSchemaDDL(pc.text):
			if st, err := parsePostgres(p, pc.text); err == nil {
				for _, t := range st.Tables {
					b.add(t.Table, t.Op)
				}
				b.st.Locking = b.st.Locking || st.Locking
			}
		default:
			nodes, _, err := parseDDL(p, pc.text, nil)
			if err != nil {
				for _, name := range ddlTableNames(pc.text) {
					b.add(name, Other)
				}
				continue
			}
			for _, n := range nodes {
				if d, ok := n.(ast.DDLNode); ok {
					for _, t := range ddlTables(d) {
						b.add(t.Name.L, Other)
					}
				}
			}
		}
	}
	return b.st
}

// ddlTable matches the table a CREATE TABLE, ALTER TABLE, DROP TABLE or
// CREATE INDEX ... ON statement names.
var ddlTable = regexp.MustCompile(`(?is)^\s*(?:(?:create|alter|drop)\s+(?:(?:global|local)\s+)?(?:temp\w*\s+|unlogged\s+)?table\s+(?:if\s+(?:not\s+)?exists\s+)?(?:only\s+)?|create\s+(?:unique\s+)?index\b.*?\bon\s+(?:only\s+)?)((?:[\w"]+\.)?"?[\w]+"?)`)

// ddlTableNames returns the table a schema statement the parser rejects
// names, lower case and without its schema, if it can tell.
func ddlTableNames(text string) []string {
	m := ddlTable.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	name := m[1]
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return []string{strings.ToLower(strings.Trim(name, `"`))}
}
