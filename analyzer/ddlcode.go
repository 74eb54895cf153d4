package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/crudmap/crudmap/sqlparse"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// formatVerb matches a fmt verb: a DDL template (CREATE TABLE %s) is not
// the schema itself.
var formatVerb = regexp.MustCompile(`%[-+# 0-9.]*[sdvq]`)

// isDDL reports whether an SQL text defines the schema: one of its
// statements creates, alters or drops a table or an index (a script may
// start with CREATE SEQUENCE or CREATE TYPE). Statements are found at
// the start of the text and after each semicolon, past comments; every
// string constant of the module meets this test, so it is one scan.
func isDDL(text string) bool {
	for {
		if definesSchema(leadingWords(text, 4)) {
			return true
		}
		i := strings.IndexByte(text, ';')
		if i < 0 {
			return false
		}
		text = text[i+1:]
	}
}

// definesSchema reports whether a statement starting with words (lower
// case) creates, alters or drops a table or an index: CREATE [UNIQUE]
// INDEX, CREATE [[GLOBAL|LOCAL] TEMP[ORARY]|UNLOGGED|VIRTUAL] TABLE,
// ALTER TABLE, DROP TABLE or INDEX.
func definesSchema(words []string) bool {
	if len(words) < 2 {
		return false
	}
	switch next := words[1:]; words[0] {
	case "alter":
		return next[0] == "table"
	case "drop":
		return next[0] == "table" || next[0] == "index"
	case "create":
		switch next[0] {
		case "table", "index":
			return true
		case "unique":
			return len(next) > 1 && next[1] == "index"
		case "global", "local":
			return len(next) > 2 && (next[1] == "temporary" || next[1] == "temp") && next[2] == "table"
		case "temporary", "temp", "unlogged", "virtual":
			return len(next) > 1 && next[1] == "table"
		}
	}
	return false
}

// leadingWords returns, lower-cased, up to n words starting s past
// spaces and comments, separated by spaces; a word is letters, digits
// and underscores.
func leadingWords(s string, n int) []string {
	s = skipSpaceAndComments(s)
	var words []string
	for len(words) < n {
		end := 0
		for end < len(s) && isWordByte(s[end]) {
			end++
		}
		if end == 0 {
			break
		}
		words = append(words, strings.ToLower(s[:end]))
		rest := strings.TrimLeft(s[end:], " \t\r\n\f\v")
		if len(rest) == len(s)-end {
			break // no space: the statement goes on in another way
		}
		s = rest
	}
	return words
}

// skipSpaceAndComments returns s past leading spaces, -- and /* */ comments.
func skipSpaceAndComments(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n\f\v")
		switch {
		case strings.HasPrefix(s, "--"):
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = s[i+1:]
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s[2:], "*/")
			if i < 0 {
				return s
			}
			s = s[2+i+2:]
		default:
			return s
		}
	}
}

// goDDL is a schema statement the module's Go code holds as a constant,
// or runs (see withRunDDL), where it is.
type goDDL struct {
	pos  token.Position
	text string
}

// goSchema returns the schema the module's own Go code creates: the DDL
// string constants of its migration code (a slice of statements run in
// a loop at start-up, tx.Exec("CREATE TABLE ...") in a store's
// constructor, goose Go migrations; ddlFiles orders them as they run).
// The parts that undo a migration are left out: the down function given
// to goose, a Down or Rollback field. It also returns the ranges of that
// code (down) and of the goose migrations, up and down (migrations), and
// the dialects of the drivers each package opens by name (see
// findDialects): one pass over the syntax reads all.
func goSchema(p *program) (ddl []goDDL, down, migrations []posRange, opened map[*types.Package][]sqlparse.Dialect) {
	opened = map[*types.Package][]sqlparse.Dialect{}
	for _, pkg := range p.pkgs {
		if pkg.TypesInfo == nil {
			continue
		}
		sc := newSchemaScan(pkg)
		for _, f := range pkg.Syntax {
			ast.Inspect(f, sc.visit)
		}
		opened[pkg.Types] = sc.opened
		down, migrations = append(down, sc.down...), append(migrations, sc.migrations...)
		for _, e := range sc.ddl {
			if !inRanges(sc.down, e.Pos()) {
				ddl = append(ddl, goDDL{pos: p.fset.Position(e.Pos()), text: constant.StringVal(pkg.TypesInfo.Types[e].Value)})
			}
		}
	}
	return ddl, down, migrations, opened
}

