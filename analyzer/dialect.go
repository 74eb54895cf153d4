package analyzer

import (
	"go/ast"
	"go/constant"
	"go/types"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/crudmap/crudmap/sqlparse"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// driverPackages maps the import path of a database driver or client to
// the dialect of the database it talks to.
var driverPackages = map[string]sqlparse.Dialect{
	"github.com/lib/pq":                    sqlparse.Postgres,
	"github.com/jackc/pgx/v5":              sqlparse.Postgres,
	"github.com/jackc/pgx/v5/pgxpool":      sqlparse.Postgres,
	"github.com/jackc/pgx/v5/stdlib":       sqlparse.Postgres,
	"github.com/jackc/pgx/v4":              sqlparse.Postgres,
	"github.com/jackc/pgx/v4/pgxpool":      sqlparse.Postgres,
	"github.com/jackc/pgx/v4/stdlib":       sqlparse.Postgres,
	"github.com/mattn/go-sqlite3":          sqlparse.SQLite,
	"modernc.org/sqlite":                   sqlparse.SQLite,
	"github.com/glebarez/go-sqlite":        sqlparse.SQLite,
	"github.com/ncruces/go-sqlite3/driver": sqlparse.SQLite,
	"github.com/go-sql-driver/mysql":       sqlparse.MySQL,
	"github.com/ziutek/mymysql/godrv":      sqlparse.MySQL,
}

// driverNames maps the driver name given to sql.Open to its dialect.
var driverNames = map[string]sqlparse.Dialect{
	"postgres":         sqlparse.Postgres,
	"postgresql":       sqlparse.Postgres,
	"pgx":              sqlparse.Postgres,
	"pgx/v5":           sqlparse.Postgres,
	"cloudsqlpostgres": sqlparse.Postgres,
	"sqlite3":          sqlparse.SQLite,
	"sqlite":           sqlparse.SQLite,
	"mysql":            sqlparse.MySQL,
}

// openFuncs are the functions that open a database by driver name, with
// the index of the name among their arguments.
var openFuncs = map[string]int{
	pkgSQL + ".Open":            0,
	pkgSQLX + ".Open":           0,
	pkgSQLX + ".MustOpen":       0,
	pkgSQLX + ".Connect":        0,
	pkgSQLX + ".MustConnect":    0,
	pkgSQLX + ".ConnectContext": 1,
	pkgSQLX + ".NewDb":          1,
}

// dialects says which SQL dialect each query of the module is written in
// (PATTERNS D10): the database a package opens or whose driver it
// imports, else the module's only one.
type dialects struct {
	byPkg  map[*types.Package]sqlparse.Dialect // packages that decide one dialect
	module sqlparse.Dialect                    // the module's only dialect, or Unknown
	all    []sqlparse.Dialect                  // every dialect the module uses, sorted
}

// findDialects reads the dialects of the module's packages from the
// driver packages they import and the driver names they open (opened, by
// package: see goSchema).
func findDialects(p *program, opened map[*types.Package][]sqlparse.Dialect) *dialects {
	d := &dialects{byPkg: map[*types.Package]sqlparse.Dialect{}}
	seen := map[sqlparse.Dialect]bool{}
	for _, pkg := range p.pkgs {
		found := pkgDialects(pkg, opened[pkg.Types])
		for _, x := range found {
			seen[x] = true
		}
		if len(found) == 1 {
			d.byPkg[pkg.Types] = found[0]
		}
	}
	for x := range seen {
		d.all = append(d.all, x)
	}
	sort.Slice(d.all, func(i, j int) bool { return d.all[i] < d.all[j] })
	if len(d.all) == 1 {
		d.module = d.all[0]
	}
	return d
}

// pkgDialects returns the dialects a package decides: those of the driver
// packages it imports and of the driver names it opens.
func pkgDialects(pkg *packages.Package, opened []sqlparse.Dialect) []sqlparse.Dialect {
	var out []sqlparse.Dialect
	add := func(d sqlparse.Dialect) {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	for imp := range pkg.Imports {
		if d, ok := driverPackages[imp]; ok {
			add(d)
		}
	}
	for _, d := range opened {
		add(d)
	}
	return out
}

// openedDialect returns the dialect of the driver a call of sql.Open,
// sqlx.Open or sqlx.Connect names as a constant, or Unknown.
func openedDialect(info *types.Info, call *ast.CallExpr) sqlparse.Dialect {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return sqlparse.Unknown
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil {
		return sqlparse.Unknown
	}
	i, ok := openFuncs[fn.Pkg().Path()+"."+fn.Name()]
	if !ok || i >= len(call.Args) {
		return sqlparse.Unknown
	}
	tv := info.Types[call.Args[i]]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return sqlparse.Unknown
	}
	return driverNames[strings.ToLower(constant.StringVal(tv.Value))]
}

// siteDialect returns the dialect of site s's SQL: that of the database
// its handle is opened on, when that is one, else that of its package or
// module (see dialects.of).
func (a *analysis) siteDialect(s *site) sqlparse.Dialect {
	if len(s.handles) == 1 && s.handles[0] != sqlparse.Unknown {
		return s.handles[0]
	}
	return a.app.dialects.of(s.fn)
}

// of returns the dialect of the queries fn runs.
func (d *dialects) of(fn *ssa.Function) sqlparse.Dialect {
	if fn != nil && fn.Pkg != nil {
		if x, ok := d.byPkg[fn.Pkg.Pkg]; ok {
			return x
		}
	}
	return d.module
}

// dialectDirs are the directory names that hold one dialect's schema or
// migrations (migrations/postgres, store/migration/sqlite).
var dialectDirs = map[string]sqlparse.Dialect{
	"postgres": sqlparse.Postgres, "postgresql": sqlparse.Postgres, "pg": sqlparse.Postgres, "pgsql": sqlparse.Postgres,
	"sqlite": sqlparse.SQLite, "sqlite3": sqlparse.SQLite,
	"mysql": sqlparse.MySQL, "mariadb": sqlparse.MySQL,
}

// pathDialect returns the dialect a slash path's directories name, or
// Unknown.
func pathDialect(p string) sqlparse.Dialect {
	for dir := path.Dir(p); dir != "." && dir != "/" && dir != ".."; dir = path.Dir(dir) {
		if d, ok := dialectDirs[strings.ToLower(path.Base(dir))]; ok {
			return d
		}
	}
	return sqlparse.Unknown
}

// ownDialect keeps the schema files of the dialects the module uses: of
// migrations/postgres, migrations/sqlite and migrations/mysql, an app on
// SQLite reads only the second. Files in no dialect's directory are kept;
// so are all when the module's dialects are not known.
func (d *dialects) ownDialect(files []sqlparse.SchemaFile, root string) (kept []sqlparse.SchemaFile, dropped []string) {
	if len(d.all) == 0 {
		return files, nil
	}
	for _, f := range files {
		fd := pathDialect(relPathOf(root, f.Name))
		if fd != sqlparse.Unknown && !slices.Contains(d.all, fd) {
			dropped = append(dropped, relPathOf(root, f.Name))
			continue
		}
		kept = append(kept, f)
	}
	if len(kept) == 0 {
		return files, nil // better some schema than none
	}
	return kept, dropped
}

// setPredicate is how a query in site s's dialect compares key with a
// set of values: key = ANY($1) with an array in Postgres, key IN (?)
// elsewhere.
func (a *analysis) setPredicate(s *site, key string) string {
	if a.siteDialect(s) == sqlparse.Postgres {
		return key + " = ANY($1)"
	}
	return key + " IN (?)"
}

// setHow names what passes the set of values setPredicate compares with.
func (a *analysis) setHow(s *site) string {
	if a.siteDialect(s) == sqlparse.Postgres {
		return "one array parameter"
	}
	return "sqlx.In"
}

// updateJoin is how an UPDATE in site s's dialect takes its values from
// another table: UPDATE ... FROM in Postgres and SQLite, UPDATE ... JOIN
// in MySQL.
func (a *analysis) updateJoin(s *site) string {
	switch a.siteDialect(s) {
	case sqlparse.Postgres, sqlparse.SQLite:
		return "UPDATE ... FROM"
	}
	return "UPDATE ... JOIN"
}
