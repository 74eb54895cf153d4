package render

import (
	"bytes"
	"errors"
	"io"

	"github.com/crudmap/crudmap/graph"
)

// errNoLayout is returned for SVG when Options.Layout is not set.
var errNoLayout = errors.New("no Graphviz layout engine: the SVG graph needs crudmap-svg (go install github.com/crudmap/crudmap/cmd/crudmap/...)")

// writeSVG writes the call graph of writeDOT laid out as SVG.
func writeSVG(w io.Writer, r *graph.Report, opt Options) error {
	var dot bytes.Buffer
	if err := writeDOT(&dot, r, opt); err != nil {
		return err
	}
	svg, err := dotToSVG(dot.Bytes(), opt)
	if err != nil {
		return err
	}
	_, err = w.Write(svg)
	return err
}

// dotToSVG lays out a DOT graph with the layout engine of opt.
func dotToSVG(dot []byte, opt Options) ([]byte, error) {
	if opt.Layout == nil {
		return nil, errNoLayout
	}
	return opt.Layout(dot)
}