// ddlFiles turns DDL statements into one schema file per Go file, files
// by path and statements in source order. Each statement keeps its line
// in the Go file, so that a warning names the right line.
func ddlFiles(found []goDDL) []sqlparse.SchemaFile {
	found = append([]goDDL{}, found...)
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].pos.Filename != found[j].pos.Filename {
			return found[i].pos.Filename < found[j].pos.Filename
		}
		return found[i].pos.Offset < found[j].pos.Offset
	})
	var files []sqlparse.SchemaFile
	var src strings.Builder
	line := 1
	for i, d := range found {
		if i == 0 || d.pos.Filename != found[i-1].pos.Filename {
			if i > 0 {
				files = append(files, sqlparse.SchemaFile{Name: found[i-1].pos.Filename, Src: []byte(src.String())})
			}
			src.Reset()
			line = 1
		}
		for ; line < d.pos.Line; line++ {
			src.WriteByte('\n')
		}
		src.WriteString(d.text)
		src.WriteString(";")
		line += strings.Count(d.text, "\n")
	}
	if len(found) > 0 {
		files = append(files, sqlparse.SchemaFile{Name: found[len(found)-1].pos.Filename, Src: []byte(src.String())})
	}
	return files
}

// posRange is the source range of a node.
type posRange struct{ from, to token.Pos }

func inRanges(rs []posRange, pos token.Pos) bool {
	for _, r := range rs {
		if r.from <= pos && pos < r.to {
			return true
		}
	}
	return false
}

// schemaScan reads a package's syntax, in one pass, for what its code
// tells of the schema: the DDL string constants of its Go code, the
// ranges of its migration code, and the drivers it opens by name.
type schemaScan struct {
	pkg   *packages.Package
	goose bool // the package imports goose
	sql   bool // it imports database/sql or sqlx
	// opened are the dialects of the drivers it opens by name.
	opened []sqlparse.Dialect
	decls  map[types.Object]*ast.FuncDecl // made on first use (see code)
	// fragments are the constant parts of a text built at run time
	// ("CREATE TABLE " + tenant("t") + " (...)"): not statements.
	fragments map[ast.Expr]bool
	// ddl are the DDL string constants, each where its expression
	// starts. A constant used by name is counted where it is declared.
	ddl []ast.Expr
	// down are the parts that undo migrations: the down function of each
	// goose Go migration (its literal, or the body of the function it
	// names), and the values of composite-literal fields named Down,
	// DownSQL or Rollback (sql-migrate, gormigrate); migrations are the
	// code of the goose migrations, up and down.
	down, migrations []posRange
}

func newSchemaScan(pkg *packages.Package) *schemaScan {
	sc := &schemaScan{pkg: pkg, fragments: map[ast.Expr]bool{}}
	if pkg.Types != nil {
		for _, imp := range pkg.Types.Imports() {
			sc.goose = sc.goose || strings.HasPrefix(imp.Path(), "github.com/pressly/goose")
			sc.sql = sc.sql || imp.Path() == pkgSQL || imp.Path() == pkgSQLX
		}
	}
	return sc
}

