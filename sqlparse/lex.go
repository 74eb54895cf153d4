package sqlparse

import "strings"

// skipQuoted returns the end of the quoted string, quoted identifier or
// comment that starts at s[i], or i when none starts there. An unclosed
// one ends at len(s).
func skipQuoted(s string, i int) int {
	switch c := s[i]; {
	case c == '\'' || c == '"' || c == '`':
		return skipQuote(s, i, c)
	case c == '#':
		return skipLine(s, i)
	case c == '-' && strings.HasPrefix(s[i:], "--") && (i+2 == len(s) || s[i+2] <= ' '):
		return skipLine(s, i)
	case c == '/' && strings.HasPrefix(s[i:], "/*"):
		if j := strings.Index(s[i+2:], "*/"); j >= 0 {
			return i + 2 + j + 2
		}
		return len(s)
	}
	return i
}

// skipQuote returns the end of the string quoted by q that starts at s[i].
// A doubled quote stands for itself, and so does a backslashed one in
// strings.
func skipQuote(s string, i int, q byte) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// skipLine returns the index just past the end of the line holding s[i].
func skipLine(s string, i int) int {
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(s)
}

// isIdent reports whether c may appear in an unquoted identifier.
func isIdent(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// word is a token of an SQL text outside quotes and comments: an
// identifier or keyword, or a single punctuation character.
type word struct {
	text       string
	start, end int
	depth      int // parenthesis depth at the token
}

// words splits s into words, skipping quoted text and comments.
func words(s string) []word { return leadingWords(s, -1) }

// leadingWords is words(s) up to its first n words (all when n < 0):
// many rewrites apply only to statements of one kind, told by their
// first words, and every statement of the module meets them.
func leadingWords(s string, n int) []word {
	var out []word
	depth := 0
	for i := 0; i < len(s) && len(out) != n; {
		if j := skipQuoted(s, i); j > i {
			i = j
			continue
		}
		c := s[i]
		switch {
		case c <= ' ':
			i++
		case isIdent(c):
			j := i
			for j < len(s) && isIdent(s[j]) {
				j++
			}
			out = append(out, word{s[i:j], i, j, depth})
			i = j
		default:
			if c == ')' && depth > 0 {
				depth--
			}
			out = append(out, word{s[i : i+1], i, i + 1, depth})
			if c == '(' {
				depth++
			}
			i++
		}
	}
	return out
}
