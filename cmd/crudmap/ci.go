package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
)

// Running crudmap as a CI check: suppression comments, a baseline of
// accepted findings, a severity threshold for the exit status, and the
// format of the report printed on stdout.
//
// Exit status: 0 when no finding is at or above -fail-on, 1 when one is
// (or when -fail-on is not none and the report warns that the analysis is
// hollow), 2
// when crudmap could not do its job (bad flags, no module, unreadable
// baseline, unwritable report).

// failNone is the -fail-on threshold that never fails.
const failNone graph.Severity = "none"

// parseSeverity parses a -fail-on value: error, warning, info or none.
func parseSeverity(s string) (graph.Severity, error) {
	switch sev := graph.Severity(s); sev {
	case graph.Error, graph.Warning, graph.Info, failNone:
		return sev, nil
	}
	return "", fmt.Errorf("-fail-on must be error, warning, info or none, not %q", s)
}

// failing reports whether a finding of fs is at or above threshold.
func failing(fs []*graph.Finding, threshold graph.Severity) bool {
	if threshold.Rank() == 0 {
		return false
	}
	for _, f := range fs {
		if f.Severity.Rank() >= threshold.Rank() {
			return true
		}
	}
	return false
}

// ciOptions are the CI flags.
type ciOptions struct {
	failOn        string
	threshold     graph.Severity
	baseline      string
	writeBaseline string
	strict        bool
	format        string
}

// register defines the CI flags on fs.
func (c *ciOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&c.failOn, "fail-on", "none", "exit 1 when a finding is at or above `level`: error, warning, info or none")
	fs.StringVar(&c.baseline, "baseline", "", "report only findings not accepted by the baseline `file`")
	fs.StringVar(&c.writeBaseline, "write-baseline", "", "accept the current findings: write them to the baseline `file`")
	fs.BoolVar(&c.strict, "strict", false, "also report //crudmap:ignore comments that suppress nothing")
	fs.StringVar(&c.format, "format", "text", "stdout `format`: text, md, json, github or sarif")
}

// check validates the CI flags once they are parsed.
func (c *ciOptions) check() error {
	t, err := parseSeverity(c.failOn)
	if err != nil {
		return err
	}
	c.threshold = t
	switch render.Format(c.format) {
	case render.Text, render.Markdown, render.JSON, render.GitHub, render.SARIF:
	default:
		return fmt.Errorf("-format must be text, md, json, github or sarif, not %q", c.format)
	}
	if c.baseline != "" {
		if _, err := os.Stat(c.baseline); err != nil {
			return fmt.Errorf("-baseline: %v", err)
		}
	}
	return nil
}

// stdoutFormat is the format of the report printed on stdout.
func (c *ciOptions) stdoutFormat() render.Format {
	if c.format == "" {
		return render.Text
	}
	return render.Format(c.format)
}

// apply turns the analysis of the module in dir into the CI's report: it
// drops the findings that //crudmap:ignore comments suppress (reporting
// malformed comments, and unused ones with -strict), writes the baseline
// with -write-baseline (whose findings are then accepted), and drops the
// findings that the -baseline file accepts. Messages go to stderr.
func (c *ciOptions) apply(r *graph.Report, dir string, stderr io.Writer) error {
	root, err := ciModuleRoot(dir)
	if err != nil {
		return err
	}
	analyzer.Suppress(r, root, c.strict)

	if c.writeBaseline != "" {
		if err := writeBaselineFile(c.writeBaseline, r.Findings); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "crudmap: wrote %d finding%s to baseline %s\n", len(r.Findings), ciPlural(len(r.Findings)), c.writeBaseline)
		r.Findings = r.Findings[:0]
		return nil
	}
	if c.baseline != "" {
		f, err := os.Open(c.baseline)
		if err != nil {
			return err
		}
		b, err := graph.ReadBaseline(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %v", c.baseline, err)
		}
		n := len(r.Findings)
		r.Findings = b.Filter(r.Findings)
		if n > len(r.Findings) {
			r.Notes = append(r.Notes, fmt.Sprintf("%d finding%s accepted by the baseline %s", n-len(r.Findings), ciPlural(n-len(r.Findings)), filepath.ToSlash(c.baseline)))
		}
	}
	return nil
}

// exitCode is the exit status for the final report: 1 when a finding is at
// or above -fail-on, or when the report warns that the analysis is hollow
// and -fail-on is not none, else 0.
func (c *ciOptions) exitCode(r *graph.Report) int {
	if failing(r.Findings, c.threshold) || len(r.Warnings) > 0 && c.threshold.Rank() > 0 {
		return 1
	}
	return 0
}

// writeBaselineFile writes the baseline of fs to name.
func writeBaselineFile(name string, fs []*graph.Finding) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := graph.WriteBaseline(f, fs); err != nil {
		f.Close()
		return fmt.Errorf("%s: %v", name, err)
	}
	return f.Close()
}

// ciModuleRoot returns the directory of the go.mod governing dir, the root
// that finding positions are relative to.
func ciModuleRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New(dir + ": no go.mod in it or above it")
		}
	}
}

func ciPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// repoPrefix returns the path of the module holding dir inside its Git
// repository ("webapp/go/"), or "" when the module is the repository's
// root or is in none: SARIF and GitHub annotations name files from the
// repository root, while crudmap's positions start at the module root.
func repoPrefix(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	module := ""
	for d := abs; ; d = filepath.Dir(d) {
		if module == "" && exists(filepath.Join(d, "go.mod")) {
			module = d
		}
		if module != "" && exists(filepath.Join(d, ".git")) {
			rel, err := filepath.Rel(d, module)
			if err != nil || rel == "." {
				return ""
			}
			return filepath.ToSlash(rel) + "/"
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
