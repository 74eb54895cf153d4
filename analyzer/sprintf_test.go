package analyzer

import (
	"slices"
	"testing"
)

// TestPinRepeated checks that an argument fmt.Sprintf uses several times
// takes one text per variant, and that distinct arguments still combine.
func TestPinRepeated(t *testing.T) {
	format := []sqlText{{text: "CREATE TABLE %s (x INT); CREATE INDEX %s_x ON %s (x)"}}
	tables := []sqlText{{text: "receipts"}, {text: "receipts_private"}}
	texts := func(ts []sqlText) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.text)
		}
		return out
	}
	got := texts(pinRepeated(format, [][]sqlText{tables, tables, tables}, []int{0, 0, 0}))
	want := []string{
		"CREATE TABLE receipts (x INT); CREATE INDEX receipts_x ON receipts (x)",
		"CREATE TABLE receipts_private (x INT); CREATE INDEX receipts_private_x ON receipts_private (x)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("one value used three times:\n got %q\nwant %q", got, want)
	}
	if got := pinRepeated(format, [][]sqlText{tables, tables, tables}, []int{0, 1, 2}); len(got) != 8 {
		t.Errorf("three distinct values of two texts each gave %d variants, want 8", len(got))
	}
	if got := pinRepeated(format, [][]sqlText{tables, tables, tables}, nil); len(got) != 8 {
		t.Errorf("unknown arguments gave %d variants, want 8", len(got))
	}
}
