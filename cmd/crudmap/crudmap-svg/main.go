// Crudmap-svg lays out a Graphviz DOT graph read on standard input and
// writes it as SVG on standard output. crudmap runs it to draw the call
// graph of its .svg and .html reports; it is a command of its own so that
// go-graphviz, which compiles its WebAssembly module at start, is loaded
// only by the runs that draw a graph.
//
// Usage:
//
//	crudmap-svg < graph.dot > graph.svg
package main

import (
	"fmt"
	"os"

	"github.com/crudmap/crudmap/render/svg"
)

func main() {
	if err := svg.Filter(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "crudmap-svg: %v\n", err)
		os.Exit(1)
	}
}
