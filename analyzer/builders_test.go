package analyzer

import (
	"strings"
	"testing"
)

// recipe writes a builder recipe from steps written "Method|arg|arg".
func recipe(steps ...string) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(stepSep + strings.ReplaceAll(s, "|", argSep))
	}
	return b.String()
}

func TestRenderRecipe(t *testing.T) {
	tests := []struct {
		steps []string
		want  string
	}{
		{[]string{"Select|id|name", "From|users", "Where|email = ?|", "OrderBy|id", "Limit|?"},
			"SELECT id, name FROM users WHERE email = ? ORDER BY id LIMIT ?"},
		{[]string{"Select|*", "From|posts p", "Join|users u ON u.id = p.user_id|", "Where|p.id = ?|", "Where|u.active = ?|"},
			"SELECT * FROM posts p JOIN users u ON u.id = p.user_id WHERE (p.id = ?) AND (u.active = ?)"},
		// sqlf: From first, Select later, a join's ON apart.
		{[]string{"From|tags t", "Select|t.name|", "LeftJoin|message_tags mt|mt.tag_id = t.id", "GroupBy|t.name"},
			"SELECT t.name FROM tags t LEFT JOIN message_tags mt ON mt.tag_id = t.id GROUP BY t.name"},
		{[]string{"Insert|lists", "Columns|name|type", "Values|", "Suffix|RETURNING id|"},
			"INSERT INTO lists (name, type) VALUES (?, ?) RETURNING id"},
		{[]string{"InsertInto|message_tags", "Set|ID|?", "Set|TagID|?"},
			"INSERT INTO message_tags (ID, TagID) VALUES (?, ?)"},
		{[]string{"Update|lists", "Set|name|?", "SetMap|type|status", "Where|id = ?|"},
			"UPDATE lists SET name = ?, type = ?, status = ? WHERE id = ?"},
		{[]string{"Delete|", "From|sessions", "Where|expires < ?|"}, "DELETE FROM sessions WHERE expires < ?"},
		{[]string{"DeleteFrom|tags", "Where|ID = ?|"}, "DELETE FROM tags WHERE ID = ?"},
	}
	for _, tt := range tests {
		if got, partial := renderRecipe(recipe(tt.steps...)); got != tt.want || partial {
			t.Errorf("renderRecipe(%q)\n got %s (partial %v)\nwant %s", tt.steps, got, partial, tt.want)
		}
	}
}

// A call the renderer does not know (a subquery) makes the text partial:
// dynamic, so that it is never reported as SQL the parser rejects.
func TestRenderRecipePartial(t *testing.T) {
	got, partial := renderRecipe(recipe("From|posts", "Where|id IN|", "SubQuery|(|)|"))
	if got != "SELECT * FROM posts WHERE id IN" || !partial {
		t.Errorf("renderRecipe with a subquery = %q, partial %v; want the rest, partial", got, partial)
	}
}

// A value whose builder crudmap could not follow to its start has no
// recipe: it renders as unknown text, never as a guess.
func TestRenderAllUnknown(t *testing.T) {
	got := renderAll([]sqlText{{text: "?", dynamic: true}, {text: "?" + recipe("Where|id = ?|"), dynamic: true}})
	if got[0].text != "" || !got[0].dynamic {
		t.Errorf("no recipe: got %+v, want an unknown text", got[0])
	}
	if got[1].text != "SELECT * WHERE id = ?" || !got[1].dynamic {
		t.Errorf("a recipe with an unknown start: got %+v, want its steps, dynamic", got[1])
	}
}

func TestGorpSQL(t *testing.T) {
	table := &gorpTable{name: "templates", keys: []string{"id"}}
	cols := []string{"id", "name", "body"}
	tests := map[string]string{
		"INSERT": "INSERT INTO templates (id, name, body) VALUES (?, ?, ?)",
		"UPDATE": "UPDATE templates SET name = ?, body = ? WHERE id = ?",
		"DELETE": "DELETE FROM templates WHERE id = ?",
		"SELECT": "SELECT id, name, body FROM templates WHERE id = ?",
	}
	for op, want := range tests {
		if got := gorpSQLFor(op, table, cols); got != want {
			t.Errorf("gorpSQLFor(%s)\n got %s\nwant %s", op, got, want)
		}
	}
}
