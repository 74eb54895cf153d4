package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
)

//go:embed doc.go
var doc string

// version is crudmap's version, set at release with -ldflags.
var version = "devel"

func main() { os.Exit(main1()) }

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// options are the command-line flags.
type options struct {
	dir, graph, addr string
	outputs, schema  multiFlag
	web, version     bool
	patterns         []string
	ci               ciOptions // CI flags: see ci.go
}

// main1 runs crudmap and returns its exit status.
func main1() int {
	opt, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if opt.version {
		fmt.Println("crudmap", version)
		return 0
	}
	ropt := render.Options{Graph: opt.graph, Version: version, Layout: graphLayout(os.Stderr), PathPrefix: repoPrefix(opt.dir)}
	analyze := func() (*graph.Report, error) {
		return analyzer.Run(analyzer.Config{Dir: opt.dir, Patterns: opt.patterns, Schema: opt.schema, Progress: progress()})
	}
	if opt.web {
		if err := serveWeb(opt.addr, analyze, ropt, os.Stderr); err != nil {
			fmt.Fprintf(os.Stderr, "crudmap: %v\n", err)
			return 2
		}
		return 0
	}

	// Analyse, write the report files, then print the text report.
	report, err := analyze()
	if err != nil {
		fmt.Fprintf(os.Stderr, "crudmap: %v\n", err)
		return 2
	}
	// CI: suppressions, baseline (ci.go).
	if err := opt.ci.apply(report, opt.dir, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "crudmap: %v\n", err)
		return 2
	}
	for _, out := range opt.outputs {
		if err := writeReport(out, report, ropt); err != nil {
			fmt.Fprintf(os.Stderr, "crudmap: %v\n", err)
			return 2
		}
	}
	if err := render.Write(os.Stdout, opt.ci.stdoutFormat(), report, ropt); err != nil {
		fmt.Fprintf(os.Stderr, "crudmap: %v\n", err)
		return 2
	}
	return opt.ci.exitCode(report) // CI: -fail-on (ci.go)
}

func parseFlags(args []string) (*options, error) {
	opt := &options{}
	fs := flag.NewFlagSet("crudmap", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage()) }
	fs.StringVar(&opt.dir, "C", ".", "analyse the module in `dir`")
	fs.Var(&opt.outputs, "o", "write a report `file` (format from the extension); repeatable")
	fs.Var(&opt.schema, "schema", "schema DDL `file` or glob; repeatable")
	fs.StringVar(&opt.graph, "graph", "compact", "call graph `mode`: compact or full")
	fs.BoolVar(&opt.web, "web", false, "serve the HTML report")
	fs.StringVar(&opt.addr, "addr", "127.0.0.1:7070", "`address` for -web")
	fs.BoolVar(&opt.version, "version", false, "print the version")
	opt.ci.register(fs) // CI flags (ci.go)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := opt.ci.check(); err != nil {
		fmt.Fprintf(os.Stderr, "crudmap: %v\n", err)
		return nil, err
	}
	if opt.graph != "compact" && opt.graph != "full" {
		fmt.Fprintf(os.Stderr, "crudmap: -graph must be compact or full, not %q\n", opt.graph)
		return nil, errors.New("bad flag")
	}
	for _, out := range opt.outputs {
		if _, err := render.FormatOf(out); err != nil {
			fmt.Fprintf(os.Stderr, "crudmap: %v\n", err)
			return nil, err
		}
	}
	opt.patterns = fs.Args()
	return opt, nil
}

// usage is the manual: the doc comment of doc.go.
func usage() string {
	text := doc[strings.Index(doc, "/*")+2 : strings.LastIndex(doc, "*/")]
	return strings.TrimSpace(text) + "\n"
}

// writeReport writes the report to a file in the format its name says. It
// renders the report first, so that a failed rendering leaves no file.
func writeReport(name string, r *graph.Report, opt render.Options) error {
	format, err := render.FormatOf(name)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := render.Write(&out, format, r, opt); err != nil {
		return fmt.Errorf("%s: not written: %v", name, err)
	}
	return os.WriteFile(name, out.Bytes(), 0o666)
}

// progress returns a function printing stages to stderr when it is a
// terminal, or nil. The stage "" clears the line.
func progress() func(string) {
	fi, err := os.Stderr.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(stage string) {
		if stage == "" {
			fmt.Fprint(os.Stderr, "\r\033[K") // done: clear the line
			return
		}
		fmt.Fprintf(os.Stderr, "\r\033[Kcrudmap: %s…", stage)
	}
}
