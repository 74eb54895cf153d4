package render

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/crudmap/crudmap/graph"
	"github.com/goccy/go-graphviz"
)

// This is the only file that imports go-graphviz. Graphviz runs as a
// WebAssembly module inside one global instance, compiled in the package's
// init: linking it costs every crudmap run, whatever its output, about 20 ms
// and 18 MB of memory, and 0.45 s and 49 MB on a cold start, while the
// compilation cache under os.TempDir()/go-graphviz fills. Laying out a graph
// then takes milliseconds (about 100 ms for 50 routes and 20 tables).

// graphvizMu serializes the use of the single Graphviz instance.
var graphvizMu sync.Mutex

// writeSVG writes the call graph of writeDOT laid out as SVG.
func writeSVG(w io.Writer, r *graph.Report, opt Options) error {
	var dot bytes.Buffer
	if err := writeDOT(&dot, r, opt); err != nil {
		return err
	}
	svg, err := dotToSVG(dot.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(svg)
	return err
}

// dotToSVG lays out a DOT graph and returns it as an SVG document.
func dotToSVG(dot []byte) ([]byte, error) {
	graphvizMu.Lock()
	defer graphvizMu.Unlock()
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("graphviz: %v", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("graphviz: %v", err)
	}
	defer g.Close()
	var buf bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
		return nil, fmt.Errorf("graphviz: %v", err)
	}
	return buf.Bytes(), nil
}