func (sc *schemaScan) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		return false
	case *ast.BasicLit:
		return n.Kind != token.STRING || sc.text(n)
	case *ast.BinaryExpr:
		return n.Op != token.ADD || sc.text(n)
	case *ast.CallExpr:
		if sc.sql {
			if d := openedDialect(sc.pkg.TypesInfo, n); d != sqlparse.Unknown && !slices.Contains(sc.opened, d) {
				sc.opened = append(sc.opened, d)
			}
		}
		if sc.goose && isGooseDown(sc.pkg.TypesInfo, n) && len(n.Args) > 1 {
			sc.down = append(sc.down, sc.code(n.Args[len(n.Args)-1])...)
			for _, arg := range n.Args {
				sc.migrations = append(sc.migrations, sc.code(arg)...)
			}
		}
	case *ast.KeyValueExpr:
		if id, ok := n.Key.(*ast.Ident); ok && (id.Name == "Down" || id.Name == "DownSQL" || id.Name == "Rollback") {
			sc.down = append(sc.down, sc.code(n.Value)...)
		}
	}
	return true
}

// text records e, a literal or a sum, when it is a DDL constant, and
// reports whether its parts are to be looked at: those of a text built
// at run time are.
func (sc *schemaScan) text(e ast.Expr) bool {
	tv, ok := sc.pkg.TypesInfo.Types[e]
	fragment := sc.fragments[e]
	if b, isSum := e.(*ast.BinaryExpr); isSum && (tv.Value == nil || fragment) {
		sc.fragments[ast.Unparen(b.X)], sc.fragments[ast.Unparen(b.Y)] = true, true
	}
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String || fragment {
		return true
	}
	if text := constant.StringVal(tv.Value); isDDL(text) && !formatVerb.MatchString(text) {
		sc.ddl = append(sc.ddl, e)
	}
	return false
}

// code returns the ranges of e and of the functions it names.
func (sc *schemaScan) code(e ast.Expr) []posRange {
	if sc.decls == nil {
		sc.decls = funcDecls(sc.pkg)
	}
	out := []posRange{{e.Pos(), e.End()}}
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if fd := sc.decls[sc.pkg.TypesInfo.Uses[id]]; fd != nil {
				out = append(out, posRange{fd.Pos(), fd.End()})
			}
		}
		return true
	})
	return out
}

// funcDecls returns the declarations of a package's functions.
func funcDecls(pkg *packages.Package) map[types.Object]*ast.FuncDecl {
	decls := map[types.Object]*ast.FuncDecl{}
	for _, f := range pkg.Syntax {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if obj := pkg.TypesInfo.Defs[fd.Name]; obj != nil {
					decls[obj] = fd
				}
			}
		}
	}
	return decls
}

