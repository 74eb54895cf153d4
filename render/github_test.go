package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

func renderGitHub(t *testing.T, r *graph.Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, GitHub, r, Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestGitHubFixture checks the fixture's annotations line by line: one
// workflow command per finding, ':' and ',' escaped in properties, the fix on
// a second annotation line.
func TestGitHubFixture(t *testing.T) {
	want := `::warning file=item.go,line=60,col=10,title=crudmap n+1::GET /api/items/:id: SELECT users runs once per iteration of the loop at item.go:30:2 (via fillItems → fillUser)%0Afix: collect the ids and fetch users once with WHERE id IN (?) (sqlx.In)
::warning file=auth.go,line=12,col=9,title=crudmap unindexed::GET /api/items/:id: sessions.token has no index (WHERE token = ?)%0Afix: add the index
::warning file=item.go,line=15,col=12,title=crudmap readonly-tx::GET /api/items/:id: transaction only reads (2 SELECTs on items, users)%0Afix: run the reads on the DB handle and drop BEGIN/COMMIT, or keep it only if the reads need one snapshot
`
	if got := renderGitHub(t, fixtureReport()); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestGitHubEscaping checks the escapes the Actions runner decodes: %, CR
// and LF everywhere, and also : and , in property values.
func TestGitHubEscaping(t *testing.T) {
	r := &graph.Report{Findings: []*graph.Finding{
		{Kind: graph.KindSQLError, Severity: graph.Error, Pos: "we,ird:dir/a%b.go:3:4",
			Message: "100% broken\r\nsecond line: yes, really", Route: "POST /x"},
		{Kind: graph.KindSchema, Severity: graph.Info, Pos: "schema.sql:7", Message: "no column"},
		{Kind: graph.KindSchema, Severity: "", Pos: "", Message: "nowhere"},
	}}
	want := "::error file=we%2Cird%3Adir/a%25b.go,line=3,col=4,title=crudmap sql-error::POST /x: 100%25 broken%0D%0Asecond line: yes, really\n" +
		"::notice file=schema.sql,line=7,title=crudmap schema::no column\n" +
		"::notice title=crudmap schema::nowhere\n"
	if got := renderGitHub(t, r); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestGitHubOneLinePerFinding checks that no finding spans two output
// lines, whatever its text, and that an empty report prints nothing.
func TestGitHubOneLinePerFinding(t *testing.T) {
	if got := renderGitHub(t, &graph.Report{}); got != "" {
		t.Errorf("empty report printed %q", got)
	}
	r := fixtureReport()
	r.Findings[0].Message = "a\nb\r\nc"
	r.Findings[0].Fix = "x\ny"
	out := renderGitHub(t, r)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(r.Findings) {
		t.Fatalf("%d lines for %d findings:\n%s", len(lines), len(r.Findings), out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::warning file=") || strings.Contains(l, "\r") {
			t.Errorf("bad line %q", l)
		}
	}
}
