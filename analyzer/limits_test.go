package analyzer

import (
	"fmt"
	"strings"
	"testing"
)

// tableTexts returns "SELECT * FROM t<i>" for i in [0, n), with op for
// the last one.
func tableTexts(n int, last string) []sqlText {
	var out []sqlText
	for i := 0; i < n; i++ {
		op := "SELECT * FROM"
		if i == n-1 {
			op = last
		}
		out = append(out, sqlText{text: fmt.Sprintf("%s t%d WHERE id = ?", op, i)})
	}
	return out
}

// holds reports whether some text of ts holds s.
func holds(ts []sqlText, s string) bool {
	for _, t := range ts {
		if strings.Contains(t.text, s) {
			return true
		}
	}
	return false
}

// TestVariantsKeepTables checks that the texts past maxVariants still
// name every table and operation, whether they meet at a φ-node (a
// switch) or are concatenated (a table name picked by a switch).
func TestVariantsKeepTables(t *testing.T) {
	v := &value{}
	for _, tx := range tableTexts(30, "DELETE FROM") {
		v.addText(tx)
	}
	var parts []sqlText
	for i := 0; i < 30; i++ {
		parts = append(parts, sqlText{text: fmt.Sprintf("t%d", i)})
	}
	joined := concat(concat([]sqlText{{text: "SELECT * FROM "}}, parts), []sqlText{{text: " WHERE id = ?"}})
	for name, ts := range map[string][]sqlText{"φ": v.texts, "concat": joined} {
		if len(ts) != 30 {
			t.Errorf("%s: %d texts, want 30", name, len(ts))
		}
		for i := 0; i < 30; i++ {
			if !holds(ts, fmt.Sprintf("t%d WHERE", i)) {
				t.Errorf("%s: table t%d lost", name, i)
			}
		}
		for _, tx := range ts {
			if !tx.cut {
				t.Errorf("%s: %q not marked cut", name, tx.text)
			}
		}
	}
	if !holds(v.texts, "DELETE FROM t29") {
		t.Error("φ: the DELETE was lost")
	}
}

// TestOptionalConditionsCut checks that a chain of optional conditions
// keeps the 8 longest variants only, since they hold every word of the
// others, and marks them cut.
func TestOptionalConditionsCut(t *testing.T) {
	texts := []sqlText{{text: "SELECT * FROM items WHERE 1 = 1"}}
	for i := 0; i < 6; i++ {
		v := &value{}
		for _, tx := range texts {
			v.addText(tx)
		}
		for _, tx := range concat(texts, []sqlText{{text: fmt.Sprintf(" AND c%d = ?", i)}}) {
			v.addText(tx)
		}
		texts = v.texts
	}
	if len(texts) != maxVariants {
		t.Fatalf("%d texts, want %d", len(texts), maxVariants)
	}
	for _, tx := range texts {
		if !tx.cut {
			t.Errorf("%q not marked cut", tx.text)
		}
	}
	if !holds(texts, "AND c0 = ? AND c1 = ? AND c2 = ? AND c3 = ? AND c4 = ? AND c5 = ?") {
		t.Error("the longest variant was cut")
	}
}

// TestFewVariantsNotCut checks that texts within maxVariants are not
// marked cut.
func TestFewVariantsNotCut(t *testing.T) {
	v := &value{}
	for _, tx := range tableTexts(maxVariants, "DELETE FROM") {
		v.addText(tx)
	}
	for _, tx := range concat(v.texts, []sqlText{{text: " LIMIT 1"}}) {
		if tx.cut {
			t.Errorf("%q marked cut", tx.text)
		}
	}
}
