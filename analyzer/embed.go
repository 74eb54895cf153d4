package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
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
// and []byte variables of pkg: SQL kept in .sql files beside the code.
func embeddedTexts(prog *ssa.Program, pkg *packages.Package) map[*ssa.Global]string {
	sp := prog.Package(pkg.Types)
	if sp == nil {
		return nil
	}
	out := map[*ssa.Global]string{}
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
				name, ok := embedFile(doc)
				if !ok || len(vs.Names) != 1 || !isTextType(pkg.TypesInfo.TypeOf(vs.Names[0])) {
					continue
				}
				g, ok := sp.Members[vs.Names[0].Name].(*ssa.Global)
				if !ok {
					continue
				}
				if text, ok := readEmbedded(filepath.Join(dir, name)); ok {
					out[g] = text
				}
			}
		}
	}
	return out
}

func importsEmbed(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"embed"` {
			return true
		}
	}
	return false
}

// embedFile returns the one file a //go:embed directive in doc names.
func embedFile(doc *ast.CommentGroup) (string, bool) {
	if doc == nil {
		return "", false
	}
	for _, c := range doc.List {
		arg, ok := strings.CutPrefix(c.Text, "//go:embed ")
		if !ok {
			continue
		}
		fields := strings.Fields(arg)
		if len(fields) != 1 || strings.ContainsAny(fields[0], "*?[") {
			return "", false
		}
		if name, err := strconv.Unquote(fields[0]); err == nil {
			return name, true
		}
		return fields[0], true
	}
	return "", false
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

func readEmbedded(path string) (string, bool) {
	info, err := os.Stat(path)
	if err != nil || info.Size() > maxEmbeddedBytes {
		return "", false
	}
	src, err := os.ReadFile(path)
	return string(src), err == nil
}
