package analyzer

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/sqlparse"
	"golang.org/x/tools/go/packages"
)

// gooseSrc stands in for github.com/pressly/goose/v3: its registration
// functions only.
const gooseSrc = `package goose
import "database/sql"
type GoMigration func(tx *sql.Tx) error
func AddMigration(up, down GoMigration) {}
func AddNamedMigration(name string, up, down GoMigration) {}
`

// migrationSrc is a module file holding migrations in every form goSchema
// reads, and the parts it must leave out.
const migrationSrc = `package store
import (
	"database/sql"
	"fmt"
	"github.com/pressly/goose/v3"
)

const createTags = "CREATE TABLE tags (name TEXT PRIMARY KEY)"

var migrations = []string{
	` + "`CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL)`" + `,
	"CREATE SEQUENCE s; CREATE TABLE events (id BIGINT)",
	"ALTER TABLE users ADD COLUMN " + "name TEXT",
	createTags,
}

type migration struct{ Up, Down string }

var steps = []migration{{Up: "CREATE INDEX users_email ON users (email)", Down: "DROP INDEX users_email"}}

func init() {
	goose.AddMigration(upAudit, downAudit)
	goose.AddNamedMigration("2_x.go", upAudit, func(tx *sql.Tx) error {
		_, err := tx.Exec("DROP TABLE audit")
		return err
	})
}

func upAudit(tx *sql.Tx) error {
	_, err := tx.Exec("CREATE TABLE audit (id BIGINT)")
	return err
}

func downAudit(tx *sql.Tx) error {
	_, err := tx.Exec("DROP TABLE audit")
	return err
}

func tenant(s string) string { return s }

func templates(db *sql.DB) {
	db.Exec("CREATE TABLE " + tenant("mailbox") + " (id INTEGER)")
	db.Exec(fmt.Sprintf("CREATE TABLE %s (id INTEGER)", tenant("x")))
	db.Exec("SELECT 1")
}
`

