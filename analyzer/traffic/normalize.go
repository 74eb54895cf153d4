package traffic

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
)

// Dialect says how a statement's text is normalised.
type Dialect int

// The dialects of statement logs.
const (
	MySQL    Dialect = iota // MySQL and MariaDB: TiDB's normaliser
	Postgres                // Postgres: the scanner below
)

// unknownText is the token of a Postgres text's unknown part.
const unknownText = "?*"

// normalizer turns statement texts into normal forms, remembering the
// normal form of the texts it saw (keyed by their scanned form, which
// differs only in literal values) up to maxCached of them.
type normalizer struct {
	dialect Dialect
	cache   map[string]string
	buf     []byte
	last    scanner // the last text's scan
}

// maxCached and maxKey bound the normalizer's memory: past maxCached
// texts, or longer than maxKey bytes, texts are normalised each time.
const (
	maxCached = 50000
	maxKey    = 2048
)

func newNormalizer(d Dialect) *normalizer {
	return &normalizer{dialect: d, cache: make(map[string]string)}
}

// normalize returns the normal form of sql.
func (n *normalizer) normalize(sql string) string {
	n.last = scanner{buf: n.buf[:0], pg: n.dialect == Postgres}
	n.last.run(sql)
	n.buf = n.last.buf
	if n.dialect == Postgres {
		if norm, ok := n.cache[string(n.buf)]; ok {
			return norm
		}
		norm := string(n.buf)
		n.remember(norm, norm)
		return norm
	}
	if norm, ok := n.cache[string(n.buf)]; ok {
		return norm
	}
	norm := normalizeMySQL(n.closed(sql))
	n.remember(string(n.buf), norm)
	return norm
}

// closed returns sql, which the last scan read, with the literal and the
// parentheses it leaves open closed: a statement cut short in a log (a
// bulk INSERT's blob) normalises as the whole one does.
func (n *normalizer) closed(sql string) string {
	if n.last.openQuote == 0 && len(n.last.lists) == 0 {
		return sql
	}
	tail := strings.Repeat(")", len(n.last.lists))
	if n.last.openQuote != 0 {
		tail = string(n.last.openQuote) + tail
	}
	return sql + tail
}

func (n *normalizer) remember(key, norm string) {
	if len(n.cache) < maxCached && len(key) <= maxKey {
		n.cache[key] = norm
	}
}

// normalizeMySQL is TiDB's normal form of a MySQL statement, with a
// character set introducer (_binary'...', which drivers write for []byte
// arguments) read as a plain literal, and an IN list of one value read as
// a list.
func normalizeMySQL(sql string) string {
	norm, _ := parser.NormalizeDigestForBinding(sql)
	if strings.Contains(norm, "(_charset) ") {
		norm, _ = parser.NormalizeDigestForBinding(strings.ReplaceAll(norm, "(_charset) ", ""))
	}
	return norm
}

// scanner appends to buf the normal form of a text as a small scanner
// sees it: tokens separated by one space, words in lower case, identifier
// quotes dropped, comments dropped, every literal and $n or ? placeholder
// as ?, and a parenthesised list of placeholders, or a run of such lists,
// as ( ... ). pg selects Postgres quoting ("..." quotes a name, # is an
// operator) and placeholders ($n; a ? is a part of the text crudmap does
// not know, unknownText); otherwise MySQL's.
type scanner struct {
	buf   []byte
	pg    bool
	lists []list // the open parentheses
	// prev is the kind of the last token: 'w' a word, '?' a literal, or
	// the punctuation's first byte.
	prev byte
	// openQuote is the quote of a literal the text ends in, cut short.
	openQuote byte
}

// list is an open parenthesis: where its contents start in buf, and
// whether they are so far only placeholders and commas.
type list struct {
	start        int
	placeholders bool
	empty        bool
}

// run scans sql.
func (s *scanner) run(sql string) {
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(sql) && sql[i+1] == '-', c == '#' && !s.pg:
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return
			}
			i += end + 4
		case c == '\'' || c == '"' && !s.pg:
			var closed bool
			if i, closed = skipQuoted(sql, i, !s.pg); !closed {
				s.openQuote = c
			}
			s.literal()
		case c == '`' || c == '"':
			j := strings.IndexByte(sql[i+1:], c)
			if j < 0 {
				j = len(sql) - i - 1
			}
			s.word(sql[i+1 : i+1+j])
			i += j + 2
		case c >= '0' && c <= '9', c == '.' && i+1 < len(sql) && isDigit(sql[i+1]):
			i = skipNumber(sql, i)
			s.literal()
		case c == '$' && i+1 < len(sql) && isDigit(sql[i+1]):
			for i++; i < len(sql) && isDigit(sql[i]); i++ {
			}
			s.literal()
		case c == '$' && i+1 < len(sql) && sql[i+1] == '?': // crudmap's unknown $n
			i += 2
			s.literal()
		case c == '?' && s.pg:
			i++
			s.emit(unknownText, '?') // crudmap's unknown part of a text
		case c == '?':
			i++
			s.literal()
		case isWordByte(c):
			j := i
			for j < len(sql) && isWordByte(sql[j]) {
				j++
			}
			word := sql[i:j]
			if j < len(sql) && sql[j] == '\'' && (word[0] == '_' || len(word) == 1 && strings.ContainsRune("xXbBeEnN", rune(word[0]))) {
				i = j // a literal's introducer: _binary'..', X'..', E'..'
				continue
			}
			s.word(word)
			i = j
		default:
			i = s.punct(sql, i)
		}
	}
}

