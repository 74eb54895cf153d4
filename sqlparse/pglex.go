package sqlparse

import "strings"

// tokKind tells what a pgToken is.
type tokKind int

const (
	tokIdent  tokKind = iota // an unquoted word: a name or a keyword
	tokQuoted                // a "quoted" or `quoted` identifier
	tokString                // a string literal: '...', E'...', $$...$$, B'...', X'...'
	tokNumber
	tokParam // a placeholder: $1, ?, ?1, :name
	tokOp    // an operator: =, <>, ->>, @>, ||, ...
	tokCast  // ::
	tokPunct // ( ) [ ] , ; .
)

// A pgToken is a token of a Postgres or SQLite query text.
type pgToken struct {
	text       string
	kind       tokKind
	start, end int
	depth      int // parenthesis depth at the token
}

// is reports whether t is the unquoted word w, in any case.
func (t pgToken) is(w string) bool {
	return t.kind == tokIdent && strings.EqualFold(t.text, w)
}

// opChars are the characters Postgres operators are made of.
const opChars = "+-*/<>=~!@#%^&|?"

// pgLex splits a Postgres or SQLite text into tokens, by Postgres's
// rules: strings hold backslashes as written (but E'...' strings escape
// with them), # is an operator and not a comment, comments nest, and
// $tag$...$tag$ quotes a string. qmarkOp tells that ? is an operator
// (jsonb's ? ?| ?&), as it is in a text whose placeholders are $N.
func pgLex(s string, qmarkOp bool) []pgToken {
	var out []pgToken
	depth := 0
	add := func(kind tokKind, i, j int) {
		out = append(out, pgToken{text: s[i:j], kind: kind, start: i, end: j, depth: depth})
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c <= ' ':
			i++
		case strings.HasPrefix(s[i:], "--"):
			i = skipLine(s, i)
		case strings.HasPrefix(s[i:], "/*"):
			i = skipBlockComment(s, i)
		case c == '\'':
			j := skipPgString(s, i+1, false)
			add(tokString, i, j)
			i = j
		case (c == 'E' || c == 'e' || c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && i+1 < len(s) && s[i+1] == '\'' && (i == 0 || !isIdent(s[i-1])):
			j := skipPgString(s, i+2, c == 'E' || c == 'e')
			add(tokString, i, j)
			i = j
		case c == '"' || c == '`':
			j := skipQuote(s, i, c)
			add(tokQuoted, i, j)
			i = j
		case c == '$' && i+1 < len(s) && isDigit(s[i+1]):
			j := i + 1
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			add(tokParam, i, j)
			i = j
		case c == '$' && i+1 < len(s) && s[i+1] == '?':
			add(tokParam, i, i+2) // "$" + a number known only at run time
			i += 2
		case c == '$':
			if j := dollarQuoteEnd(s, i); j > i {
				add(tokString, i, j)
				i = j
				continue
			}
			add(tokOp, i, i+1)
			i++
		case c == '?' && !qmarkOp && i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '_'):
			// ?_mailbox: a name after a prefix computed at run time
			j := i + 1
			for j < len(s) && isIdent(s[j]) {
				j++
			}
			name := strings.TrimLeft(s[i+1:j], "_")
			if name == "" {
				name = s[i+1 : j]
			}
			out = append(out, pgToken{text: `"` + name + `"`, kind: tokQuoted, start: i, end: j, depth: depth})
			i = j
		case c == '?' && !qmarkOp && jsonbOperator(s, i, out):
			j := opEnd(s, i, true)
			add(tokOp, i, j)
			i = j
		case c == '?' && !qmarkOp:
			j := i + 1
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			add(tokParam, i, j)
			i = j
		case c == ':' && i+1 < len(s) && s[i+1] == ':':
			add(tokCast, i, i+2)
			i += 2
		case c == ':' && i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '_') && !prevValue(out, i):
			j := i + 1
			for j < len(s) && (isIdent(s[j]) && s[j] != '$' || s[j] == '.') {
				j++
			}
			add(tokParam, i, j)
			i = j
		case isDigit(c) || c == '.' && i+1 < len(s) && isDigit(s[i+1]):
			j := i + 1
			for j < len(s) && (isIdent(s[j]) || s[j] == '.' || (s[j] == '+' || s[j] == '-') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			add(tokNumber, i, j)
			i = j
		case isIdent(c):
			j := i
			for j < len(s) && isIdent(s[j]) {
				j++
			}
			add(tokIdent, i, j)
			i = j
		case strings.IndexByte(opChars, c) >= 0 && (c != '?' || qmarkOp):
			j := opEnd(s, i, qmarkOp)
			add(tokOp, i, j)
			i = j
		default:
			if c == ')' && depth > 0 {
				depth--
			}
			add(tokPunct, i, i+1)
			if c == '(' {
				depth++
			}
			i++
		}
	}
	return out
}

