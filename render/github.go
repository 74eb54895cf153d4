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
// annotation.
func writeGitHub(w io.Writer, r *graph.Report, opt Options) error {
	bw := bufio.NewWriter(w)
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
// (and @actions/core's escapeData) expects.
var githubData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// githubProperty escapes a workflow command's property value, where ':' and
// ',' are separators too.
var githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
