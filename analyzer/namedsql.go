package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Named queries in SQL files (PATTERNS D7): a file of sections, each
// headed by "-- name: get-subscriber", that the app loads at start-up and
// runs by name. The libraries: goyesql (knadh/goyesql v2, nleof/goyesql),
// whose queries land in a map by name or in the fields of a struct tagged
// `query:"get-subscriber"` (ScanToStruct, which may also prepare them),
// and dotsql (dot.Exec(db, "create-user")). The text a call runs is the
// section for the name that reaches it.
//
// The file is found the way the code finds it: an embedded file, or a
// path constant (or a flag's default) read relative to the module root or
// the package's directory, only inside the module. A loaded set of
// queries is known by an id that rides in the value's texts, as a
// builder's recipe does (builders.go). When the loading code cannot be
// followed (the app reads the file through a library crudmap does not
// know, or splits it itself), a name that exactly one section of the
// module's *.sql files carries selects that section.

// namedPkgs are the named-query libraries.
var namedPkgs = setOf("github.com/knadh/goyesql/v2", "github.com/knadh/goyesql/v2/sqlx", "github.com/knadh/goyesql",
	"github.com/nleof/goyesql", "github.com/qustavo/dotsql", "github.com/gchaincl/dotsql")

func isNamedPkg(path string) bool { return namedPkgs[path] }

// Bounds on the module's *.sql files searched by name.
const (
	maxNamedFiles = 500
	maxNamedBytes = maxEmbeddedBytes
)

// sqlSources holds what builders and named queries look up once per run.
type sqlSources struct {
	gorp   map[types.Type]*gorpTable
	sets   map[string]map[string]string // a loaded set's id → name → SQL
	ids    map[string]string            // a loaded text → its set's id
	module map[string][]string          // name → the SQL of every section of the module's files with it
	scans  map[types.Type][]ssa.Value   // a struct type → the query sets ScanToStruct fills it from
}

// sources returns the resolver's sqlSources, made on first use.
func (r *resolver) sources() *sqlSources {
	if r.ext == nil {
		r.ext = &sqlSources{sets: map[string]map[string]string{}, ids: map[string]string{}}
	}
	return r.ext
}

// nameTag matches a section's header: "-- name: get-subscriber".
var nameTag = regexp.MustCompile(`^\s*--\s*name\s*:\s*(\S+)`)

// otherTag matches the other tags and the comments of a section.
var otherTag = regexp.MustCompile(`^\s*--`)

// parseNamed splits a file into its named sections' SQL, comments left out.
func parseNamed(src string) map[string]string {
	out := map[string]string{}
	name := ""
	var body []string
	flush := func() {
		if name != "" {
			out[name] = strings.TrimSpace(strings.Join(body, "\n"))
		}
	}
	for _, line := range strings.Split(src, "\n") {
		if m := nameTag.FindStringSubmatch(line); m != nil {
			flush()
			name, body = m[1], nil
			continue
		}
		if !otherTag.MatchString(line) {
			body = append(body, line)
		}
	}
	flush()
	return out
}

// classifyNamed classifies dotsql's DotSql methods that run a query by
// name: Exec, Query, QueryRow and their Context forms, and Prepare.
func classifyNamed(obj *types.Func, recv string, c *ssa.CallCommon) dbCall {
	if recv != "DotSql" || len(c.Args) < 3 {
		return dbCall{}
	}
	sig := obj.Type().(*types.Signature)
	call := dbCall{kind: dbQuery, from: fromNamed, sqlArg: firstString(sig, 1), handle: c.Args[1],
		method: "dotsql.DotSql." + obj.Name()}
	if isContext(sig.Params().At(0).Type()) {
		call.handle = c.Args[2]
	}
	switch obj.Name() {
	case "Exec", "ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext":
	case "Prepare", "PrepareContext":
		call.kind = dbPrepare
	default:
		return dbCall{}
	}
	return call
}

// namedTexts returns the SQL a call running a query by name runs: the
// section of that name in the sets its receiver was loaded from.
func (r *resolver) namedTexts(c *ssa.CallCommon, db dbCall, f *frame) []sqlText {
	sets := r.setsOf(c.Args[0], f)
	var out []sqlText
	for _, name := range r.sqlTexts(c.Args[db.sqlArg], f) {
		if name.dynamic {
			continue
		}
		out = append(out, r.section(sets, name.text)...)
	}
	if len(out) == 0 {
		return []sqlText{{dynamic: true}}
	}
	return out
}

