package analyzer

import (
	"go/token"
	"go/types"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/sqlparse"
	"golang.org/x/tools/go/ssa"
)

// analysis carries the results of the passes until the report is built.
type analysis struct {
	w          *walker
	routes     []*route
	events     map[*route][]*event // each route's events, from all entries
	rest       []*event            // events of functions no route reaches
	parsed     map[*site]*parsedSQL
	ids        map[*site]string
	schema     *sqlparse.Schema
	schemaFs   []string
	notes      []string
	findings   []*graph.Finding
	variants   map[[2]token.Pos]int // SQL texts per loop and call position
	sorted     []*site              // the sites in report order, once walking is done
	siteRoutes map[*site][]string   // the routes running each site
	app        *appSchema           // the dialect of each site, the schema in the code
}

// parsedSQL is a site's SQL as the parser understood it.
type parsedSQL struct {
	stmt *sqlparse.Statement
	err  error
}

func typesOf(p *program) []*types.Package {
	var out []*types.Package
	for _, pkg := range p.pkgs {
		out = append(out, pkg.Types)
	}
	return out
}

// walkRoutes collects each route's events from its middleware and handler.
func (a *analysis) walkRoutes() {
	a.events = map[*route][]*event{}
	for _, rt := range a.routes {
		s := &summary{index: map[eventKey]int{}}
		for _, cl := range rt.entries {
			for _, e := range a.w.walkEntry(cl) {
				s.add(e)
			}
		}
		a.events[rt] = s.events
	}
}

// walkEntry walks a handler or middleware, and the closures it returns
// (an echo or net/http middleware returns the function that runs).
func (w *walker) walkEntry(cl *closure) []*event {
	f := w.entryFrame(cl)
	events := append([]*event{}, w.walk(f).events...)
	if !returnsFunc(cl.fn) {
		return events
	}
	for _, b := range cl.fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		for _, res := range ret.Results {
			for _, inner := range w.resolve(res, f).funcs {
				for _, e := range w.walk(w.closureFrame(inner, nil)).events {
					events = append(events, e.calledFrom(cl.fn, nil))
				}
			}
		}
	}
	return events
}

func returnsFunc(fn *ssa.Function) bool {
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if isHandlerType(res.At(i).Type()) {
			return true
		}
	}
	return false
}

// walkRest walks the module functions no route reached, in no context,
// so that queries and transactions outside any route are known too:
// first those nothing calls (main, workers), then the rest. Functions
// nothing can run are left out.
func (a *analysis) walkRest() {
	s := &summary{index: map[eventKey]int{}}
	ix := a.w.ix
	walk := func(fn *ssa.Function) {
		if a.w.walked[fn] || ix.unused(fn) {
			return
		}
		for _, e := range a.w.walk(a.w.newFrame(fn, nil, nil)).events {
			s.add(e)
		}
	}
	for _, fn := range ix.funcs {
		if len(ix.callers[fn]) == 0 && len(ix.closures[fn]) == 0 {
			walk(fn)
		}
	}
	for _, fn := range ix.funcs {
		walk(fn)
	}
	a.rest = s.events
}

// sites returns every query site found, sorted by position then text.
func (a *analysis) sites() []*site {
	if a.sorted != nil {
		return a.sorted
	}
	type keyed struct {
		s    *site
		file string
		off  int
	}
	ks := make([]keyed, 0, len(a.w.sites))
	for _, s := range a.w.sites {
		p := a.w.ix.fset.Position(s.pos)
		ks = append(ks, keyed{s, p.Filename, p.Offset})
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].file != ks[j].file {
			return ks[i].file < ks[j].file
		}
		if ks[i].off != ks[j].off {
			return ks[i].off < ks[j].off
		}
		return ks[i].s.text.text < ks[j].s.text.text
	})
	a.sorted = make([]*site, len(ks))
	for i, k := range ks {
		a.sorted[i] = k.s
	}
	return a.sorted
}

// parseSites parses each site's SQL once and numbers the sites.
func (a *analysis) parseSites() {
	a.parsed = map[*site]*parsedSQL{}
	a.ids = map[*site]string{}
	type dialectText struct {
		d    sqlparse.Dialect
		text string
	}
	cache := map[dialectText]*parsedSQL{}
	var texts []dialectText
	for i, s := range a.sites() {
		a.ids[s] = "q" + strconv.Itoa(i+1)
		k := dialectText{a.siteDialect(s), s.text.text}
		if _, ok := cache[k]; !ok {
			cache[k] = &parsedSQL{}
			texts = append(texts, k)
		}
		a.parsed[s] = cache[k]
	}
	// Parse on every core: the texts are independent.
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(texts); i += workers {
				if k := texts[i]; strings.TrimSpace(k.text) != "" {
					cache[k].stmt, cache[k].err = sqlparse.ParseDialect(k.text, k.d)
				}
			}
		}()
	}
	wg.Wait()
}

// tableOps returns the (table, op) pairs a site's SQL touches.
func (a *analysis) tableOps(s *site) []graph.TableOp {
	p := a.parsed[s]
	if p == nil {
		return nil
	}
	if p.stmt == nil {
		return guessTables(s.text.text)
	}
	var out []graph.TableOp
	for _, t := range p.stmt.Tables {
		out = append(out, graph.TableOp{Table: t.Table, Op: graph.Op(t.Op)})
	}
	return out
}
