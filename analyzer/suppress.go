package analyzer

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// ignoreDirective starts a suppression comment:
//
//	//crudmap:ignore KIND[,KIND] -- reason
//	//crudmap:ignore KIND reason
//
// with the blanks people type tolerated: after the slashes
// (// crudmap:ignore) and around the commas (n+1, unindexed). A trailing
// comment suppresses findings on its own line; a comment alone on its line
// suppresses findings on the next line.
const ignoreDirective = "crudmap:ignore"

// ignoreKinds are the kinds a suppression may name.
var ignoreKinds = []string{graph.KindNPlusOne, graph.KindUnindexed, graph.KindReadOnlyTx, graph.KindSchema, graph.KindSQLError, "all"}

// suppression is one valid //crudmap:ignore comment.
type suppression struct {
	pos    string // "file:line:col" of the comment
	file   string // relative to the module root, slash-separated
	line   int    // the line whose findings it suppresses
	next   bool   // the comment is alone on the line above
	kinds  []string
	reason string
	used   map[string]bool
}

func (s *suppression) covers(kind string) (string, bool) {
	for _, k := range s.kinds {
		if k == kind || k == "all" {
			return k, true
		}
	}
	return "", false
}

// Suppress applies the //crudmap:ignore comments of the module's Go files
// under root to r: it removes the findings they suppress and adds a finding
// of kind graph.KindIgnore for each malformed comment (no reason, unknown
// kind), which suppresses nothing. With strict, a suppression that matches
// no finding is reported too. Findings of kind ignore are never suppressed.
//
// Directories named vendor or testdata, those starting with . or _, and
// nested modules are skipped. Only files that contain the directive are
// tokenised, so the cost is that of reading the files.
func Suppress(r *graph.Report, root string, strict bool) {
	sups, problems := scanSuppressions(root)

	byLine := map[string][]*suppression{}
	for _, s := range sups {
		k := s.file + ":" + strconv.Itoa(s.line)
		byLine[k] = append(byLine[k], s)
	}
	kept := r.Findings[:0:0]
	suppressed := 0
	for _, f := range r.Findings {
		if f.Kind != graph.KindIgnore && suppressedBy(f, byLine) {
			suppressed++
			continue
		}
		kept = append(kept, f)
	}
	if strict {
		for _, s := range sups {
			var unused []string
			for _, k := range s.kinds {
				if !s.used[k] {
					unused = append(unused, k)
				}
			}
			if len(unused) > 0 {
				where := "this line"
				if s.next {
					where = "the next line"
				}
				problems = append(problems, ignoreFinding(s.pos,
					fmt.Sprintf("unused suppression: no %s finding on %s", strings.Join(unused, " or "), where),
					"delete the comment, or move it to the finding's line or the line above"))
			}
		}
	}
	sort.SliceStable(problems, func(i, j int) bool { return ignorePosLess(problems[i].Pos, problems[j].Pos) })
	r.Findings = append(kept, problems...)
	if suppressed > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d finding%s suppressed by //crudmap:ignore comments", suppressed, ignorePlural(suppressed)))
	}
}

func ignorePlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// suppressedBy reports whether a suppression covers f, and marks it used.
func suppressedBy(f *graph.Finding, byLine map[string][]*suppression) bool {
	file, line, ok := ignoreFileLine(f.Pos)
	if !ok {
		return false
	}
	for _, s := range byLine[file+":"+strconv.Itoa(line)] {
		if k, ok := s.covers(f.Kind); ok {
			s.used[k] = true
			return true
		}
	}
	return false
}

// ignoreFileLine splits "file:line[:col]" into a slash-separated file and a line.
func ignoreFileLine(pos string) (string, int, bool) {
	parts := strings.Split(pos, ":")
	if len(parts) < 2 {
		return "", 0, false
	}
	if len(parts) >= 3 {
		if _, err := strconv.Atoi(parts[len(parts)-1]); err == nil {
			if line, err := strconv.Atoi(parts[len(parts)-2]); err == nil {
				return filepath.ToSlash(strings.Join(parts[:len(parts)-2], ":")), line, true
			}
		}
	}
	line, err := strconv.Atoi(parts[len(parts)-1])
	if err != nil {
		return "", 0, false
	}
	return filepath.ToSlash(strings.Join(parts[:len(parts)-1], ":")), line, true
}

// ignorePosLess orders "file:line:col" positions by file, then line, then column.
func ignorePosLess(a, b string) bool {
	fa, la, _ := ignoreFileLine(a)
	fb, lb, _ := ignoreFileLine(b)
	if fa != fb {
		return fa < fb
	}
	if la != lb {
		return la < lb
	}
	return ignoreCol(a) < ignoreCol(b)
}

func ignoreCol(pos string) int {
	n, _ := strconv.Atoi(pos[strings.LastIndexByte(pos, ':')+1:])
	return n
}