// section returns the SQL of the section name in sets, or, when sets are
// unknown, in the module's files if one text carries that name there.
func (r *resolver) section(sets []map[string]string, name string) []sqlText {
	var out []sqlText
	for _, set := range sets {
		if text, ok := set[name]; ok {
			out = append(out, sqlText{text: text})
		}
	}
	if len(sets) == 0 {
		if texts := r.moduleSections()[name]; len(texts) == 1 {
			out = append(out, sqlText{text: texts[0]})
		}
	}
	return out
}

// setsOf returns the query sets a value (a *DotSql, a goyesql.Queries) may
// hold.
func (r *resolver) setsOf(v ssa.Value, f *frame) []map[string]string {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL && !isGlobalOrField(u.X) {
		v = u.X // dot.Exec on a *DotSql: (*dot).Exec
	}
	src := r.sources()
	var out []map[string]string
	for _, t := range r.resolve(v, f).texts {
		if set, ok := src.sets[t.text]; ok {
			out = append(out, set)
		}
	}
	return out
}

// isGlobalOrField reports whether v is the address of a global or field,
// whose loads the resolver follows itself.
func isGlobalOrField(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.Global, *ssa.FieldAddr:
		return true
	}
	return false
}

// namedLoad resolves a call that loads a set of named queries (its id),
// or dotsql's Raw (the SQL of a section). It returns nil when c is no such
// call.
func (r *resolver) namedLoad(c *ssa.CallCommon, f *frame, seen map[ssa.Value]bool, depth int) *value {
	pkg, recv, name := calleeName(c)
	if !isNamedPkg(pkg) || len(c.Args) == 0 {
		return nil
	}
	out := &value{}
	if recv == "DotSql" && name == "Raw" && len(c.Args) == 2 { // dot.Raw("name")
		for _, n := range textsOf(r.resolveDepth(c.Args[1], f, seen, depth+1)) {
			if !n.dynamic {
				out.texts = append(out.texts, r.section(r.setsOf(c.Args[0], f), n.text)...)
			}
		}
		return out
	}
	if recv != "" {
		return nil
	}
	switch name {
	case "ParseFile", "MustParseFile", "LoadFromFile":
		paths := textsOf(r.resolveDepth(c.Args[0], f, seen, depth+1))
		if !knownText(paths) {
			paths = r.flagDefaults(c.Args[0], 0)
		}
		for _, p := range paths {
			if id, ok := r.loadNamedFile(p, r.ix.callerFn[c]); ok {
				out.addText(sqlText{text: id})
			}
		}
	case "ParseBytes", "MustParseBytes", "LoadFromString":
		for _, t := range textsOf(r.resolveDepth(c.Args[0], f, seen, depth+1)) {
			if !t.dynamic {
				out.addText(sqlText{text: r.registerSet(t.text)})
			}
		}
	case "Merge":
		elems, _ := r.sliceElems(c.Args[0], f, seen, depth)
		for _, e := range elems {
			for _, t := range e {
				out.addText(t)
			}
		}
	default:
		return nil
	}
	return out
}

// maxFlagDepth bounds the calls flagDefaults goes up through.
const maxFlagDepth = 4

// flagDefaults returns the defaults of the command-line flags a path may
// come from: *flag.String("queries", "queries.sql", ...), a variable that
// flag.StringVar(&path, "queries", "queries.sql", ...) sets, through the
// parameters of the functions between (their callers' arguments, in any
// context).
func (r *resolver) flagDefaults(v ssa.Value, depth int) []sqlText {
	if depth > maxFlagDepth {
		return nil
	}
	switch v := v.(type) {
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return nil
		}
		if ptrs := r.flagPointers(v.X); len(ptrs) > 0 {
			var out []sqlText
			for _, c := range ptrs {
				out = append(out, flagDefault(c, nil)...)
			}
			return out
		}
		var out []sqlText
		for _, c := range r.flagVarCalls() {
			out = append(out, flagDefault(c, v.X)...)
		}
		return out
	case *ssa.Parameter:
		i := slices.Index(v.Parent().Params, v)
		var out []sqlText
		for _, c := range r.ix.callers[v.Parent()] {
			if i >= 0 && i < len(c.Args) {
				out = append(out, r.flagDefaults(c.Args[i], depth+1)...)
			}
		}
		return out
	}
	return nil
}

