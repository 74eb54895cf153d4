package render

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/crudmap/crudmap/graph"
)

// errNoLayout is returned for SVG when Options.Layout is not set.
var errNoLayout = errors.New("no Graphviz layout engine: the SVG graph needs crudmap-svg (go install github.com/crudmap/crudmap/cmd/crudmap/...)")

// writeSVG writes the call graph of writeDOT laid out as SVG.
func writeSVG(w io.Writer, r *graph.Report, opt Options) error {
	svg, err := graphSVG(newCallGraph(r, opt.Graph), opt)
	if err != nil {
		return err
	}
	_, err = w.Write(svg)
	return err
}

// graphSVG lays out g, the call graph in mode opt.Graph, with the layout
// engine of opt.
func graphSVG(g *callGraph, opt Options) ([]byte, error) {
	if opt.Layout == nil {
		return nil, errNoLayout
	}
	var dot bytes.Buffer
	if err := writeGraphDOT(&dot, g, opt.Graph); err != nil {
		return nil, err
	}
	return opt.Layout(dot.Bytes())
}

// LayoutOnce returns layout remembering its last successes, one per DOT
// graph a report draws (the graph, and the HTML page's focus atlas): a run
// that writes both an .svg and an .html report, or a -web page reloaded
// while the code has not changed, lays out the same DOT once. Concurrent
// calls wait for one another.
func LayoutOnce(layout func(dot []byte) ([]byte, error)) func(dot []byte) ([]byte, error) {
	const remembered = 2
	type result struct{ dot, svg []byte }
	var (
		mu   sync.Mutex
		last []result // the most recent first
	)
	return func(dot []byte) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		for i, r := range last {
			if bytes.Equal(dot, r.dot) {
				copy(last[1:i+1], last[:i])
				last[0] = r
				return r.svg, nil
			}
		}
		svg, err := layout(dot)
		if err != nil {
			return nil, err
		}
		last = append([]result{{bytes.Clone(dot), svg}}, last[:min(len(last), remembered-1)]...)
		return svg, nil
	}
}