// prevValue reports whether the last token of toks ends a value right
// before s[i] (a slice bound a[1:n], not a :name placeholder).
func prevValue(toks []pgToken, i int) bool {
	if len(toks) == 0 {
		return false
	}
	t := toks[len(toks)-1]
	return t.end == i && (t.kind == tokIdent || t.kind == tokNumber || t.kind == tokParam)
}

// jsonbOperator reports whether the ? at s[i], in a text whose
// placeholders are ?, is jsonb's ? (or ?| or ?&) operator: it follows a
// value and a string follows it (data ? 'key').
func jsonbOperator(s string, i int, toks []pgToken) bool {
	if len(toks) == 0 {
		return false
	}
	switch p := toks[len(toks)-1]; {
	case p.kind == tokIdent, p.kind == tokQuoted, p.kind == tokPunct && p.text == ")":
	default:
		return false
	}
	j := i + 1
	if j < len(s) && (s[j] == '|' || s[j] == '&') {
		j++
	}
	for j < len(s) && s[j] <= ' ' {
		j++
	}
	return j < len(s) && s[j] == '\''
}

// opEnd returns the end of the operator starting at s[i]. As in Postgres,
// a comment start ends it, and an operator of several characters ends in
// + or - only when it holds one of ~!@#%^&|`?.
func opEnd(s string, i int, qmarkOp bool) int {
	j := i
	for j < len(s) && strings.IndexByte(opChars, s[j]) >= 0 && (s[j] != '?' || qmarkOp) {
		if j > i && (strings.HasPrefix(s[j:], "--") || strings.HasPrefix(s[j:], "/*")) {
			break
		}
		j++
	}
	if !strings.ContainsAny(s[i:j], "~!@#%^&|`?") {
		for j-i > 1 && (s[j-1] == '+' || s[j-1] == '-') {
			j--
		}
	}
	return j
}

// skipPgString returns the end of the string whose text starts at s[i]:
// a doubled quote stands for itself, and so does a backslashed one when
// escapes is set (E'...').
func skipPgString(s string, i int, escapes bool) int {
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if escapes {
				j++
			}
		case '\'':
			if j+1 < len(s) && s[j+1] == '\'' {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// skipBlockComment returns the end of the /* comment */ at s[i], which
// may nest, as in Postgres.
func skipBlockComment(s string, i int) int {
	depth := 0
	for j := i; j+1 < len(s); j++ {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j++
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(s)
}

// dollarQuoteEnd returns the end of the $tag$...$tag$ string at s[i], or
// i when none starts there.
func dollarQuoteEnd(s string, i int) int {
	j := i + 1
	for j < len(s) && isIdent(s[j]) && s[j] != '$' {
		j++
	}
	if j >= len(s) || s[j] != '$' || j > i+1 && isDigit(s[i+1]) {
		return i
	}
	tag := s[i : j+1]
	if k := strings.Index(s[j+1:], tag); k >= 0 {
		return j + 1 + k + len(tag)
	}
	return len(s)
}

// pgStringBody returns the characters a string literal token stands for.
func pgStringBody(t string) string {
	switch {
	case strings.HasPrefix(t, "$"):
		open := strings.IndexByte(t[1:], '$') + 2
		return strings.TrimSuffix(t[open:], t[:open])
	case len(t) > 1 && (t[0] == 'E' || t[0] == 'e') && t[1] == '\'':
		body := strings.TrimSuffix(t[2:], "'")
		var b strings.Builder
		for i := 0; i < len(body); i++ {
			if body[i] == '\\' && i+1 < len(body) {
				i++
			}
			b.WriteByte(body[i])
		}
		return strings.ReplaceAll(b.String(), "''", "'")
	}
	if i := strings.IndexByte(t, '\''); i >= 0 {
		t = t[i+1:]
	}
	return strings.ReplaceAll(strings.TrimSuffix(t, "'"), "''", "'")
}

// mysqlString quotes s as a MySQL string literal.
func mysqlString(s string) string {
	return "'" + mysqlEscaper.Replace(s) + "'"
}

var mysqlEscaper = strings.NewReplacer(`\`, `\\`, `'`, `''`)