// checkPackage type-checks src as package store, with goose stubbed.
func checkPackage(t *testing.T, fset *token.FileSet, src string) *packages.Package {
	t.Helper()
	std := importer.Default()
	parse := func(name, src string) *ast.File {
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	goose, err := (&types.Config{Importer: std}).Check("github.com/pressly/goose/v3", fset, []*ast.File{parse("goose.go", gooseSrc)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	imp := importerFunc(func(path string) (*types.Package, error) {
		if path == goose.Path() {
			return goose, nil
		}
		return std.Import(path)
	})
	f := parse("/m/store/migrate.go", src)
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	pkg, err := (&types.Config{Importer: imp}).Check("m/store", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	return &packages.Package{Types: pkg, TypesInfo: info, Syntax: []*ast.File{f}, Fset: fset}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// TestGoSchema checks the DDL goSchema takes from Go code: the
// statements of a migration slice in order, a constant used by name once
// where it is declared, a constant concatenation, a goose up function; and
// what it leaves out: goose down functions (named or literal), a Down
// field, the constant parts of a name built at run time, fmt templates,
// queries.
func TestGoSchema(t *testing.T) {
	fset := token.NewFileSet()
	pkg := checkPackage(t, fset, migrationSrc)
	ddl, down, migrations, _ := goSchema(&program{fset: fset, pkgs: []*packages.Package{pkg}})
	files := ddlFiles(ddl)
	for _, fd := range pkg.Syntax[0].Decls {
		fd, ok := fd.(*ast.FuncDecl)
		if !ok {
			continue
		}
		name := fd.Name.Name
		if got, want := inRanges(migrations, fd.Name.Pos()), name == "upAudit" || name == "downAudit"; got != want {
			t.Errorf("%s is goose migration code: %v, want %v", name, got, want)
		}
		if got, want := inRanges(down, fd.Name.Pos()), name == "downAudit"; got != want {
			t.Errorf("%s undoes a migration: %v, want %v", name, got, want)
		}
	}
	if len(files) != 1 || files[0].Name != "/m/store/migrate.go" {
		t.Fatalf("got %d files, want one named /m/store/migrate.go", len(files))
	}
	src := string(files[0].Src)
	var got []string
	for _, stmt := range strings.Split(src, ";") {
		if s := strings.TrimSpace(stmt); s != "" {
			got = append(got, strings.Fields(s)[0]+" "+strings.Fields(s)[1]+" "+strings.Fields(s)[2])
		}
	}
	want := []string{
		"CREATE TABLE tags",
		"CREATE TABLE users",
		"CREATE SEQUENCE s", "CREATE TABLE events",
		"ALTER TABLE users",
		"CREATE INDEX users_email",
		"CREATE TABLE audit",
	}
	if !slices.Equal(got, want) {
		t.Errorf("statements:\n got %q\nwant %q", got, want)
	}
	// Each statement keeps its line in the Go file.
	lines := strings.Split(src, "\n")
	if n := len(lines); n < 10 || !strings.HasPrefix(strings.TrimSpace(lines[7]), "CREATE TABLE tags") {
		t.Errorf("line 8 of the schema source is %q, want the CREATE TABLE tags of migrate.go:8", lines[min(7, n-1)])
	}
	schema, warnings := sqlparse.ParseSchemaDialect(files, sqlparse.Postgres)
	var tables []string
	for _, tb := range schema.Tables {
		tables = append(tables, tb.Name)
	}
	sort.Strings(tables)
	if want := []string{"audit", "events", "tags", "users"}; !slices.Equal(tables, want) {
		t.Errorf("tables %q, want %q (warnings %v)", tables, want, warnings)
	}
}

// TestIsDDL checks which texts are schema statements.
func TestIsDDL(t *testing.T) {
	for text, want := range map[string]bool{
		"CREATE TABLE t (id INT)":                       true,
		"  -- v2\n  ALTER TABLE t ADD COLUMN x TEXT":    true,
		"/* idx */ CREATE UNIQUE INDEX i ON t (x)":      true,
		"CREATE SEQUENCE s;\nCREATE TABLE t (id INT)":   true,
		"create temporary table tmp (id int)":           true,
		"DROP TABLE IF EXISTS t":                        true,
		"SELECT * FROM create_table_log":                false,
		"INSERT INTO t (sql) VALUES ('CREATE TABLE x')": false,
		"CREATE SEQUENCE s":                             false,
		"TRUNCATE t":                                    false,
		"CREATE GLOBAL TEMPORARY TABLE g (id INT)":      true,
		"create unlogged table u (id int)":              true,
		"SELECT 1; -- x\n drop index i":                 true,
		"CREATE TEMPORARY INDEX i ON t (x)":             false,
		"CREATE TABLEt (id INT)":                        false,
		"/* unterminated CREATE TABLE t":                false,
		"ALTER\tTABLE t ADD x INT":                      true,
	} {
		if got := isDDL(text); got != want {
			t.Errorf("isDDL(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestSchemaOrder checks that the Go DDL and the schema files are read
// in the order their statements fit: Go code creating the tables a
// migration file alters, or altering the tables a schema file creates.
func TestSchemaOrder(t *testing.T) {
	app := &appSchema{dialect: sqlparse.SQLite, dialects: &dialects{}}
	for _, tc := range []struct {
		goSrc, sqlSrc string
		order         []string
	}{
		{"CREATE TABLE jobs (id INTEGER PRIMARY KEY, status TEXT);", "ALTER TABLE jobs ADD COLUMN done INTEGER;", []string{"store.go", "0002_done.sql"}},
		{"ALTER TABLE jobs ADD COLUMN done INTEGER;", "CREATE TABLE jobs (id INTEGER PRIMARY KEY, status TEXT);", []string{"0002_done.sql", "store.go"}},
	} {
		res := app.parse("/m", []sqlparse.SchemaFile{{Name: "/m/store.go", Src: []byte(tc.goSrc)}, {Name: "/m/0002_done.sql", Src: []byte(tc.sqlSrc)}}, nil)
		if !slices.Equal(res.files, tc.order) {
			t.Errorf("read %q, want %q", res.files, tc.order)
		}
		if tb := res.schema.Table("jobs"); tb == nil || len(tb.Columns) != 3 || len(res.notes) > 0 {
			t.Errorf("%q then %q: table %+v, notes %q; want jobs with 3 columns and no note", tc.order[0], tc.order[1], tb, res.notes)
		}
	}
}