// isGooseDown reports whether call registers a goose Go migration whose
// last argument is its down function: goose.AddMigration(up, down) and
// its Context, NoTx and Named forms, goose.NewGoMigration(v, up, down).
func isGooseDown(info *types.Info, call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || info == nil {
		return false
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || !strings.HasPrefix(fn.Pkg().Path(), "github.com/pressly/goose") {
		return false
	}
	name := fn.Name()
	return strings.HasPrefix(name, "AddMigration") || strings.HasPrefix(name, "AddNamedMigration") || name == "NewGoMigration"
}

// appSchema is what the module's code tells about its schema: the
// dialect of its database, and the DDL its Go code runs.
type appSchema struct {
	dialect    sqlparse.Dialect // the module's only dialect, or Unknown
	dialects   *dialects        // every dialect the module uses
	ddl        []goDDL          // the DDL constants of its Go code (see goSchema)
	down       []posRange       // the code that undoes migrations
	migrations []posRange       // the code of goose Go migrations
	// schemas are the schema of each dialect, when the app keeps one per
	// dialect (see parse); set once the schema is read.
	schemas map[sqlparse.Dialect]*sqlparse.Schema
}

// newAppSchema reads the module's dialects and its Go DDL.
func newAppSchema(p *program) *appSchema {
	app := &appSchema{}
	var opened map[*types.Package][]sqlparse.Dialect
	app.ddl, app.down, app.migrations, opened = goSchema(p)
	app.dialects = findDialects(p, opened)
	app.dialect = app.dialects.module
	return app
}

// inMigration reports whether site s runs only in goose Go migrations:
// it is in their code, or in a function only they call (two levels up).
// Such code runs against a schema halfway between two versions, so
// neither its columns nor its indexes are the final schema's.
func (a *analysis) inMigration(s *site) bool {
	if len(a.app.migrations) == 0 {
		return false
	}
	var only func(fn *ssa.Function, depth int) bool
	only = func(fn *ssa.Function, depth int) bool {
		if fn == nil {
			return false
		}
		if inRanges(a.app.migrations, fn.Pos()) {
			return true
		}
		callers := a.w.ix.callers[fn]
		if depth == 0 || len(callers) == 0 || a.w.ix.valueRefs[fn] {
			return false
		}
		for _, c := range callers {
			if !only(a.w.ix.callerFn[c], depth-1) {
				return false
			}
		}
		return true
	}
	return inRanges(a.app.migrations, s.pos) || only(s.fn, 2)
}

// complete turns the schema files found near the module into the app's
// schema: those of the directories of other dialects are left out (a
// note names them), and the DDL of the module's Go code comes first, as
// the code that creates the tables runs before the migrations that alter
// them.
func (app *appSchema) complete(root string, files []sqlparse.SchemaFile, ddl []goDDL) ([]sqlparse.SchemaFile, []string) {
	var notes []string
	files, dropped := app.dialects.ownDialect(files, root)
	if len(dropped) > 0 {
		notes = append(notes, fmt.Sprintf("schema files of a database the app does not use left out: %s", listSome(dropped, 5)))
	}
	return append(ddlFiles(ddl), files...), notes
}

// appSchemaRead is the app's schema as read while its code is analysed,
// with what it was read from.
type appSchemaRead struct {
	schemaRead
	found      []sqlparse.SchemaFile // the schema files found near the module
	foundNotes []string              // what finding them skipped
	named      bool                  // the user named the schema files
}

// schemaRead is the schema of all the app's databases, and when the app
// talks to several whose schemas sit in directories named after them
// (migration/mysql, migration/sqlite), the schema of each.
type schemaRead struct {
	schemaResult
	byDialect map[sqlparse.Dialect]*sqlparse.Schema
}

// readAppSchema reads the schema files given or, when none are, the
// app's schema: the files found near the module rooted at root and the
// DDL its Go code holds, each in the app's dialect.
func readAppSchema(root string, patterns []string, app *appSchema) appSchemaRead {
	var read appSchemaRead
	if len(patterns) > 0 {
		read.named = true
		read.found, read.notes = readNamedSchema(root, patterns)
		if len(read.found) > 0 {
			read.schemaRead = app.parse(root, read.found, read.notes)
		}
		return read
	}
	read.found, read.foundNotes = osSchemaSearch.find(root)
	files, notes := app.complete(root, read.found, app.ddl)
	read.schemaRead = app.parse(root, files, append(append([]string{}, read.foundNotes...), notes...))
	return read
}

// withRunDDL returns the schema read with the DDL the app's queries run
// that its constants do not hold (fmt.Sprintf("CREATE TABLE %s ...",
// name) per name of a list), when there is some; read otherwise. The
// schema of each dialect is kept for the index check (see schemaOf).
func (a *analysis) withRunDDL(root string, read appSchemaRead) schemaResult {
	res := a.runDDL(root, read)
	a.app.schemas = res.byDialect
	return res.schemaResult
}

// runDDL is withRunDDL's reading.
func (a *analysis) runDDL(root string, read appSchemaRead) schemaRead {
	if read.named {
		return read.schemaRead
	}
	known := map[string]bool{}
	for _, d := range a.app.ddl {
		known[d.text] = true
	}
	ddl := a.app.ddl
	for _, s := range a.sites() {
		t := s.text.text
		if s.text.dynamic || known[t] || !isDDL(t) || inRanges(a.app.down, s.pos) {
			continue
		}
		known[t] = true
		ddl = append(ddl, goDDL{pos: a.w.ix.fset.Position(s.pos), text: t})
	}
	if len(ddl) == len(a.app.ddl) {
		return read.schemaRead
	}
	files, notes := a.app.complete(root, read.found, ddl)
	return a.app.parse(root, files, append(append([]string{}, read.foundNotes...), notes...))
}

// parse reads the schema files in the app's dialect. The notes are those
// of finding the files; parse adds the schema reader's warnings. When
// the app uses several dialects and some files sit in a dialect's
// directory, each dialect's schema is also read from the files of its
// directories and the others.
func (app *appSchema) parse(root string, files []sqlparse.SchemaFile, notes []string) schemaRead {
	var res schemaRead
	res.notes = notes
	if len(files) == 0 {
		res.notes = append(res.notes, "no schema file found (*.sql with CREATE TABLE): index check skipped; give one with -schema FILE")
		return res
	}
	files = append([]sqlparse.SchemaFile{}, files...)
	dialectDir := false
	for i, f := range files {
		files[i].Name = relPathOf(root, f.Name)
		res.files = append(res.files, files[i].Name)
		dialectDir = dialectDir || pathDialect(files[i].Name) != sqlparse.Unknown
	}
	schema, warnings := sqlparse.ParseSchemaDialect(files, app.dialect)
	if goFirst := goFilesFirst(files); goFirst > 0 && goFirst < len(files) && len(warnings) > 0 {
		// The Go code may instead alter the tables the files create: of
		// the two orders, the one the statements fit better.
		after := append(append([]sqlparse.SchemaFile{}, files[goFirst:]...), files[:goFirst]...)
		if s2, w2 := sqlparse.ParseSchemaDialect(after, app.dialect); len(w2) < len(warnings) {
			schema, warnings, files = s2, w2, after
			res.files = res.files[:0]
			for _, f := range files {
				res.files = append(res.files, f.Name)
			}
		}
	}
	for _, w := range warnings {
		res.notes = append(res.notes, w.String())
	}
	res.schema = schema
	if len(app.dialects.all) < 2 || !dialectDir {
		return res
	}
	res.byDialect = map[sqlparse.Dialect]*sqlparse.Schema{}
	for _, d := range app.dialects.all {
		var own []sqlparse.SchemaFile
		for _, f := range files {
			if fd := pathDialect(f.Name); fd == sqlparse.Unknown || fd == d {
				own = append(own, f)
			}
		}
		res.byDialect[d], _ = sqlparse.ParseSchemaDialect(own, d) // its warnings are the whole schema's
	}
	return res
}

// goFilesFirst returns how many of files, the Go DDL first, are Go
// files.
func goFilesFirst(files []sqlparse.SchemaFile) int {
	n := 0
	for n < len(files) && strings.HasSuffix(files[n].Name, ".go") {
		n++
	}
	return n
}

// schemaOf returns the schema site s is checked against: its dialect's,
// when the app keeps one per dialect, else the app's.
func (a *analysis) schemaOf(s *site) *sqlparse.Schema {
	if sc := a.app.schemas[a.siteDialect(s)]; sc != nil {
		return sc
	}
	return a.schema
}

// loadedGlobal returns the package variable v loads, if it is a load of
// one.
func loadedGlobal(v ssa.Value) (*ssa.Global, bool) {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil, false
	}
	g, ok := load.X.(*ssa.Global)
	return g, ok
}

// globalSliceElems returns the elements of the slice literals among the
// values stored in a package variable (var migrations = []string{...}).
func globalSliceElems(stores []ssa.Value) []ssa.Value {
	var out []ssa.Value
	for _, v := range stores {
		if sl, ok := v.(*ssa.Slice); ok {
			if alloc, ok := sl.X.(*ssa.Alloc); ok {
				out = append(out, arrayValues(alloc)...)
			}
		}
	}
	return out
}

// allDDL reports whether texts are all schema statements.
func allDDL(texts []sqlText) bool {
	for _, t := range texts {
		if t.dynamic || !isDDL(t.text) {
			return false
		}
	}
	return len(texts) > 0
}
