package sqlparse

import "strings"

// spatialTypes are the MySQL spatial column types, which the parser does
// not know.
var spatialTypes = map[string]bool{
	"GEOMETRY": true, "POINT": true, "LINESTRING": true, "POLYGON": true, "MULTIPOINT": true,
	"MULTILINESTRING": true, "MULTIPOLYGON": true, "GEOMETRYCOLLECTION": true, "GEOMCOLLECTION": true,
}

// rewriteDDL rewrites what the parser rejects in SQLite and MySQL DDL
// into forms it reads with the same columns and indexes: AUTOINCREMENT,
// WITHOUT ROWID, STRICT, COLLATE NOCASE, column ON CONFLICT clauses,
// DEFAULT (expr), SRID, spatial column types (as BLOB) and SPATIAL keys (as
// FULLTEXT: neither serves = or ranges).
func rewriteDDL(s string) string {
	ws := words(s)
	var b strings.Builder
	last := 0
	replace := func(from, to int, with string) {
		b.WriteString(s[last:ws[from].start])
		b.WriteString(with)
		last = ws[to].end
	}
	for i := 0; i < len(ws); i++ {
		w := strings.ToUpper(ws[i].text)
		next := ""
		if i+1 < len(ws) {
			next = strings.ToUpper(ws[i+1].text)
		}
		switch {
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
	if i == 0 || ws[i].depth != 1 {
		return false
	}
	prev := ws[i-1]
	return prev.text != "(" && prev.text != "," || strings.ContainsAny(s[prev.end:ws[i].start], "`\"")
}

// fulltextKinds returns, for each FULLTEXT or SPATIAL key of a DDL text in
// order, "FULLTEXT" or "SPATIAL".
func fulltextKinds(s string) []string {
	var kinds []string
	for _, w := range words(s) {
		switch k := strings.ToUpper(w.text); k {
		case "FULLTEXT", "SPATIAL":
			kinds = append(kinds, k)
		}
	}
	return kinds
}
