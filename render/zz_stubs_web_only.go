package render

import (
	"io"

	"github.com/crudmap/crudmap/graph"
)

// Temporary stub until html.go exists. Delete this file.

func writeHTML(io.Writer, *graph.Report, Options) error { return nil }
