package sqlparse

import (
	"regexp"
	"strings"
)

// A pgIndex is what a Postgres CREATE INDEX statement says that MySQL's
// has no place for.
type pgIndex struct {
	text   string // the statement as MySQL reads it
	method string // the index method in upper case (GIN, GIST, BRIN, HASH), "" for a B-tree
	expr   string // the normalised expression of an expression index's first key part
}

// pgCreateIndex rewrites a CREATE INDEX statement for the parser: an
// unnamed index gets the name Postgres would give it, USING method is
// dropped (and kept in method), operator classes are dropped, and each
// key part that is an expression (lower(email)) is parenthesised, as
// MySQL wants.
func pgCreateIndex(text string) pgIndex {
	if !isCreateIndex(leadingWords(text, 3)) {
		return pgIndex{text: text}
	}
	ws := words(text)
	on := findWords(ws, 0, "ON")
	if on < 0 {
		return pgIndex{text: text}
	}
	var ix pgIndex
	table := on + 1
	if table < len(ws) && strings.EqualFold(ws[table].text, "ONLY") {
		table++
	}
	open := table
	for open < len(ws) && ws[open].text != "(" {
		open++
	}
	if open >= len(ws) {
		return pgIndex{text: text}
	}
	head := open // the end of ON table, before USING method
	if u := findWords(ws[:open], table, "USING"); u >= 0 && u+1 < open {
		head = u
		ix.method = strings.ToUpper(ws[u+1].text)
		if ix.method == "BTREE" {
			ix.method = ""
		}
	}
	closing := closing(ws, open)
	parts := keyParts(text, ws, open, closing)
	if len(parts) > 0 && !isPlainKey(parts[0]) {
		ix.expr = normExpr(parts[0])
	}
	tableText := text[ws[table-1].end:ws[head].start]
	var b strings.Builder
	b.WriteString(text[:ws[on].start])
	if prev := strings.ToUpper(ws[on-1].text); (prev == "INDEX" || prev == "CONCURRENTLY") && strings.TrimSpace(text[ws[on-1].end:ws[on].start]) == "" {
		b.WriteString(anonIndexName(tableText, parts) + " ")
	}
	b.WriteString("ON " + tableText)
	for i, p := range parts {
		if i > 0 {
			b.WriteString(", ")
		} else {
			b.WriteString("(")
		}
		if isPlainKey(p) {
			b.WriteString(plainKey(p))
		} else {
			b.WriteString("(" + p + ")")
		}
	}
	b.WriteString(")" + text[ws[closing].end:])
	ix.text = b.String()
	return ix
}

// keyParts returns the texts of the key parts between the parentheses
// ws[open] and ws[closing].
func keyParts(text string, ws []word, open, closing int) []string {
	var parts []string
	start := ws[open].end
	for i := open + 1; i <= closing; i++ {
		if ws[i].depth == ws[open].depth+1 && ws[i].text == "," || i == closing {
			if p := strings.TrimSpace(text[start:ws[i].start]); p != "" {
				parts = append(parts, p)
			}
			start = ws[i].end
		}
	}
	return parts
}

// plainKeyRE matches a key part on a column: the column, then an
// operator class, a collation, an order, NULLS FIRST or LAST.
var plainKeyRE = regexp.MustCompile(`(?is)^("[^"]+"|` + "`[^`]+`" + `|\w+)(\s+\w+)*$`)

// isPlainKey reports whether a key part is on a column.
func isPlainKey(p string) bool {
	return plainKeyRE.MatchString(p)
}

// plainKey returns a key part on a column as MySQL reads it: the column
// and its order, without operator class, collation or NULLS.
func plainKey(p string) string {
	f := strings.Fields(p)
	out := f[0]
	if out[0] != '"' && out[0] != '`' {
		out = quoteIdent(out) // Key, Read: reserved in MySQL
	}
	for _, w := range f[1:] {
		if u := strings.ToUpper(w); u == "ASC" || u == "DESC" {
			out += " " + u
		}
	}
	return out
}

// anonIndexName returns the name Postgres gives an unnamed index:
// table_column_idx.
func anonIndexName(table string, parts []string) string {
	name := strings.TrimSpace(table)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Trim(name, "\"`")
	col := "expr"
	if len(parts) > 0 && isPlainKey(parts[0]) {
		col = strings.Trim(strings.Fields(parts[0])[0], "\"`")
	}
	return quoteIdent(name + "_" + col + "_idx")
}

// castRE matches a Postgres cast: ::text, ::character varying.
var castRE = regexp.MustCompile(`::\s*\w+(\s+varying)?(\[\])?`)

// normExpr normalises an index or predicate expression for comparison:
// lower case, no quotes, casts or white space, and no parentheses around
// a bare name: lower((email)::text) gives lower(email).
func normExpr(s string) string {
	s = normPredicate(castRE.ReplaceAllString(s, ""))
	for {
		out := bareParens(s)
		if out == s {
			return s
		}
		s = out
	}
}

// bareParens removes the parentheses around a bare name that are not a
// call's: (email) but not lower(email).
func bareParens(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] != '(' || i > 0 && isIdent(s[i-1]) {
			continue
		}
		j := i + 1
		for j < len(s) && (isIdent(s[j]) || s[j] == '.') {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == ')' {
			return s[:i] + s[i+1:j] + s[j+1:]
		}
	}
	return s
}

// dropIndexRE matches Postgres's DROP INDEX, which names no table.
var dropIndexRE = regexp.MustCompile(`(?is)^\s*drop\s+index\s+(?:concurrently\s+)?(?:if\s+exists\s+)?((?:[\w"]+\.)?"?\w+"?(?:\s*,\s*(?:[\w"]+\.)?"?\w+"?)*)\s*(?:cascade|restrict)?\s*$`)

// pgDropIndex returns the names of the indexes a Postgres DROP INDEX
// statement drops, and whether text is one.
func pgDropIndex(text string) ([]string, bool) {
	m := dropIndexRE.FindStringSubmatch(text)
	if m == nil {
		return nil, false
	}
	var names []string
	for _, n := range strings.Split(m[1], ",") {
		n = strings.TrimSpace(n)
		if i := strings.LastIndexByte(n, '.'); i >= 0 {
			n = n[i+1:]
		}
		names = append(names, strings.Trim(n, `"`))
	}
	return names, true
}

// exprServes reports whether an expression index of the table serves
// the predicate text, an equality on the index's expression: an index
// on lower(email) serves lower(u.email) = lower(?).
func (t *Table) exprServes(pred string) bool {
	norm := ""
	for _, ix := range t.Indexes {
		if ix.Expr == "" || !ix.serves(useEq) {
			continue
		}
		if norm == "" {
			norm = normExpr(qualifier.ReplaceAllString(pred, ""))
		}
		if strings.Contains(norm, ix.Expr+"=") || strings.Contains(norm, ix.Expr+"in(") {
			return true
		}
	}
	return false
}

// qualifier matches a name's qualifier: u. in u.email.
var qualifier = regexp.MustCompile(`\b\w+\.`)