func ignoreFinding(pos, msg, fix string) *graph.Finding {
	return &graph.Finding{Kind: graph.KindIgnore, Severity: graph.Warning, Pos: pos, Message: msg, Fix: fix}
}

// scanSuppressions reads the suppression comments of the Go files under
// root: the valid ones, and an ignore finding for each malformed one.
func scanSuppressions(root string) ([]*suppression, []*graph.Finding) {
	var sups []*suppression
	var problems []*graph.Finding
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable: the analyzer reports what matters
		}
		if d.IsDir() {
			if path == root {
				return nil
			}
			name := d.Name()
			if name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || !d.Type().IsRegular() {
			return nil
		}
		src, err := readRegular(path, maxGoFileBytes)
		if err != nil || !bytes.Contains(src, []byte(ignoreDirective)) {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return nil
		}
		s, p := fileSuppressions(filepath.ToSlash(rel), src)
		sups = append(sups, s...)
		problems = append(problems, p...)
		return nil
	})
	return sups, problems
}

// fileSuppressions tokenises one file's source and parses its
// //crudmap:ignore comments.
func fileSuppressions(rel string, src []byte) ([]*suppression, []*graph.Finding) {
	var sups []*suppression
	var problems []*graph.Finding
	fset := token.NewFileSet()
	file := fset.AddFile(rel, -1, len(src))
	var sc scanner.Scanner
	sc.Init(file, src, func(token.Position, string) {}, scanner.ScanComments)
	for {
		p, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		rest, ok := ignoreComment(lit)
		if tok != token.COMMENT || !ok {
			continue
		}
		ps := fset.Position(p)
		pos := fmt.Sprintf("%s:%d:%d", rel, ps.Line, ps.Column)
		kinds, reason, bad := parseIgnore(rest)
		if bad != "" {
			problems = append(problems, ignoreFinding(pos, bad,
				"write //crudmap:ignore KIND[,KIND] -- reason with KIND one of "+strings.Join(ignoreKinds, ", ")))
			continue
		}
		s := &suppression{pos: pos, file: rel, line: ps.Line, kinds: kinds, reason: reason, used: map[string]bool{}}
		if ignoreAlone(src, ps.Offset) {
			s.line++
			s.next = true
		}
		sups = append(sups, s)
	}
	return sups, problems
}

// ignoreComment returns what follows the directive in a // comment
// (//crudmap:ignore or // crudmap:ignore), and whether it is one.
func ignoreComment(lit string) (string, bool) {
	body, ok := strings.CutPrefix(lit, "//")
	if !ok {
		return "", false // a /* */ comment
	}
	rest, ok := strings.CutPrefix(strings.TrimLeft(body, " \t"), ignoreDirective)
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return "", false // e.g. //crudmap:ignored, another word
	}
	return rest, true
}

// parseIgnore parses what follows //crudmap:ignore: the kinds, then the
// reason, optionally after "--". bad describes what is wrong, if anything.
func parseIgnore(rest string) (kinds []string, reason, bad string) {
	words := kindWords(rest)
	if len(words) == 0 || strings.HasPrefix(words[0], "--") {
		return nil, "", "suppression names no kind: want //crudmap:ignore KIND -- reason"
	}
	for _, k := range strings.Split(words[0], ",") {
		k = strings.ToLower(k)
		if k == "" {
			continue
		}
		if !slices.Contains(ignoreKinds, k) {
			return nil, "", fmt.Sprintf("suppression names unknown kind %q (want %s)", k, strings.Join(ignoreKinds, ", "))
		}
		kinds = append(kinds, k)
	}
	if len(kinds) == 0 {
		return nil, "", "suppression names no kind: want //crudmap:ignore KIND -- reason"
	}
	reason = strings.Join(words[1:], " ")
	reason = strings.TrimSpace(strings.TrimPrefix(reason, "--"))
	if reason == "" {
		return nil, "", fmt.Sprintf("suppression of %s gives no reason: want //crudmap:ignore %s -- reason", strings.Join(kinds, ","), strings.Join(kinds, ","))
	}
	return kinds, reason, ""
}

// kindWords returns the words of a suppression, the first of them with
// the blanks around its commas closed up: "n+1 , unindexed -- why" gives
// "n+1,unindexed", "--", "why".
func kindWords(rest string) []string {
	words := strings.Fields(rest)
	for len(words) > 1 && !strings.HasPrefix(words[1], "--") && (strings.HasSuffix(words[0], ",") || strings.HasPrefix(words[1], ",")) {
		words = append([]string{words[0] + words[1]}, words[2:]...)
	}
	return words
}

// ignoreAlone reports whether only blanks precede offset on its line.
func ignoreAlone(src []byte, offset int) bool {
	for i := offset - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' {
			return false
		}
	}
	return true
}
