package analyzer

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/packages"
)

// The benchmarks compare a crudmap run with its floor: loading the module
// with go/packages (dependencies from export data) and building its SSA.
// BenchmarkLarge* run on a generated module of about 90k lines; set
// CRUDMAP_LARGE_APP to a directory to keep it (and time the command on it).

func BenchmarkLoadSSASmall(b *testing.B)   { benchLoad(b, "../testdata/apps/isuride") }
func BenchmarkRunSmall(b *testing.B)       { benchRun(b, "../testdata/apps/isuride") }
func BenchmarkLoadSSALarge(b *testing.B)   { benchLoad(b, largeApp(b)) }
func BenchmarkRunLarge(b *testing.B)       { benchRun(b, largeApp(b)) }
func BenchmarkPairedSmall(b *testing.B)    { benchPaired(b, "../testdata/apps/isuride") }
func BenchmarkPairedLarge(b *testing.B)    { benchPaired(b, largeApp(b)) }
func BenchmarkPairedPostgres(b *testing.B) { benchPaired(b, "../testdata/apps/pgshop") }

func benchLoad(b *testing.B, dir string) {
	for i := 0; i < b.N; i++ {
		loadAndBuild(b, dir)
	}
}

func benchRun(b *testing.B, dir string) {
	for i := 0; i < b.N; i++ {
		runOn(b, dir)
	}
}

// benchPaired runs the floor and crudmap in turn, so that both see the
// same machine, and reports crudmap's wall time and allocation as
// multiples of the floor's: x-floor-time and x-floor-alloc.
func benchPaired(b *testing.B, dir string) {
	var floorTime, runTime time.Duration
	var floorAlloc, runAlloc uint64
	for i := 0; i < b.N; i++ {
		t, a := measure(func() { loadAndBuild(b, dir) })
		floorTime, floorAlloc = floorTime+t, floorAlloc+a
		t, a = measure(func() { runOn(b, dir) })
		runTime, runAlloc = runTime+t, runAlloc+a
	}
	b.ReportMetric(float64(runTime)/float64(floorTime), "x-floor-time")
	b.ReportMetric(float64(runAlloc)/float64(floorAlloc), "x-floor-alloc")
}

// measure returns how long f took and how many bytes it allocated.
func measure(f func()) (time.Duration, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return elapsed, after.TotalAlloc - before.TotalAlloc
}

// loadAndBuild is the floor: load the module's packages with go/packages,
// dependencies from export data, and build their SSA.
func loadAndBuild(b *testing.B, dir string) {
	pkgs, err := packages.Load(&packages.Config{Mode: loadMode, Dir: dir}, "./...")
	if err != nil {
		b.Fatal(err)
	}
	_, ssaPkgs := buildSSA(pkgs)
	buildBodies(ssaPkgs)
}

// runOn is a whole crudmap analysis of the module in dir.
func runOn(b *testing.B, dir string) {
	if _, err := Run(Config{Dir: dir, Patterns: []string{"./..."}}); err != nil {
		b.Fatal(err)
	}
}

// largeApp writes (once) a net/http + database/sql module of about 90k
// lines: 20 packages of 30 files, each file a handler set with helpers,
// loops, a repository interface and a transaction.
func largeApp(b *testing.B) string {
	dir := os.Getenv("CRUDMAP_LARGE_APP")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "crudmap-large-app")
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		return dir
	}
	if err := GenerateLargeApp(dir, 20, 30); err != nil {
		b.Fatal(err)
	}
	return dir
}

// GenerateLargeApp writes a synthetic module to dir.
func GenerateLargeApp(dir string, pkgs, files int) error {
	write := func(name, text string) error {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, []byte(text), 0o644)
	}
	if err := write("go.mod", "module example.com/large\n\ngo 1.22\n"); err != nil {
		return err
	}
	var main strings.Builder
	main.WriteString("package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n")
	for p := 0; p < pkgs; p++ {
		fmt.Fprintf(&main, "\t\"example.com/large/p%d\"\n", p)
	}
	main.WriteString(")\n\nfunc main() {\n\tvar db *sql.DB\n\tmux := http.NewServeMux()\n")
	for p := 0; p < pkgs; p++ {
		fmt.Fprintf(&main, "\tp%d.Register(mux, db)\n", p)
	}
	main.WriteString("\thttp.ListenAndServe(\":8080\", mux)\n}\n")
	if err := write("main.go", main.String()); err != nil {
		return err
	}
	for p := 0; p < pkgs; p++ {
		var reg strings.Builder
		fmt.Fprintf(&reg, "package p%d\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n)\n\nfunc Register(mux *http.ServeMux, db *sql.DB) {\n", p)
		for f := 0; f < files; f++ {
			fmt.Fprintf(&reg, "\th%d := &handler%d{db: db, repo: &repo%d{db: db}}\n", f, f, f)
			fmt.Fprintf(&reg, "\tmux.HandleFunc(\"GET /p%d/t%d/{id}\", h%d.get)\n", p, f, f)
			fmt.Fprintf(&reg, "\tmux.HandleFunc(\"GET /p%d/t%d\", h%d.list)\n", p, f, f)
			fmt.Fprintf(&reg, "\tmux.HandleFunc(\"POST /p%d/t%d\", h%d.create)\n", p, f, f)
		}
		reg.WriteString("}\n")
		if err := write(fmt.Sprintf("p%d/register.go", p), reg.String()); err != nil {
			return err
		}
		for f := 0; f < files; f++ {
			if err := write(fmt.Sprintf("p%d/t%d.go", p, f), largeFile(p, f)); err != nil {
				return err
			}
		}
	}
	return nil
}

