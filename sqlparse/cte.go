package sqlparse

import "strings"

// A script is a query text cut into the statements the parser reads one
// after the other: each common table expression's body, then the
// statement using them, for each statement of the text.
type script struct {
	stmts  []string
	ctes   []string // the names of the common table expressions, lower case
	kindAt int      // the index of the statement whose kind is the text's
}

// splitScript cuts s, a query text in MySQL's syntax but perhaps with
// Postgres's data-modifying common table expressions (WITH d AS (DELETE
// ... RETURNING id) INSERT ... SELECT ... FROM d), into statements: a
// body may be an INSERT, UPDATE or DELETE, which MySQL's WITH does not
// allow, so each body is parsed as a statement of its own and the names
// are known to the builder as common table expressions, never tables.
// Each statement is then rewritten by rewriteStatement.
func splitScript(s string) script {
	var sc script
	if !strings.Contains(s, ";") { // one statement, as most are
		sc.with(s, s)
		sc.kindAt = max(len(sc.stmts)-1, 0)
		return sc
	}
	ws := words(s)
	start := 0
	for i := 0; i <= len(ws); i++ {
		if i < len(ws) && (ws[i].text != ";" || ws[i].depth != 0) {
			continue
		}
		end := len(s)
		if i < len(ws) {
			end = ws[i].start
		}
		first := len(sc.stmts) == 0
		sc.with(s, s[start:end])
		if first && len(sc.stmts) > 0 {
			sc.kindAt = len(sc.stmts) - 1
		}
		if i < len(ws) {
			start = ws[i].end
		}
	}
	return sc
}

// with adds statement s of text (and the bodies of its WITH clause) to
// the script.
func (sc *script) with(text, s string) {
	switch firstWord(s) {
	case "":
		return
	case "WITH":
	default:
		sc.stmts = append(sc.stmts, rewriteStatement(s))
		return
	}
	ws := words(s)
	i := 1
	if i < len(ws) && strings.EqualFold(ws[i].text, "RECURSIVE") {
		i++
	}
	nameAt := ws[i-1].end
	for i < len(ws) {
		as := findWords(ws, i, "AS")
		if as < 0 {
			break
		}
		open := as + 1
		for open < len(ws) && (strings.EqualFold(ws[open].text, "NOT") || strings.EqualFold(ws[open].text, "MATERIALIZED")) {
			open++
		}
		if open >= len(ws) || ws[open].text != "(" {
			break
		}
		closing := closing(ws, open)
		if name := cteName(s[nameAt:ws[as].start]); name != "" {
			sc.ctes = append(sc.ctes, name)
		}
		if body := s[ws[open].end:ws[closing].start]; strings.TrimSpace(body) != "" {
			sc.with(text, body)
		}
		i = closing + 1
		if i >= len(ws) || ws[i].text != "," {
			break
		}
		nameAt = ws[i].end
		i++
	}
	if i < len(ws) {
		sc.stmts = append(sc.stmts, rewriteStatement(s[ws[i].start:]))
	}
}

// cteName returns the lower-case name a common table expression's head
// (name [(columns)]) gives it.
func cteName(head string) string {
	head = strings.TrimSpace(head)
	if i := strings.IndexByte(head, '('); i >= 0 {
		head = strings.TrimSpace(head[:i])
	}
	if head != "" && (head[0] == '`' || head[0] == '"') {
		head = unquote(head)
	}
	return strings.ToLower(head)
}

// rewriteStatement rewrites one statement of a Postgres or SQLite text,
// already in MySQL's lexical syntax, into MySQL: INSERT OR REPLACE,
// RETURNING, ON CONFLICT (see rewrite), UPDATE ... FROM and DELETE ...
// USING.
func rewriteStatement(s string) string {
	return rewrite(deleteUsing(updateFrom(s)))
}

// updateFrom rewrites Postgres's UPDATE t SET ... FROM others WHERE ...
// into MySQL's UPDATE t, others SET ... WHERE ...: t is updated, the
// others read.
func updateFrom(s string) string {
	if firstWord(s) != "UPDATE" {
		return s
	}
	ws := words(s)
	if len(ws) < 4 {
		return s
	}
	set := findWords(ws, 1, "SET")
	if set < 0 {
		return s
	}
	from := findWords(ws, set, "FROM")
	if from < 0 {
		return s
	}
	end := len(s)
	for _, kw := range []string{"WHERE", "RETURNING", "ORDER", "LIMIT"} {
		if k := findWords(ws, from, kw); k >= 0 && ws[k].start < end {
			end = ws[k].start
		}
	}
	return s[:ws[set].start] + ", " + strings.TrimSpace(s[ws[from].end:end]) + " " + s[ws[set].start:ws[from].start] + s[end:]
}

// deleteUsing rewrites Postgres's DELETE FROM t [AS a] USING others
// WHERE ... into MySQL's DELETE FROM a USING t AS a, others WHERE ...:
// t is deleted from, the others read.
func deleteUsing(s string) string {
	if firstWord(s) != "DELETE" {
		return s
	}
	ws := words(s)
	if len(ws) < 4 || !strings.EqualFold(ws[1].text, "FROM") {
		return s
	}
	using := findWords(ws, 2, "USING")
	if using < 0 || ws[using-1].text == ")" {
		return s
	}
	target := strings.TrimSpace(s[ws[1].end:ws[using].start])
	name := target
	if tw := words(target); len(tw) > 1 && tw[len(tw)-2].text != "." {
		name = tw[len(tw)-1].text
	}
	return s[:ws[1].end] + " " + name + " USING " + target + ", " + strings.TrimSpace(s[ws[using].end:])
}
