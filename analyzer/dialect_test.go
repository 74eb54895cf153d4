package analyzer

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/sqlparse"
	"golang.org/x/tools/go/packages"
)

// TestOwnDialect checks that an app reads only the migration directory
// of the database it uses.
func TestOwnDialect(t *testing.T) {
	files := []sqlparse.SchemaFile{
		{Name: "/m/store/migration/mysql/prod/LATEST.sql"},
		{Name: "/m/store/migration/postgres/prod/LATEST.sql"},
		{Name: "/m/store/migration/sqlite/prod/LATEST.sql"},
		{Name: "/m/sql/seed.sql"},
	}
	names := func(fs []sqlparse.SchemaFile) []string {
		var out []string
		for _, f := range fs {
			out = append(out, strings.TrimPrefix(f.Name, "/m/"))
		}
		return out
	}
	for _, tc := range []struct {
		uses      []sqlparse.Dialect
		kept, out []string
	}{
		{[]sqlparse.Dialect{sqlparse.SQLite}, []string{"store/migration/sqlite/prod/LATEST.sql", "sql/seed.sql"},
			[]string{"store/migration/mysql/prod/LATEST.sql", "store/migration/postgres/prod/LATEST.sql"}},
		{[]sqlparse.Dialect{sqlparse.MySQL, sqlparse.Postgres}, []string{"store/migration/mysql/prod/LATEST.sql", "store/migration/postgres/prod/LATEST.sql", "sql/seed.sql"},
			[]string{"store/migration/sqlite/prod/LATEST.sql"}},
		{nil, names(files), nil},
	} {
		d := &dialects{all: tc.uses}
		kept, dropped := d.ownDialect(files, "/m")
		if got := names(kept); !slices.Equal(got, tc.kept) {
			t.Errorf("%v: kept %q, want %q", tc.uses, got, tc.kept)
		}
		if !slices.Equal(dropped, tc.out) {
			t.Errorf("%v: left out %q, want %q", tc.uses, dropped, tc.out)
		}
	}
}

// TestFindDialects checks the dialect of each package of a module with a
// store package per driver (PATTERNS D10): the driver a package opens by
// name or imports decides its queries' dialect; a package that imports
// them all (main) decides none, and neither does the module.
func TestFindDialects(t *testing.T) {
	fset := token.NewFileSet()
	pkg := func(path, src string, drivers ...string) *packages.Package {
		f, err := parser.ParseFile(fset, path+"/x.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}}
		tp, err := (&types.Config{Importer: importer.Default()}).Check(path, fset, []*ast.File{f}, info)
		if err != nil {
			t.Fatal(err)
		}
		imports := map[string]*packages.Package{"database/sql": nil}
		for _, d := range drivers {
			imports[d] = nil
		}
		return &packages.Package{PkgPath: path, Types: tp, TypesInfo: info, Syntax: []*ast.File{f}, Imports: imports}
	}
	const open = `package p
import "database/sql"
func Open(dsn string) (*sql.DB, error) { return sql.Open(%q, dsn) }
`
	sqlite := pkg("m/store/sqlite", fmt.Sprintf(open, "sqlite"), "modernc.org/sqlite")
	postgres := pkg("m/store/postgres", fmt.Sprintf(open, "pgx"))
	mysql := pkg("m/store/mysql", `package p
import "database/sql"
func Open(driver, dsn string) (*sql.DB, error) { return sql.Open(driver, dsn) }
`, "github.com/go-sql-driver/mysql")
	main := pkg("m", "package main\nfunc main() {}\n", "modernc.org/sqlite", "github.com/lib/pq", "github.com/go-sql-driver/mysql")
	d := newAppSchema(&program{fset: fset, pkgs: []*packages.Package{sqlite, postgres, mysql, main}}).dialects
	for p, want := range map[*packages.Package]sqlparse.Dialect{sqlite: sqlparse.SQLite, postgres: sqlparse.Postgres, mysql: sqlparse.MySQL, main: sqlparse.Unknown} {
		if got := d.byPkg[p.Types]; got != want {
			t.Errorf("%s: dialect %q, want %q", p.PkgPath, got, want)
		}
	}
	if want := []sqlparse.Dialect{sqlparse.MySQL, sqlparse.Postgres, sqlparse.SQLite}; !slices.Equal(d.all, want) || d.module != sqlparse.Unknown {
		t.Errorf("module dialects %q (only one: %q), want %q and none", d.all, d.module, want)
	}
}
