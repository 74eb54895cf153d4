package render

import (
	"strconv"
	"strings"
	"unicode"
)

// This file holds the escaping every text-like renderer needs for strings
// that come from the analysed code: route paths, names, SQL, messages.

// mdReplacer turns the characters that HTML or Markdown would read as markup
// into character references. Markdown and HTML both resolve a reference to
// its character, so the result is safe in every place the Markdown report
// puts text: a paragraph, a table cell, an HTML block such as <summary>, and
// between <code> tags. Line breaks become spaces: a table row is one line.
var mdReplacer = strings.NewReplacer(
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	"|", "&#124;", // a table cell separator
	"`", "&#96;", // a code span
	"*", "&#42;", // emphasis
	"[", "&#91;", // a link
	"]", "&#93;",
	"\\", "&#92;", // a backslash escape
	"~", "&#126;", // strikethrough
	"$", "&#36;", // GitHub math
	"\r\n", " ",
	"\n", " ",
	"\r", " ",
)

// mdText returns s as Markdown text that renders as s itself, never as
// markup. An underscore stays as it is between two letters or digits
// (user_id), where Markdown never reads it as emphasis, to keep the source
// readable.
func mdText(s string) string {
	s = mdReplacer.Replace(s)
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && !(i > 0 && isAlnum(s[i-1]) && i+1 < len(s) && isAlnum(s[i+1])) {
			b.WriteString("&#95;")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// mdCode returns s as inline code: <code> tags around mdText(s). Unlike a
// Markdown code span it needs no backtick counting and works in <summary>.
func mdCode(s string) string {
	return "<code>" + mdText(s) + "</code>"
}

// fence returns a code fence for code: a run of backticks longer than any
// in code, and at least three, so that code cannot close the block early.
func fence(code string) string {
	longest, run := 0, 0
	for i := 0; i < len(code); i++ {
		if code[i] != '`' {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	return strings.Repeat("`", max(3, longest+1))
}

// mermaidReplacer escapes a Mermaid node label written between double
// quotes. Mermaid reads "#name;" and "#123;" as character references, so
// '#' itself must be escaped first (NewReplacer replaces in one pass). A
// backtick would start a Markdown string, or close the code fence.
var mermaidReplacer = strings.NewReplacer(
	"#", "#35;",
	`"`, "#quot;",
	"<", "#lt;",
	">", "#gt;",
	"&", "#amp;",
	"`", "#96;",
	"\r\n", " ",
	"\n", " ",
	"\r", " ",
)

// mermaidLabel returns s as a quoted Mermaid label.
func mermaidLabel(s string) string {
	return `"` + mermaidReplacer.Replace(s) + `"`
}

// mermaidID returns prefix followed by s with every character other than an
// ASCII letter, digit or underscore replaced by '_', a valid Mermaid node id.
func mermaidID(prefix, s string) string {
	b := []byte(prefix + s)
	for i := len(prefix); i < len(b); i++ {
		if !isAlnum(b[i]) && b[i] != '_' {
			b[i] = '_'
		}
	}
	return string(b)
}

// oneLine returns s with its control characters (line breaks, tabs, terminal
// escape sequences) written as Go escapes, so that it keeps a line of text
// output on one line and cannot drive the terminal.
func oneLine(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
