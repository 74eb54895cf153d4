package render

import "testing"

func TestMDText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/api/items/:id", "/api/items/:id"},
		{"user_id", "user_id"},
		{"_tmp __x", "&#95;tmp &#95;&#95;x"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"a|b", "a&#124;b"},
		{"`x` *y* [l](u) a\\b ~~s~~ $m$ &amp;", "&#96;x&#96; &#42;y&#42; &#91;l&#93;(u) a&#92;b &#126;&#126;s&#126;&#126; &#36;m&#36; &amp;amp;"},
		{"one\ntwo\r\nthree", "one two three"},
	} {
		if got := mdText(c.in); got != c.want {
			t.Errorf("mdText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got, want := mdCode("a<b"), "<code>a&lt;b</code>"; got != want {
		t.Errorf("mdCode = %q, want %q", got, want)
	}
}

func TestFence(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "```"},
		{"SELECT `id` FROM t", "```"},
		{"-- ```", "````"},
		{"a ```` b `` c", "`````"},
	} {
		if got := fence(c.in); got != c.want {
			t.Errorf("fence(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMermaidEscaping(t *testing.T) {
	if got, want := mermaidLabel("GET /a\"b#quot;<c>&`\n"), `"GET /a#quot;b#35;quot;#lt;c#gt;#amp;#96; "`; got != want {
		t.Errorf("mermaidLabel = %s, want %s", got, want)
	}
	if got, want := mermaidID("t_", "db.user-log é"), "t_db_user_log___"; got != want {
		t.Errorf("mermaidID = %q, want %q", got, want)
	}
}

func TestOneLine(t *testing.T) {
	if got, want := oneLine("a\tb\nc\x1b[0m é"), `a\tb\nc\x1b[0m é`; got != want {
		t.Errorf("oneLine = %q, want %q", got, want)
	}
}
