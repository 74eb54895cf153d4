package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"github.com/crudmap/crudmap/render/svg"
	"html"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

func svgOf(t *testing.T, r *graph.Report, mode string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := writeSVG(&b, r, Options{Graph: mode, Layout: svg.Render}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkXML returns an error unless doc is well-formed XML, in the
// characters XML 1.0 allows.
func checkXML(doc []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	dec.Entity = xml.HTMLEntity
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// TestSVG checks that the DOT parses and lays out, that the SVG is well
// formed XML with one <g class="node"> titled by node id per node and one
// <g class="edge"> per edge, carrying the ids the HTML page's script uses.
func TestSVG(t *testing.T) {
	for _, mode := range []string{"compact", "full"} {
		svg := svgOf(t, fixtureReport(), mode)
		if err := checkXML(svg); err != nil {
			t.Fatalf("%s: SVG is not well-formed XML: %v", mode, err)
		}
		g := newCallGraph(fixtureReport(), mode)
		for _, n := range g.nodes {
			want := fmt.Sprintf("<g id=%q class=\"node %s", n.svgID, n.kind)
			i := bytes.Index(svg, []byte(want))
			if i < 0 {
				t.Errorf("%s: no %s… for %s", mode, want, n.id)
				continue
			}
			title := regexp.MustCompile(`<title>(.*?)</title>`).FindSubmatch(svg[i:])
			if title == nil || html.UnescapeString(string(title[1])) != n.id {
				t.Errorf("%s: node %s has title %q, want %q", mode, n.svgID, title, n.id)
			}
		}
		for _, e := range g.edges {
			want := fmt.Sprintf("<g id=%q class=\"edge", e.svgID)
			i := bytes.Index(svg, []byte(want))
			if i < 0 {
				t.Errorf("%s: no %s… for %s -> %s", mode, want, e.from, e.to)
				continue
			}
			title := regexp.MustCompile(`<title>(.*?)</title>`).FindSubmatch(svg[i:])
			if title == nil || html.UnescapeString(string(title[1])) != e.from+"->"+e.to {
				t.Errorf("%s: edge %s has title %q", mode, e.svgID, title)
			}
		}
		if got, want := bytes.Count(svg, []byte(`class="node `)), len(g.nodes); got != want {
			t.Errorf("%s: %d nodes in the SVG, want %d", mode, got, want)
		}
		if got, want := bytes.Count(svg, []byte(`class="edge `)), len(g.edges); got != want {
			t.Errorf("%s: %d edges in the SVG, want %d", mode, got, want)
		}
		if !bytes.Contains(svg, []byte(">per iteration</text>")) {
			t.Errorf("%s: the loop edge's label is missing", mode)
		}
		if bytes.Contains(svg, []byte("<script")) {
			t.Errorf("%s: SVG holds an unescaped <script", mode)
		}
	}
}

// TestSVGDeterministic renders the same report twice, and concurrently:
// the bytes must not change, and the Graphviz instance must be used from
// one goroutine at a time (run with -race).
func TestSVGDeterministic(t *testing.T) {
	want := svgOf(t, fixtureReport(), "compact")
	if got := svgOf(t, fixtureReport(), "compact"); !bytes.Equal(got, want) {
		t.Fatalf("SVG differs between two runs:\n%s", goldenDiff(want, got))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var b bytes.Buffer
			if err := writeSVG(&b, fixtureReport(), Options{Layout: svg.Render}); err != nil {
				errs <- err.Error()
			} else if !bytes.Equal(b.Bytes(), want) {
				errs <- "concurrent rendering changed the SVG"
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestSVGBadDOT(t *testing.T) {
	if _, err := svg.Render([]byte("digraph { a -> ; }")); err == nil || !strings.Contains(err.Error(), "graphviz") {
		t.Errorf("invalid DOT: err = %v, want a graphviz syntax error", err)
	}
	// The instance still works after an error.
	if _, err := svg.Render([]byte("digraph { a -> b }")); err != nil {
		t.Errorf("after an error: %v", err)
	}
}

// TestSVGLarge lays out a report of the size the DOT must stay readable at
// (50 routes, 20 tables) and checks that every route and table is drawn.
func TestSVGLarge(t *testing.T) {
	r := largeReport(50, 20)
	svg := svgOf(t, r, "compact")
	for _, rt := range r.Routes {
		if !bytes.Contains(svg, []byte("<title>route:"+html.EscapeString(rt.Key())+"</title>")) {
			t.Errorf("route %s not drawn", rt.Key())
		}
	}
	for _, tb := range r.Tables {
		if !bytes.Contains(svg, []byte("<title>table:"+tb.Name+"</title>")) {
			t.Errorf("table %s not drawn", tb.Name)
		}
	}
}

// largeReport returns a report with nr routes and nt tables: each route has
// a handler calling a helper of its own and one of five shared repository
// functions, each touching tables.
func largeReport(nr, nt int) *graph.Report {
	r := &graph.Report{Module: "example.com/large"}
	ops := []graph.Op{graph.Select, graph.Insert, graph.Update, graph.Delete}
	for i := range nt {
		r.Tables = append(r.Tables, &graph.Table{Name: fmt.Sprintf("table%02d", i), InSchema: true, CacheCandidate: i%4 == 0})
	}
	for i := range 5 {
		id := fmt.Sprintf("repo.Find%d", i)
		r.Functions = append(r.Functions, &graph.Function{ID: id})
		r.Edges = append(r.Edges, &graph.Edge{From: "func:" + id, To: fmt.Sprintf("table:table%02d", i%nt), Op: graph.Select})
	}
	for i := range nr {
		rt := &graph.Route{Method: []string{"GET", "POST", "PUT", "DELETE"}[i%4], Path: fmt.Sprintf("/api/resource%02d/:id", i), Handler: fmt.Sprintf("handler%02d", i)}
		r.Routes = append(r.Routes, rt)
		h, helper := "func:"+rt.Handler, fmt.Sprintf("func:helper%02d", i)
		r.Functions = append(r.Functions, &graph.Function{ID: rt.Handler, Kind: "handler"}, &graph.Function{ID: helper[5:]})
		r.Edges = append(r.Edges,
			&graph.Edge{From: "route:" + rt.Key(), To: h},
			&graph.Edge{From: h, To: helper, Loop: i%7 == 0},
			&graph.Edge{From: h, To: fmt.Sprintf("func:repo.Find%d", i%5)},
			&graph.Edge{From: helper, To: fmt.Sprintf("table:table%02d", (i*3)%nt), Op: ops[i%4]},
			&graph.Edge{From: h, To: fmt.Sprintf("table:table%02d", (i*7+1)%nt), Op: graph.Select},
		)
	}
	return r
}