// literal emits a placeholder.
func (s *scanner) literal() { s.emit("?", '?') }

// word emits an identifier or keyword in lower case.
func (s *scanner) word(w string) {
	s.sep()
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		s.buf = append(s.buf, c)
	}
	s.mark('w')
}

// punct emits the operator or punctuation at sql[i] and returns the index
// after it.
func (s *scanner) punct(sql string, i int) int {
	c := sql[i]
	switch c {
	case '(':
		s.emit("(", '(')
		s.lists = append(s.lists, list{start: len(s.buf), placeholders: true, empty: true})
		return i + 1
	case ')':
		s.closeList()
		return i + 1
	case ',', ';':
		s.emit(string(c), c)
		return i + 1
	case '-', '+':
		if s.prev != 'w' && s.prev != '?' && s.prev != ')' && i+1 < len(sql) && (isDigit(sql[i+1]) || sql[i+1] == '.') {
			return i + 1 // the sign of the number that follows
		}
	}
	j := i + 1
	for j < len(sql) && j-i < 3 && strings.IndexByte("<>=!|&:~*+-/%^@", sql[j]) >= 0 && strings.IndexByte("<>=!|&:~", c) >= 0 {
		j++
	}
	s.emit(sql[i:j], c)
	return j
}

// closeList emits ")", first folding a list of placeholders into "...",
// and a run of such lists into one.
func (s *scanner) closeList() {
	if len(s.lists) == 0 {
		s.emit(")", ')')
		return
	}
	l := s.lists[len(s.lists)-1]
	s.lists = s.lists[:len(s.lists)-1]
	if l.placeholders && !l.empty {
		s.buf = append(s.buf[:l.start], " ..."...)
		open := l.start - 1 // the "(" of this list
		if prevList := open - len("( ... ) , "); prevList >= 0 && string(s.buf[prevList:open]) == "( ... ) , " {
			s.buf = s.buf[:prevList+len("( ...")]
		}
	}
	s.emit(")", ')')
}

// emit appends a token of the given kind.
func (s *scanner) emit(tok string, kind byte) {
	s.sep()
	s.buf = append(s.buf, tok...)
	s.mark(kind)
}

// sep separates the next token from the last.
func (s *scanner) sep() {
	if len(s.buf) > 0 {
		s.buf = append(s.buf, ' ')
	}
}

// mark records the kind of the token just emitted, for the open list and
// the signs of numbers.
func (s *scanner) mark(kind byte) {
	if n := len(s.lists); n > 0 {
		l := &s.lists[n-1]
		if kind != '?' && kind != ',' {
			l.placeholders = false
		}
		if kind == '?' {
			l.empty = false
		}
	}
	s.prev = kind
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c >= 0x80
}

// skipQuoted returns the index after the quoted literal at sql[i], with
// doubled quotes and, when backslash is set, backslash escapes inside, and
// whether the literal is closed before the text ends.
func skipQuoted(sql string, i int, backslash bool) (int, bool) {
	q := sql[i]
	for i++; i < len(sql); i++ {
		switch sql[i] {
		case '\\':
			if backslash {
				i++
			}
		case q:
			if i+1 < len(sql) && sql[i+1] == q {
				i++
				continue
			}
			return i + 1, true
		}
	}
	return len(sql), false
}

// skipNumber returns the index after the number at sql[i]: digits, a
// fraction, an exponent, or a 0x hexadecimal.
func skipNumber(sql string, i int) int {
	if strings.HasPrefix(sql[i:], "0x") || strings.HasPrefix(sql[i:], "0X") {
		i += 2
	}
	for i < len(sql) && (isWordByte(sql[i]) || sql[i] == '.' ||
		(sql[i] == '-' || sql[i] == '+') && (sql[i-1] == 'e' || sql[i-1] == 'E')) {
		i++
	}
	return i
}
