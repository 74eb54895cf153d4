package sqlparse

import "strings"

// A piece is one statement of a schema file.
type piece struct {
	text string
	line int // 1-based line of its first character
}

// split splits a schema file into statements at semicolons (or the
// delimiter a DELIMITER command sets) outside quotes, Postgres
// $tag$...$tag$ strings (function bodies) and comments. Text
// holding only comments is dropped, and so are DELIMITER commands.
func split(src string) []piece {
	var out []piece
	delim := ";"
	start, startLine, line := -1, 0, 1
	for i := 0; i < len(src); {
		if start < 0 && hasWordFold(src[i:], "DELIMITER") {
			end := skipLine(src, i)
			if d := strings.TrimSpace(src[i+len("DELIMITER") : end]); d != "" {
				delim = d
			}
			line++
			i = end
			continue
		}
		if j := skipQuotedOrDollar(src, i); j > i {
			if start < 0 && (src[i] == '\'' || src[i] == '"' || src[i] == '`' || src[i] == '$') {
				start, startLine = i, line
			}
			line += strings.Count(src[i:j], "\n")
			i = j
			continue
		}
		if strings.HasPrefix(src[i:], delim) {
			if start >= 0 {
				out = append(out, piece{src[start:i], startLine})
			}
			start = -1
			i += len(delim)
			continue
		}
		switch c := src[i]; {
		case c == '\n':
			line++
		case c > ' ' && start < 0:
			start, startLine = i, line
		}
		i++
	}
	if start >= 0 && strings.TrimSpace(src[start:]) != "" {
		out = append(out, piece{src[start:], startLine})
	}
	return out
}

// skipQuotedOrDollar returns the end of the quoted text or comment (see
// skipQuoted) or of the Postgres $tag$...$tag$ string starting at s[i],
// or i when none starts there.
func skipQuotedOrDollar(s string, i int) int {
	if s[i] == '$' && (i == 0 || !isIdent(s[i-1])) {
		return dollarQuoteEnd(s, i)
	}
	return skipQuoted(s, i)
}

// hasWordFold reports whether s starts with the word w, in any case,
// followed by white space.
func hasWordFold(s, w string) bool {
	return len(s) > len(w) && strings.EqualFold(s[:len(w)], w) && (s[len(w)] == ' ' || s[len(w)] == '\t')
}