// flagPointers returns the calls that may have made a pointer: the call
// itself, or those stored in the package variable it is loaded from
// (var path = flag.String(...); *path).
func (r *resolver) flagPointers(p ssa.Value) []*ssa.CallCommon {
	switch p := p.(type) {
	case *ssa.Call:
		return []*ssa.CallCommon{&p.Call}
	case *ssa.UnOp:
		g, ok := p.X.(*ssa.Global)
		if !ok || p.Op != token.MUL {
			return nil
		}
		var out []*ssa.CallCommon
		for _, v := range r.ix.globalStores[g] {
			if c, ok := v.(*ssa.Call); ok {
				out = append(out, &c.Call)
			}
		}
		return out
	}
	return nil
}

// flagDefault returns the default of a flag.String call, or, when addr is
// set, of a flag.StringVar call that sets the variable at addr; nil when c
// is neither. FlagSet methods count too.
func flagDefault(c *ssa.CallCommon, addr ssa.Value) []sqlText {
	pkg, recv, name := calleeName(c)
	args := c.Args
	if pkg != "flag" || recv != "" && recv != "FlagSet" {
		return nil
	}
	if recv == "FlagSet" && len(args) > 0 {
		args = args[1:]
	}
	i := 1 // String(name, value, usage)
	if addr != nil {
		if name != "StringVar" || len(args) < 3 || args[0] != addr {
			return nil
		}
		i = 2 // StringVar(p, name, value, usage)
	} else if name != "String" {
		return nil
	}
	if k, ok := args[i].(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.String {
		return []sqlText{{text: constant.StringVal(k.Value)}}
	}
	return nil
}

// flagVarCalls returns the module's flag.StringVar calls.
func (r *resolver) flagVarCalls() []*ssa.CallCommon {
	return r.libraryCalls(func(obj *types.Func) bool { return obj.Pkg().Path() == "flag" && obj.Name() == "StringVar" })
}

// libraryCalls returns the module's calls of the library functions match
// accepts, in source order.
func (r *resolver) libraryCalls(match func(*types.Func) bool) []*ssa.CallCommon {
	var out []*ssa.CallCommon
	for callee, calls := range r.ix.callers {
		if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && callee.Blocks == nil && match(obj) {
			out = append(out, calls...)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos() < out[j].Pos() })
	return out
}

// registerSet parses a loaded text and returns its set's id.
func (r *resolver) registerSet(text string) string {
	src := r.sources()
	if id, ok := src.ids[text]; ok {
		return id
	}
	id := "named-sql#" + strconv.Itoa(len(src.ids))
	src.ids[text] = id
	src.sets[id] = parseNamed(text)
	return id
}

// loadNamedFile reads the file a path constant names, relative to the
// module root (where the app is run from) or else to the directory of the
// package that loads it, and returns its set's id. Files out of the module
// are not read.
func (r *resolver) loadNamedFile(path sqlText, fn *ssa.Function) (string, bool) {
	if path.dynamic || path.text == "" {
		return "", false
	}
	dirs := []string{r.ix.root}
	if fn != nil && fn.Pos().IsValid() {
		dirs = append(dirs, filepath.Dir(r.ix.fset.Position(fn.Pos()).Filename))
	}
	for _, dir := range dirs {
		file := path.text
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		if !r.inModule(file) {
			continue
		}
		if src, err := readRegular(file, maxNamedBytes); err == nil {
			return r.registerSet(string(src)), true
		}
	}
	return "", false
}

// inModule reports whether file is under the module root.
func (r *resolver) inModule(file string) bool {
	rel, err := filepath.Rel(r.ix.root, file)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// moduleSections returns the named sections of the module's *.sql files
// and embedded files, by name: read on first use, at most maxNamedFiles
// files, skipping hidden, vendor and node_modules directories.
func (r *resolver) moduleSections() map[string][]string {
	src := r.sources()
	if src.module != nil {
		return src.module
	}
	src.module = map[string][]string{}
	add := func(text string) {
		for name, sql := range parseNamed(text) {
			if !contains(src.module[name], sql) {
				src.module[name] = append(src.module[name], sql)
			}
		}
	}
	for _, text := range r.ix.embedded {
		add(text)
	}
	files := 0
	_ = filepath.WalkDir(r.ix.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != r.ix.root && (strings.HasPrefix(name, ".") || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".sql") || files >= maxNamedFiles {
			return nil
		}
		files++
		if text, err := readRegular(path, maxNamedBytes); err == nil {
			add(string(text))
		}
		return nil
	})
	return src.module
}

// namedField resolves a load of a field holding a named query: goyesql's
// queries["name"].Query, or a struct field tagged `query:"name"` that
// ScanToStruct fills, with a string (the SQL) or a prepared statement. It
// returns nil when a is no such field.
func (r *resolver) namedField(a *ssa.FieldAddr, f *frame, seen map[ssa.Value]bool, depth int) *value {
	st := a.X.Type().Underlying().(*types.Pointer).Elem()
	strct := st.Underlying().(*types.Struct)
	if named, ok := st.(*types.Named); ok && named.Obj().Pkg() != nil && isNamedPkg(named.Obj().Pkg().Path()) &&
		named.Obj().Name() == "Query" && strct.Field(a.Field).Name() == "Query" {
		return r.goyesqlLookup(a.X, f, seen, depth)
	}
	tag := strings.Split(reflect.StructTag(strct.Tag(a.Field)).Get("query"), ",")[0]
	if tag == "" || tag == "-" {
		return nil
	}
	texts := r.section(r.scannedSets(st), tag)
	if len(texts) == 0 {
		return nil
	}
	if isString(strct.Field(a.Field).Type()) {
		return &value{texts: texts}
	}
	return &value{origins: []*origin{r.namedStmt(a, texts)}}
}

// goyesqlLookup resolves queries["name"], a *goyesql.Query, to the SQL of
// the section name.
func (r *resolver) goyesqlLookup(q ssa.Value, f *frame, seen map[ssa.Value]bool, depth int) *value {
	l, ok := q.(*ssa.Lookup)
	if !ok {
		return &value{}
	}
	sets := r.setsOf(l.X, f)
	out := &value{}
	for _, name := range textsOf(r.resolveDepth(l.Index, f, seen, depth+1)) {
		if !name.dynamic {
			for _, t := range r.section(sets, name.text) {
				out.addText(t)
			}
		}
	}
	return out
}

// namedStmt is the prepared statement ScanToStruct puts in a field: one
// origin per field.
func (r *resolver) namedStmt(a *ssa.FieldAddr, texts []sqlText) *origin {
	key := "query-field:" + a.X.Type().String() + "." + strconv.Itoa(a.Field)
	if o, ok := r.origins[key]; ok {
		return o
	}
	o := &origin{texts: texts, method: "goyesql.ScanToStruct"}
	r.origins[key] = o
	return o
}

// scannedSets returns the query sets that the module's ScanToStruct calls
// fill a struct of type t from.
func (r *resolver) scannedSets(t types.Type) []map[string]string {
	src := r.sources()
	if src.scans == nil {
		src.scans = map[types.Type][]ssa.Value{}
		scans := r.libraryCalls(func(obj *types.Func) bool {
			return isNamedPkg(obj.Pkg().Path()) && strings.HasPrefix(obj.Name(), "Scan")
		})
		for _, c := range scans {
			addScan(src.scans, c)
		}
	}
	var out []map[string]string
	for st, sets := range src.scans {
		if !types.Identical(st, t) {
			continue
		}
		for _, s := range sets {
			out = append(out, r.setsOf(s, nil)...)
		}
	}
	return out
}

// addScan records the struct a ScanToStruct(&q, queries, db) call fills
// and the queries it fills it from; ScanWithContext takes a context first.
func addScan(scans map[types.Type][]ssa.Value, c *ssa.CallCommon) {
	args := c.Args
	if len(args) > 0 && isContext(args[0].Type()) {
		args = args[1:]
	}
	if len(args) < 2 {
		return
	}
	if t := rowType(args[0]); t != nil {
		scans[t] = append(scans[t], args[1])
	}
}

// namedLookup resolves m[k] with a constant key k for a map of strings
// whose content crudmap does not know: a goyesql map of queries, or one
// an app fills itself from its queries file (the sections of the
// module's files named k, if exactly one text has that name).
func (r *resolver) namedLookup(l *ssa.Lookup, f *frame) *value {
	k, ok := l.Index.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.String {
		return &value{}
	}
	return &value{texts: r.section(r.setsOf(l.X, f), constant.StringVal(k.Value))}
}

// knownText reports whether one of texts holds some known SQL.
func knownText(texts []sqlText) bool {
	for _, t := range texts {
		if !unknownTextOf(t.text) {
			return true
		}
	}
	return false
}
