package analyzer

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// maxEmbeddedBytes bounds an embedded file read as SQL text.
const maxEmbeddedBytes = 1 << 20

// embeddedTexts reads the files that //go:embed directives put in string
// and []byte variables of pkg: SQL kept in .sql files beside the code. A
// directive the go command would refuse (a path out of the package
// directory, a link, a special file) is not read, and a note naming it
// says so.
func (p *program) embeddedTexts(pkg *packages.Package) (map[*ssa.Global]string, []string) {
	sp := p.prog.Package(pkg.Types)
	if sp == nil {
		return nil, nil
	}
	out := map[*ssa.Global]string{}
	var notes []string
	for _, f := range pkg.Syntax {
		if !importsEmbed(f) {
			continue
		}
		dir := filepath.Dir(pkg.Fset.File(f.Pos()).Name())
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				doc := vs.Doc
				if doc == nil && len(gen.Specs) == 1 {
					doc = gen.Doc
				}
				d, ok := embedFile(doc)
				if !ok || len(vs.Names) != 1 || !isTextType(pkg.TypesInfo.TypeOf(vs.Names[0])) {
					continue
				}
				g, ok := sp.Members[vs.Names[0].Name].(*ssa.Global)
				if !ok {
					continue
				}
				text, err := readEmbedded(dir, d.pattern)
				if err != nil {
					if !errors.Is(err, fs.ErrNotExist) { // the go command reports a missing file
						notes = append(notes, fmt.Sprintf("%s: //go:embed %s not read: %s", p.position(d.pos), d.pattern, skipReason(err, maxEmbeddedBytes)))
					}
					continue
				}
				out[g] = text
			}
		}
	}
	return out, notes
}

func importsEmbed(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"embed"` {
			return true
		}
	}
	return false
}

// embedDirective is a //go:embed comment that names one file.
type embedDirective struct {
	pattern string // as written, unquoted
	pos     token.Pos
}

// embedFile returns the //go:embed directive in doc that names one file.
func embedFile(doc *ast.CommentGroup) (embedDirective, bool) {
	if doc == nil {
		return embedDirective{}, false
	}
	for _, c := range doc.List {
		arg, ok := strings.CutPrefix(c.Text, "//go:embed ")
		if !ok {
			continue
		}
		fields := strings.Fields(arg)
		if len(fields) != 1 || strings.ContainsAny(fields[0], "*?[") {
			return embedDirective{}, false
		}
		pattern := fields[0]
		if name, err := strconv.Unquote(pattern); err == nil {
			pattern = name
		}
		return embedDirective{pattern: pattern, pos: c.Pos()}, true
	}
	return embedDirective{}, false
}

// isTextType reports whether t is string or []byte.
func isTextType(t types.Type) bool {
	if t == nil {
		return false
	}
	if isString(t) {
		return true
	}
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
}

// errEmbedPath is the refusal of a //go:embed pattern that is not a path
// below the package directory (fs.ValidPath: no "..", no leading or
// doubled slash), as the go command refuses it.
var errEmbedPath = errors.New("not a path below the package directory")

// readEmbedded reads the file pattern names in the package directory dir,
// under the go command's rules for //go:embed (cmd/go resolveEmbed): a
// path below dir, through real directories of the same module that are
// not version control data, to a regular file of at most
// maxEmbeddedBytes. Symbolic links are refused anywhere on the path.
func readEmbedded(dir, pattern string) (string, error) {
	name := strings.TrimPrefix(pattern, "all:")
	if name == "." || !fs.ValidPath(name) {
		return "", errEmbedPath
	}
	if err := checkEmbedDirs(dir, name); err != nil {
		return "", err
	}
	src, err := readRegular(filepath.Join(dir, filepath.FromSlash(name)), maxEmbeddedBytes)
	return string(src), err
}

// checkEmbedDirs checks the elements of name, a valid path below dir: each
// directory on the way must be a directory itself (not a link), hold no
// go.mod (another module), and no element may be version control data.
func checkEmbedDirs(dir, name string) error {
	elems := strings.Split(name, "/")
	for _, elem := range elems {
		if vcsDir(elem) {
			return fmt.Errorf("%s is version control data", elem)
		}
	}
	for _, elem := range elems[:len(elems)-1] {
		dir = filepath.Join(dir, elem)
		info, err := os.Lstat(dir)
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link", elem)
		}
		if !info.IsDir() {
			return fmt.Errorf("%s is not a directory", elem)
		}
		if _, err := os.Lstat(filepath.Join(dir, "go.mod")); err == nil {
			return fmt.Errorf("%s is another module", elem)
		}
	}
	return nil
}

// vcsDir reports whether name is a version control directory, which the go
// command never embeds.
func vcsDir(name string) bool {
	return name == ".git" || name == ".hg" || name == ".svn" || name == ".bzr"
}
