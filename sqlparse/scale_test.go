package sqlparse

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// manyOrs returns a SELECT on users whose WHERE is n+1 equalities ORed,
// on id and on email, which no index serves.
func manyOrs(n int) string {
	var b strings.Builder
	b.WriteString("SELECT * FROM users WHERE id = ?")
	for i := 0; i < n; i++ {
		col := "email"
		if i%2 == 1 {
			col = "id"
		}
		fmt.Fprintf(&b, " OR %s = ?", col)
	}
	return b.String()
}

// manyJoins returns a SELECT joining n+1 tables, a chain of users, posts
// and comments, where each comments table is joined on a column no index
// starts with, and whose WHERE names a column of every table unqualified.
func manyJoins(n int) string {
	var b strings.Builder
	b.WriteString("SELECT * FROM users t0")
	for i := 1; i <= n; i++ {
		switch i % 3 {
		case 1:
			fmt.Fprintf(&b, " JOIN posts t%d ON t%d.user_id = t%d.id", i, i, i-1)
		case 2:
			fmt.Fprintf(&b, " JOIN comments t%d ON t%d.post_id = t%d.id", i, i, i-1)
		case 0:
			fmt.Fprintf(&b, " JOIN users t%d ON t%d.id = t%d.user_id", i, i, i-1)
		}
	}
	b.WriteString(" WHERE t0.email = ? AND created_at > ?")
	return b.String()
}

// parseCheck parses sql and checks it against checkSchema, as the
// analyzer does.
func parseCheck(tb testing.TB, schema *Schema, sql string) []Problem {
	st, err := Parse(sql)
	if err != nil {
		tb.Fatal(err)
	}
	return schema.Check(st)
}

// TestLongStatements checks statements that took quadratic time or more:
// 16,000 ORs and 1,000 JOINs are read, and their problems found.
func TestLongStatements(t *testing.T) {
	schema, _ := ParseSchema([]SchemaFile{{Name: "schema.sql", Src: []byte(checkSchema)}})

	ps := parseCheck(t, schema, manyOrs(16000))
	if len(ps) != 1 || ps[0].Table != "users" || strings.Join(ps[0].Columns, ",") != "email" ||
		!strings.HasPrefix(ps[0].Clause, "WHERE id = ? OR email = ? OR id = ?") || strings.Count(ps[0].Clause, " OR ") != 16000 {
		t.Errorf("16,000 ORs: got %d problems, want the whole OR on users.email", len(ps))
	}

	ps = parseCheck(t, schema, manyJoins(1000))
	comments := 0
	for _, p := range ps {
		if p.Table == "comments" && strings.HasPrefix(p.Clause, "ON t") {
			comments++
		}
	}
	if len(ps) != 1+333 || ps[0].Clause != "WHERE t0.email = ?" || comments != 333 {
		t.Errorf("1,000 JOINs: got %d problems (%d on comments), want users.email and the 333 comments joins", len(ps), comments)
	}
}

// TestCheckLinear checks that reading and checking a statement four
// times as long allocates about four times as much, not sixteen: the
// text of each OR and the tables each column may be of were once worked
// out anew for every OR and every table.
func TestCheckLinear(t *testing.T) {
	schema, _ := ParseSchema([]SchemaFile{{Name: "schema.sql", Src: []byte(checkSchema)}})
	for _, tc := range []struct {
		name string
		gen  func(int) string
		n    int
	}{
		{"ORs", manyOrs, 2000},
		{"JOINs", manyJoins, 250},
	} {
		small := allocated(func() { parseCheck(t, schema, tc.gen(tc.n)) })
		large := allocated(func() { parseCheck(t, schema, tc.gen(4*tc.n)) })
		if ratio := float64(large) / float64(small); ratio > 6 {
			t.Errorf("%s: %d allocate %d bytes, %d allocate %d: %.1f times as much", tc.name, tc.n, small, 4*tc.n, large, ratio)
		}
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// benchCheck measures Parse and Check of sql, as the analyzer runs them.
func benchCheck(b *testing.B, sql string) {
	schema, _ := ParseSchema([]SchemaFile{{Name: "schema.sql", Src: []byte(checkSchema)}})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		parseCheck(b, schema, sql)
	}
}

func BenchmarkCheckOrs16000(b *testing.B)  { benchCheck(b, manyOrs(16000)) }
func BenchmarkCheckJoins1000(b *testing.B) { benchCheck(b, manyJoins(1000)) }
