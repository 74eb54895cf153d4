// Package svg lays out a Graphviz DOT graph as SVG with go-graphviz:
// Graphviz compiled to WebAssembly and run in process by wazero, no cgo
// and no dot binary.
//
// It is kept apart from package render, and out of the crudmap binary,
// on purpose: go-graphviz compiles its WebAssembly module in a package
// init, so every program that links it pays about 20 ms and 15 MB at start
// (0.45 s and 49 MB on a cold start, while the compilation cache under
// os.TempDir()/go-graphviz fills), whatever it then does. The crudmap-svg
// command links it; crudmap runs that command only when a report needs a
// graph laid out.
package svg

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/goccy/go-graphviz"
)

// mu serializes the use of go-graphviz's single global WebAssembly instance.
var mu sync.Mutex

// Render lays out dot and returns it as an SVG document.
func Render(dot []byte) ([]byte, error) {
	mu.Lock()
	defer mu.Unlock()
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

// Filter reads a DOT graph from r and writes its SVG layout to w: the
// crudmap-svg command.
func Filter(r io.Reader, w io.Writer) error {
	dot, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	out, err := Render(dot)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}
