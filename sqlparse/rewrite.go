package sqlparse

import "strings"

// rewrite turns the non-MySQL parts of a query text into MySQL: Postgres,
// SQLite and sqlx placeholders, INSERT OR REPLACE/IGNORE, a trailing
// RETURNING clause and simple ON CONFLICT clauses.
func rewrite(s string) string {
	s = rewritePlaceholders(s)
	upper := strings.ToUpper(s)
	if strings.Contains(upper, " OR ") {
		s = rewriteInsertOr(s)
	}
	if strings.Contains(upper, "RETURNING") {
		s = stripReturning(s)
	}
	if strings.Contains(upper, "CONFLICT") {
		s = rewriteOnConflict(s)
	}
	return s
}

// rewritePlaceholders replaces Postgres $N (and $?), SQLite ?N and sqlx
// :name placeholders outside quotes and comments with ?. A :: cast is kept.
func rewritePlaceholders(s string) string {
	if !strings.ContainsAny(s, "$?:") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if j := skipQuoted(s, i); j > i {
			b.WriteString(s[i:j])
			i = j
			continue
		}
		j := placeholderEnd(s, i)
		if j > i {
			b.WriteByte('?')
			i = j
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// placeholderEnd returns the end of the $N, ?N or :name placeholder at
// s[i], or i when there is none. $? is a $N whose number crudmap does not
// know.
func placeholderEnd(s string, i int) int {
	c := s[i]
	prevIdent := i > 0 && (isIdent(s[i-1]) || s[i-1] == ':')
	switch {
	case (c == '$' || c == '?') && !prevIdent && i+1 < len(s) && isDigit(s[i+1]):
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		return j
	case c == '$' && !prevIdent && i+1 < len(s) && s[i+1] == '?':
		return i + 2 // "$" + a number known only at run time
	case c == ':' && !prevIdent && i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '_'):
		j := i + 1
		for j < len(s) && (isIdent(s[j]) && s[j] != '$' || s[j] == '.') {
			j++
		}
		return j
	}
	return i
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// rewriteInsertOr turns SQLite's INSERT OR REPLACE into REPLACE and
// INSERT OR IGNORE into INSERT IGNORE.
func rewriteInsertOr(s string) string {
	ws := words(s)
	if len(ws) < 3 || !strings.EqualFold(ws[0].text, "INSERT") || !strings.EqualFold(ws[1].text, "OR") {
		return s
	}
	switch strings.ToUpper(ws[2].text) {
	case "REPLACE":
		return s[:ws[0].start] + "REPLACE" + s[ws[2].end:]
	case "IGNORE":
		return s[:ws[0].start] + "INSERT IGNORE" + s[ws[2].end:]
	}
	return s
}

// stripReturning removes each top-level RETURNING clause, up to the end
// of its statement.
func stripReturning(s string) string {
	for {
		ws := words(s)
		i := findWords(ws, 0, "RETURNING")
		if i < 0 {
			return s
		}
		end := len(s)
		if j := findWords(ws, i, ";"); j >= 0 {
			end = ws[j].start
		}
		s = s[:ws[i].start] + s[end:]
	}
}

// rewriteOnConflict turns a top-level ON CONFLICT ... DO NOTHING into
// INSERT IGNORE and ON CONFLICT ... DO UPDATE SET into ON DUPLICATE KEY
// UPDATE, with excluded.col as VALUES(col). The WHERE of a DO UPDATE
// becomes the condition of an IF that sets the first column to itself,
// so that the tables and columns it names are still read.
func rewriteOnConflict(s string) string {
	ws := words(s)
	on := findWords(ws, 0, "ON", "CONFLICT")
	if on < 0 || !strings.EqualFold(ws[0].text, "INSERT") {
		return s
	}
	do := findWords(ws, on, "DO")
	if do < 0 || do+1 >= len(ws) {
		return s
	}
	end := len(s)
	if j := findWords(ws, do, ";"); j >= 0 {
		end = ws[j].start
	}
	switch {
	case strings.EqualFold(ws[do+1].text, "NOTHING"):
		return s[:ws[0].end] + " IGNORE" + s[ws[0].end:ws[on].start] + s[ws[do+1].end:]
	case findWords(ws, do, "UPDATE", "SET") == do+1:
		set, cond := s[ws[do+2].end:end], ""
		if w := findWords(ws, do, "WHERE"); w >= 0 && ws[w].start < end {
			set = s[ws[do+2].end:ws[w].start]
			if eq := findWords(words(set), 0, "="); eq >= 0 {
				col := strings.TrimSpace(set[:words(set)[eq].start])
				cond = ", " + col + " = IF(" + excludedToValues(s[ws[w].end:end]) + ", " + col + ", " + col + ")"
			}
		}
		return s[:ws[on].start] + "ON DUPLICATE KEY UPDATE" + excludedToValues(set) + cond + s[end:]
	}
	return s
}

// excludedToValues rewrites excluded.col as VALUES(col).
func excludedToValues(s string) string {
	ws := words(s)
	for i := len(ws) - 3; i >= 0; i-- {
		if strings.EqualFold(ws[i].text, "excluded") && ws[i+1].text == "." && ws[i+1].start == ws[i].end {
			col := ws[i+2]
			s = s[:ws[i].start] + "VALUES(" + col.text + ")" + s[col.end:]
		}
	}
	return s
}

// findWords returns the index of the first top-level occurrence at or
// after ws[from] of the consecutive words seq (case-insensitive), or -1.
func findWords(ws []word, from int, seq ...string) int {
	for i := from; i+len(seq) <= len(ws); i++ {
		ok := true
		for k, w := range seq {
			if ws[i+k].depth != 0 || !strings.EqualFold(ws[i+k].text, w) {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}
