package analyzer

import (
	"fmt"

	"github.com/crudmap/crudmap/graph"
	"golang.org/x/tools/go/ssa"
)

// Config says what to analyse.
type Config struct {
	// Dir is the directory patterns are resolved in (default ".").
	Dir string
	// Patterns are go/packages patterns (default ".").
	Patterns []string
	// Schema lists schema files or globs; when empty, crudmap looks for
	// *.sql files holding CREATE TABLE near the module.
	Schema []string
	// Progress, when set, is told each stage as it starts, and "" at the end.
	Progress func(stage string)
}

// Run analyses the module in cfg.Dir and returns its report. It fails only
// when nothing useful can be produced (no module, no package loads);
// lesser problems become notes in the report. Once the code is loaded, the
// collector's target (GOGC) is halved until Run returns (see tightenGC).
func Run(cfg Config) (report *graph.Report, err error) {
	defer func() {
		// A bug of crudmap's must not look like a crash of the user's code.
		if p := recover(); p != nil {
			report, err = nil, fmt.Errorf("internal error while analysing %s: %v (please report it with the code that caused it)", cfg.Dir, p)
		}
	}()
	progress := cfg.Progress
	if progress == nil {
		progress = func(string) {}
	}
	if cfg.Dir == "" {
		cfg.Dir = "."
	}
	progress("loading packages")
	p, err := load(cfg.Dir, cfg.Patterns, false)
	if err != nil {
		progress("")
		return nil, err
	}
	p.build()
	defer tightenGC()()
	// The databases the code opens and the schema its Go code creates are
	// read from the syntax, then the schema files, while routes are found.
	var app *appSchema
	appRead := make(chan struct{})
	schema := make(chan appSchemaRead, 1)
	go func() {
		app = newAppSchema(p)
		close(appRead)
		schema <- readAppSchema(p.root, cfg.Schema, app)
	}()
	progress("indexing")
	ix := newIndex(p)
	r := &resolver{ix: ix, db: findDBTypes(typesOf(p)), origins: map[string]*origin{}, routers: map[string]*router{}, frames: map[string]*frame{}, frameCount: map[*ssa.Function]int{}, storedMemo: map[any]storedValue{}, returns: map[returnKey]storedValue{}}
	w := newWalker(r)
	progress("finding routes")
	routes := w.findRoutes()
	progress("following calls")
	<-appRead
	a := &analysis{w: w, routes: routes, app: app}
	a.walkRoutes()
	a.handlerEntries()
	a.walkRest()
	progress("reading SQL and schema")
	a.parseSites()
	sr := a.withRunDDL(p.root, <-schema)
	a.schema, a.schemaFs, a.notes = sr.schema, sr.files, append(a.notes, sr.notes...)
	report = a.report()
	report.Warnings = append(hollowWarnings(p, report), schemaWarnings(cfg.Schema, sr)...)
	report.Notes = append(report.Notes, commandsHint(p, cfg.Patterns, report)...)
	progress("")
	return report, nil
}
