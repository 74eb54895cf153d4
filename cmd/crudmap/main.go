package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/analyzer/traffic"
	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
)

//go:embed doc.go
var doc string

// docJa is the manual's summary in Japanese, which -h prints before the
// manual with -lang ja.
//
//go:embed doc_ja.txt
var docJa string

func main() { os.Exit(main1()) }

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

// options are the command-line flags.
type options struct {
	dir, graph, addr string
	outputs, schema  multiFlag
	slowlogs, access multiFlag // -slowlog, -accesslog: see analyzer/traffic
	web, version     bool
	mdFull           bool // -md-full: per-route SQL and indexes in Markdown
	lang             string
	patterns         []string
	ci               ciOptions // CI flags: see ci.go
}

// main1 runs crudmap and returns its exit status.
func main1() int {
	opt, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		fmt.Print(usage(opt.lang)) // -h: the manual, on stdout
		return 0
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "crudmap: %v\nrun 'crudmap -h' for usage\n", err)
		return 2
	}
	version := buildVersion()
	if opt.version {
		fmt.Println("crudmap", version)
		return 0
	}
	lang, _ := render.ParseLang(opt.lang) // checked by parseFlags
	ropt := render.Options{Lang: lang, Graph: opt.graph, MarkdownFull: opt.mdFull, Version: version, Layout: render.LayoutOnce(graphLayout(os.Stderr)), PathPrefix: repoPrefix(opt.dir)}
	analyze := opt.analysis(progress())
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
	// A report that cannot be written does not stop the others.
	failed := false
	for _, out := range opt.outputs {
		if err := writeReport(out, report, ropt); err != nil {
			fmt.Fprintf(os.Stderr, "crudmap: %v\n", err)
			failed = true
		}
	}
	stdoutOpt := ropt
	stdoutOpt.NotesApart = true // printed on stderr below
	if err := render.Write(os.Stdout, opt.ci.stdoutFormat(), report, stdoutOpt); err != nil {
		fmt.Fprintf(os.Stderr, "crudmap: %v\n", err)
		failed = true
	}
	if err := render.WriteNotes(os.Stderr, report, ropt); err != nil {
		failed = true
	}
	if failed {
		return 2
	}
	return opt.ci.exitCode(report) // CI: -fail-on (ci.go)
}

// analysis returns the analysis that the reports and -web show: the
// module's report, less the findings that //crudmap:ignore comments and
// the -baseline accept (ci.go).
func (opt *options) analysis(progress func(string)) func() (*graph.Report, error) {
	return func() (*graph.Report, error) {
		report, err := analyzer.Run(analyzer.Config{Dir: opt.dir, Patterns: opt.patterns, Schema: opt.schema, Progress: progress})
		if err != nil {
			return nil, err
		}
		if err := opt.ci.apply(report, opt.dir, os.Stderr); err != nil {
			return nil, err
		}
		if err := traffic.Apply(report, opt.slowlogs, opt.access); err != nil {
			return nil, err
		}
		report.Notes = distinct(report.Notes)
		return report, nil
	}
}

// parseFlags parses the command line. Flags may follow the package
// patterns too (crudmap . -o x.md): the arguments after each pattern are
// parsed again, up to a "--", after which all are patterns. The error
// is one line; flag.ErrHelp means -h.
func parseFlags(args []string) (*options, error) {
	opt := &options{}
	fs := flag.NewFlagSet("crudmap", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // main1 prints the error, or the manual for -h
	fs.Usage = func() {}
	fs.StringVar(&opt.dir, "C", ".", "analyse the module in `dir`")
	fs.Var(&opt.outputs, "o", "write a report `file` (format from the extension); repeatable")
	fs.Var(&opt.schema, "schema", "schema DDL `file` or glob; repeatable")
	fs.Var(&opt.slowlogs, "slowlog", "statement log `file` (slow log, pt-query-digest, pg_stat_statements); repeatable")
	fs.Var(&opt.access, "accesslog", "HTTP access log `file` (nginx LTSV or JSON, alp output); repeatable")
	fs.StringVar(&opt.graph, "graph", render.GraphTables, "call graph `mode`: tables, compact or full")
	fs.BoolVar(&opt.web, "web", false, "serve the HTML report")
	fs.StringVar(&opt.addr, "addr", "127.0.0.1:7070", "`address` for -web")
	fs.BoolVar(&opt.version, "version", false, "print the version")
	fs.BoolVar(&opt.mdFull, "md-full", false, "add every route's SQL and the schema's indexes to Markdown reports")
	fs.StringVar(&opt.lang, "lang", string(render.LangFromEnv(os.Getenv)), "report `language`: ja or en (default from LC_ALL, LC_MESSAGES, LANG)")
	opt.ci.register(fs) // CI flags (ci.go)
	patterns, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return opt, err // -h: the manual in -lang's language
	}
	if err != nil {
		return nil, err
	}
	if _, err := render.ParseLang(opt.lang); err != nil {
		return nil, err
	}
	opt.patterns = patterns
	if err := opt.ci.check(); err != nil {
		return nil, err
	}
	if opt.web && opt.ci.writeBaseline != "" {
		return nil, errors.New("-write-baseline writes a file once: run it without -web")
	}
	if opt.graph != render.GraphTables && opt.graph != render.GraphCompact && opt.graph != render.GraphFull {
		return nil, fmt.Errorf("-graph must be tables, compact or full, not %q", opt.graph)
	}
	for _, out := range opt.outputs {
		if _, err := render.FormatOf(out); err != nil {
			return nil, err
		}
	}
	return opt, nil
}

// parseInterspersed parses args with fs, flags before, between and after
// the positional arguments, which it returns; those after "--" are all
// positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// distinct returns ss without repeats, in the order of their first
// occurrence: several analyses can reach one cause of a note.
func distinct(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	kept := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			kept = append(kept, s)
		}
	}
	return kept
}

// usage is the manual: the doc comment of doc.go, after its Japanese
// summary for -lang ja.
func usage(lang string) string {
	text := doc[strings.Index(doc, "/*")+2 : strings.LastIndex(doc, "*/")]
	manual := strings.TrimSpace(text) + "\n"
	if l, _ := render.ParseLang(lang); l == render.Japanese {
		return docJa + "\n" + manual
	}
	return manual
}

// writeReport writes the report to a file in the format its name says. It
// renders the whole report before replacing the file, so that a failure
// leaves the previous report, or none, but never a part of one.
func writeReport(name string, r *graph.Report, opt render.Options) error {
	format, err := render.FormatOf(name)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := render.Write(&out, format, r, opt); err != nil {
		return fmt.Errorf("%s: not written: %v", name, err)
	}
	if err := replaceFile(name, out.Bytes()); err != nil {
		return fmt.Errorf("%s: not written: %v", name, withoutPath(err))
	}
	return nil
}

// replaceFile writes data to name through a temporary file in the same
// directory, renamed over name once complete: a full disk or a crash leaves
// the previous file whole. An existing file keeps its permissions; a new
// one is readable by all.
func replaceFile(name string, data []byte) error {
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(name); err == nil {
		if fi.IsDir() {
			return errors.New("is a directory")
		}
		perm = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// withoutPath returns the cause of a file system error without the path it
// names (a temporary file's), or err itself.
func withoutPath(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	var linkErr *os.LinkError
	if errors.As(err, &linkErr) {
		return linkErr.Err
	}
	return err
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
