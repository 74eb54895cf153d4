package render

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
// readable. Control characters and hidden runes are shown as Go escapes
// (see codeText).
func mdText(s string) string {
	s = codeText(mdReplacer.Replace(s))
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

// mdCode returns s as a Markdown code span, s shown as it is (control
// characters and hidden runes as Go escapes, see oneLine), or "" for "".
// The span's backtick run is longer than any in s. Not for a table cell,
// where a '|' would still end the cell: use mdText there.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = oneLine(s)
	ticks := strings.Repeat("`", longestBacktickRun(s)+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") {
		s = " " + s + " " // CommonMark strips one space from each side
	}
	return ticks + s + ticks
}

// fence returns a code fence for code: a run of backticks longer than any
// in code, and at least three, so that code cannot close the block early.
func fence(code string) string {
	return strings.Repeat("`", max(3, longestBacktickRun(code)+1))
}

// longestBacktickRun returns the length of the longest run of backticks in s.
func longestBacktickRun(s string) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != '`' {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	return longest
}

// oneLine returns s with its control characters (line breaks, tabs, terminal
// escape sequences) and hidden runes written as Go escapes, so that it keeps
// a line of text output on one line and cannot drive the terminal.
func oneLine(s string) string {
	return escapeRunes(s, func(r rune) bool { return unicode.IsControl(r) || hiddenRune(r) })
}

// codeText returns s, a block of code, with the runes unsafeRune names
// written as Go escapes; its line breaks and tabs stay.
func codeText(s string) string {
	return escapeRunes(s, unsafeRune)
}

// unsafeRune reports whether r must not reach a report raw: a control
// character other than a tab or a line feed (a terminal reads ESC, CSI, OSC
// and the C1 controls as commands, and XML forbids most C0 controls even
// escaped), or a hidden rune.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) && r != '\t' && r != '\n' || hiddenRune(r)
}

// hiddenRune reports whether r changes how the text around it reads
// without showing itself: a bidirectional control, which can make code or a
// path display in an order other than its own ("Trojan Source"), a line or
// paragraph separator, or one of the noncharacters U+FFFE and U+FFFF, which
// XML forbids.
func hiddenRune(r rune) bool {
	switch {
	case 0x202A <= r && r <= 0x202E, // LRE, RLE, PDF, LRO, RLO
		0x2066 <= r && r <= 0x2069,            // LRI, RLI, FSI, PDI
		r == 0x200E, r == 0x200F, r == 0x061C, // LRM, RLM, ALM
		r == 0x2028, r == 0x2029,
		r == 0xFFFE, r == 0xFFFF:
		return true
	}
	return false
}

// escapeRunes returns s with each rune for which escape is true, and each
// byte that is not UTF-8 (0x9b is CSI to an 8-bit terminal), written as its
// Go escape (\x1b, \u202e, \n, \x9b): visible and inert.
func escapeRunes(s string, escape func(rune) bool) string {
	if strings.IndexFunc(s, escape) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case escape(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}
