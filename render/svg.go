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
	svg, err := graphSVG(r, opt)
	if err != nil {
		return err
	}
	_, err = w.Write(svg)
	return err
}

// graphSVG lays out the call graph of writeDOT with the layout engine of opt.
func graphSVG(r *graph.Report, opt Options) ([]byte, error) {
	if opt.Layout == nil {
		return nil, errNoLayout
	}
	var dot bytes.Buffer
	if err := writeDOT(&dot, r, opt); err != nil {
		return nil, err
	}
	return opt.Layout(dot.Bytes())
}
