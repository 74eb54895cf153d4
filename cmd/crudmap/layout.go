package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
)

// The call graph of the .svg and .html reports is laid out by the
// crudmap-svg command, which links go-graphviz: linking it here would cost
// every run, even a text-only one, go-graphviz's start-up (see package
// render/svg). crudmap looks for crudmap-svg beside its own executable,
// then on $PATH, and otherwise has the go command run it from source: from
// this module when crudmap itself runs from a checkout, or at crudmap's
// own version.

const svgCommand = "github.com/crudmap/crudmap/cmd/crudmap/crudmap-svg"

var (
	svgOnce sync.Once
	svgArgv []string // the command line that runs crudmap-svg
	svgDir  string   // its working directory
)

// layoutSVG lays out a DOT graph as SVG by running crudmap-svg.
func layoutSVG(dot []byte) ([]byte, error) {
	svgOnce.Do(findSVGCommand)
	if svgArgv == nil {
		return nil, fmt.Errorf("the graph needs crudmap-svg: go install %s@latest", svgCommand)
	}
	cmd := exec.Command(svgArgv[0], svgArgv[1:]...)
	cmd.Dir = svgDir
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

// findSVGCommand sets svgArgv to the first way of running crudmap-svg
// that exists.
func findSVGCommand() {
	if exe, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(exe), "crudmap-svg")
		if _, err := os.Stat(beside); err == nil {
			svgArgv = []string{beside}
			return
		}
	}
	if path, err := exec.LookPath("crudmap-svg"); err == nil {
		svgArgv = []string{path}
		return
	}
	gocmd, err := exec.LookPath("go")
	if err != nil {
		return
	}
	if dir := crudmapCheckout(); dir != "" {
		svgArgv, svgDir = []string{gocmd, "run", svgCommand}, dir
		return
	}
	if info, ok := debug.ReadBuildInfo(); ok && strings.HasPrefix(info.Main.Version, "v") {
		svgArgv = []string{gocmd, "run", svgCommand + "@" + info.Main.Version}
	}
}

// crudmapCheckout returns the root of a checkout of crudmap's module that
// holds the working directory, or "".
func crudmapCheckout() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.HasPrefix(string(data), "module github.com/crudmap/crudmap\n") {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
