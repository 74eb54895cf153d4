package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// The call graph of the .svg and .html reports is laid out by the
// crudmap-svg command, which links go-graphviz: linking it here would cost
// every run, even a text-only one, go-graphviz's start-up (see package
// render/svg). crudmap runs the crudmap-svg installed beside its own
// executable, or else the one on $PATH. It never builds one: the module it
// analyses could ship a crudmap-svg of its own.

// svgInstall is the command that installs crudmap-svg beside crudmap.
const svgInstall = "go install github.com/crudmap/crudmap/cmd/crudmap/...@latest"

// errNoSVGCommand is the layout error when crudmap-svg is not installed.
var errNoSVGCommand = errors.New("crudmap-svg is neither beside crudmap nor on PATH")

// graphLayout returns the layout function of the graph reports: one that
// runs the installed crudmap-svg, or, when there is none, one that fails
// with errNoSVGCommand after telling stderr, once, how to install it.
func graphLayout(stderr io.Writer) func(dot []byte) ([]byte, error) {
	if path := findSVGCommand(); path != "" {
		return func(dot []byte) ([]byte, error) { return runSVGCommand(path, dot) }
	}
	var once sync.Once
	return func([]byte) ([]byte, error) {
		once.Do(func() {
			fmt.Fprintf(stderr, "crudmap: the call graph needs crudmap-svg, which is neither beside crudmap nor on PATH; install both: %s\n", svgInstall)
		})
		return nil, errNoSVGCommand
	}
}

// findSVGCommand returns the path of crudmap-svg beside crudmap's own
// executable or on $PATH, or "" when neither has it.
func findSVGCommand() string {
	if exe, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(exe), "crudmap-svg")
		if fi, err := os.Stat(beside); err == nil && fi.Mode().IsRegular() {
			return beside
		}
	}
	if path, err := exec.LookPath("crudmap-svg"); err == nil {
		return path
	}
	return ""
}

// runSVGCommand lays out a DOT graph as SVG with the crudmap-svg at path.
func runSVGCommand(path string, dot []byte) ([]byte, error) {
	cmd := exec.Command(path)
	cmd.Stdin = bytes.NewReader(dot)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("laying out the graph: %s", msg)
	}
	return out, nil
}