// largeFile is one generated file of about 150 lines.
func largeFile(p, f int) string {
	t := fmt.Sprintf("t%d_%d", p, f)
	r := strings.NewReplacer("PKG", fmt.Sprint(p), "TABLE", t, "ZZ", fmt.Sprint(f))
	return r.Replace(`package pPKG

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

type rowZZ struct {
	ID     int64  ` + "`json:\"id\"`" + `
	UserID int64  ` + "`json:\"user_id\"`" + `
	Name   string ` + "`json:\"name\"`" + `
	Owner  string ` + "`json:\"owner\"`" + `
}

type storeZZ interface {
	find(ctx context.Context, id int64) (*rowZZ, error)
	owner(ctx context.Context, userID int64) (string, error)
}

type repoZZ struct{ db *sql.DB }

const selectZZ = "SELECT id, user_id, name FROM TABLE WHERE id = ?"

func (r *repoZZ) find(ctx context.Context, id int64) (*rowZZ, error) {
	var x rowZZ
	err := r.db.QueryRowContext(ctx, selectZZ, id).Scan(&x.ID, &x.UserID, &x.Name)
	if err != nil {
		return nil, err
	}
	return &x, nil
}

func (r *repoZZ) owner(ctx context.Context, userID int64) (string, error) {
	var name string
	err := r.db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", userID).Scan(&name)
	return name, err
}

type handlerZZ struct {
	db   *sql.DB
	repo storeZZ
}

func (h *handlerZZ) get(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	x, err := h.repo.find(r.Context(), id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	if err := h.fill(r.Context(), x); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(x)
}

func (h *handlerZZ) fill(ctx context.Context, x *rowZZ) error {
	name, err := h.repo.owner(ctx, x.UserID)
	if err != nil {
		return err
	}
	x.Owner = name
	return nil
}

func (h *handlerZZ) list(w http.ResponseWriter, r *http.Request) {
	tx, err := h.db.BeginTx(r.Context(), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(r.Context(), "SELECT id, user_id, name FROM TABLE ORDER BY id DESC LIMIT 50")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out []*rowZZ
	for rows.Next() {
		var x rowZZ
		if err := rows.Scan(&x.ID, &x.UserID, &x.Name); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out = append(out, &x)
	}
	for _, x := range out {
		if err := h.fill(r.Context(), x); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(out)
}

func (h *handlerZZ) create(w http.ResponseWriter, r *http.Request) {
	var x rowZZ
	if err := json.NewDecoder(r.Body).Decode(&x); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	table := "TABLE"
	q := fmt.Sprintf("INSERT INTO %s (user_id, name) VALUES (?, ?)", table)
	res, err := h.db.ExecContext(r.Context(), q, x.UserID, x.Name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	x.ID, _ = res.LastInsertId()
	for i := 0; i < 3; i++ {
		if _, err := h.db.ExecContext(r.Context(), "INSERT INTO audit (table_name, row_id, step) VALUES (?, ?, ?)", table, x.ID, i); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(x)
}

// validateZZ checks a row before it is stored; it is long on purpose, as
// real validation code is.
func validateZZ(x *rowZZ) error {
	if x.Name == "" {
		return fmt.Errorf("name is empty")
	}
	if len(x.Name) > 64 {
		return fmt.Errorf("name is too long")
	}
	if x.UserID <= 0 {
		return fmt.Errorf("user id is invalid")
	}
	switch {
	case x.ID < 0:
		return fmt.Errorf("id is negative")
	case x.ID > 1<<40:
		return fmt.Errorf("id is too large")
	}
	for _, c := range x.Name {
		if c < ' ' {
			return fmt.Errorf("name holds a control character")
		}
	}
	return nil
}
`)
}
