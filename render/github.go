package render

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// writeGitHub writes one GitHub Actions workflow command per finding, which
// the Actions runner turns into an annotation on the file and line:
//
//	::warning file=main.go,line=12,col=3,title=crudmap n+1::GET /users: SELECT posts runs once per iteration ...
//
// An error finding becomes ::error, a warning ::warning and an info
// ::notice. The fix, when there is one, follows on a second line of the
// annotation. A warning that the analysis is hollow comes first, as an
// ::error without a file.
func writeGitHub(w io.Writer, r *graph.Report, opt Options) error {
	bw := bufio.NewWriter(w)
	for _, warning := range r.Warnings {
		bw.WriteString("::error title=" + githubProperty("crudmap hollow analysis") + "::" + githubData(warning) + "\n")
	}
	for _, f := range r.Findings {
		bw.WriteString(githubCommand(f, opt.PathPrefix))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// githubCommand formats f as a workflow command.
func githubCommand(f *graph.Finding, prefix string) string {
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(githubLevel(f.Severity))
	var props []string
	if file, line, col := graph.SplitPos(f.Pos); file != "" {
		props = append(props, "file="+githubProperty(prefix+file))
		if line > 0 {
			props = append(props, "line="+strconv.Itoa(line))
		}
		if col > 0 {
			props = append(props, "col="+strconv.Itoa(col))
		}
	}
	props = append(props, "title="+githubProperty("crudmap "+f.Kind))
	b.WriteByte(' ')
	b.WriteString(strings.Join(props, ","))
	b.WriteString("::")
	msg := f.Message
	if f.Route != "" {
		msg = f.Route + ": " + msg
	}
	if f.Fix != "" {
		msg += "\nfix: " + f.Fix
	}
	b.WriteString(githubData(msg))
	return b.String()
}

// githubLevel maps a severity to a workflow command.
func githubLevel(s graph.Severity) string {
	switch s {
	case graph.Error:
		return "error"
	case graph.Warning:
		return "warning"
	}
	return "notice"
}

// githubData escapes a workflow command's message, as the Actions runner
// (and @actions/core's escapeData) expects. Line breaks are the runner's
// to decode; the other control characters and hidden runes are shown as Go
// escapes, for the log prints the command as it is.
func githubData(s string) string {
	return githubDataReplacer.Replace(githubText(s))
}

// githubProperty escapes a workflow command's property value, where ':' and
// ',' are separators too.
func githubProperty(s string) string {
	return githubPropertyReplacer.Replace(githubText(s))
}

var (
	githubDataReplacer     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubPropertyReplacer = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// githubText returns s with the runes unsafeRune names, other than a
// carriage return, written as Go escapes.
func githubText(s string) string {
	return escapeRunes(s, func(r rune) bool { return r != '\r' && unsafeRune(r) })
}
