// Package graph is crudmap's model of an analysed application: its HTTP
// routes, the SQL queries each route can run, the tables those queries touch,
// the call edges between them and the findings (N+1 queries, unindexed
// predicates, read-only transactions, ...).
//
// The analyzer builds a Report; every renderer reads it and never recomputes
// a fact. The exported fields with JSON tags are the output protocol
// (schema_version 1): fields may be added, none is removed or renamed.
package graph

import (
	"slices"
	"strconv"
	"strings"
)

// SchemaVersion is the version of the JSON output protocol.
const SchemaVersion = 1

// Op is a table operation.
type Op string

// The operations, in the order reports list them.
const (
	Select Op = "SELECT"
	Insert Op = "INSERT"
	Update Op = "UPDATE"
	Delete Op = "DELETE"
	Other  Op = "OTHER" // a statement that is not CRUD: SET, TRUNCATE, DDL
)

// Ops lists every operation in report order.
var Ops = []Op{Select, Insert, Update, Delete, Other}

// Letter is the CRUD matrix letter of op: C, R, U, D or O.
func (op Op) Letter() string {
	switch op {
	case Insert:
		return "C"
	case Select:
		return "R"
	case Update:
		return "U"
	case Delete:
		return "D"
	}
	return "O"
}

// Rank orders operations as the CRUD matrix does: C, R, U, D, O.
func (op Op) Rank() int {
	switch op {
	case Insert:
		return 0
	case Select:
		return 1
	case Update:
		return 2
	case Delete:
		return 3
	}
	return 4
}

// Severity of a finding.
type Severity string

// The severities, from the most to the least serious.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case Error:
		return 3
	case Warning:
		return 2
	case Info:
		return 1
	}
	return 0
}

// Finding kinds.
const (
	KindNPlusOne   = "n+1"
	KindUnindexed  = "unindexed"
	KindReadOnlyTx = "readonly-tx"
	KindSchema     = "schema"
	KindSQLError   = "sql-error"
	KindIgnore     = "ignore" // a malformed or unused suppression comment
)

// Report is everything crudmap learned about one module.
type Report struct {
	SchemaVersion int        `json:"schema_version"`
	Module        string     `json:"module"`
	Routes        []*Route   `json:"routes"`
	Queries       []*Query   `json:"queries"`
	Findings      []*Finding `json:"findings"`
	// Tables lists every table that a query or the schema names, sorted by name.
	Tables []*Table `json:"tables"`
	// Functions and Edges form the call graph from routes through functions
	// to tables, restricted to the paths that reach a query.
	Functions []*Function `json:"functions"`
	Edges     []*Edge     `json:"edges"`
	// SchemaFiles are the schema files read, relative to the module root.
	SchemaFiles []string `json:"schema_files"`
	// Notes are one-line remarks about the run: skipped schema statements,
	// packages that did not type-check, a skipped index check.
	Notes []string `json:"notes"`
	// Warnings say that the analysis is hollow, the map incomplete: most
	// packages did not load or type-check, or no route reaches the queries
	// found. Reports show them with the summary; -fail-on counts them as
	// errors.
	Warnings []string `json:"warnings,omitempty"`
	// Traffic sums up the logs joined with the map (-slowlog, -accesslog);
	// nil without logs.
	Traffic *Traffic `json:"traffic,omitempty"`
	// Unmatched are the logged statements no query site can send (SQL built
	// at run time, other programs), the costliest first.
	Unmatched []*Unmatched `json:"unmatched,omitempty"`
	// UnknownSQL counts the query sites whose SQL text crudmap could not
	// read at all, and says why; nil when every site has some text.
	UnknownSQL *UnknownSQL `json:"unknown_sql,omitempty"`
}

// UnknownSQL is how many query sites have no known SQL text, and the
// commonest reasons.
type UnknownSQL struct {
	Sites int `json:"sites"`
	// Causes are the reasons, the most frequent first (at most five).
	Causes []*Cause `json:"causes"`
}

// Cause is one reason SQL text stayed unknown, and at how many sites.
type Cause struct {
	Cause string `json:"cause"`
	Sites int    `json:"sites"`
}

// Route is one HTTP route and what it can do to the database.
type Route struct {
	Method string `json:"method"` // GET, POST, ..., or ANY
	Path   string `json:"path"`
	// Handler is the handler's function name: Func, Type.Method, or
	// Enclosing.funcN for a closure; qualified by package outside main.
	Handler string `json:"handler"`
	// Pos is the position of the call that registered the route.
	Pos string `json:"pos"`
	// Middleware names the module functions that wrap the handler.
	Middleware []string `json:"middleware,omitempty"`
	// Tables lists each table the route can touch, sorted by name.
	Tables []*TableOps `json:"tables"`
	// Queries lists the ids of the queries the route can run.
	Queries []string `json:"queries"`

	// Measured in an access log (-accesslog); times in seconds.
	Requests  int64   `json:"requests,omitempty"`
	TotalTime float64 `json:"total_time,omitempty"`
	MeanTime  float64 `json:"mean_time,omitempty"`
	P99Time   float64 `json:"p99_time,omitempty"`
	// StatementsPerRequest is the logged statements the route's queries
	// sent, per request; a statement several routes send is counted in
	// proportion to their requests. Far above 1 is an N+1.
	StatementsPerRequest float64 `json:"statements_per_request,omitempty"`
}

// Key is "METHOD path", the route's name in reports.
func (r *Route) Key() string { return r.Method + " " + r.Path }

// TableOps is a table and the operations a route performs on it.
type TableOps struct {
	Table string `json:"table"`
	Ops   []Op   `json:"ops"`
	// LoopOps are the operations that run once per loop iteration (N+1).
	LoopOps []Op `json:"loop_ops,omitempty"`
}

// Query is one SQL statement at one call site. A call site whose SQL text
// differs per branch yields one Query per variant, all at the same Pos.
type Query struct {
	ID  string `json:"id"`
	Pos string `json:"pos"`
	// Func is the function that contains the database call.
	Func string `json:"func"`
	SQL  string `json:"sql"`
	// Dynamic is true when part of the SQL text is computed at run time;
	// SQL then holds what is known, with ? for the unknown parts.
	Dynamic bool      `json:"dynamic"`
	Ops     []TableOp `json:"ops"`
	// Kind is the statement kind: SELECT, INSERT, REPLACE, SET, TRUNCATE, ...
	Kind string `json:"kind,omitempty"`
	// Error is the SQL parser's message when it rejected the text.
	Error string `json:"error"`
	// Method is the database method called, e.g. "sqlx.DB.GetContext".
	Method string `json:"method,omitempty"`
	// Tx is the position of the Begin call when the query runs in a transaction.
	Tx string `json:"tx,omitempty"`

	// Measured in a statement log (-slowlog): the calls and time (seconds)
	// of the logged statements that match the query, their rows, and their
	// share of all logged DB time. When SharedWith names other queries
	// with the same normalised SQL, the figures are for all of them.
	Calls        int64    `json:"calls,omitempty"`
	TotalTime    float64  `json:"total_time,omitempty"`
	MeanTime     float64  `json:"mean_time,omitempty"`
	RowsExamined int64    `json:"rows_examined,omitempty"`
	RowsSent     int64    `json:"rows_sent,omitempty"`
	DBTimeShare  float64  `json:"db_time_share,omitempty"`
	SharedWith   []string `json:"shared_with,omitempty"`
}

// TableOp is one table touched by a query, with the operation.
type TableOp struct {
	Table string `json:"table"`
	Op    Op     `json:"op"`
}

// Finding is one problem crudmap reports. Fields after Route are set only
// for the kinds that use them.
type Finding struct {
	Kind     string   `json:"kind"`
	Severity Severity `json:"severity"`
	Pos      string   `json:"pos"`
	Message  string   `json:"message"`
	Route    string   `json:"route,omitempty"`
	// Routes are all the routes that run the code at Pos, when some do;
	// Route is set too when there is only one.
	Routes []string `json:"routes,omitempty"`
	// Fix is a one-line hint on how to fix the problem.
	Fix string `json:"fix,omitempty"`

	// n+1
	Loop    string `json:"loop,omitempty"`     // position of the loop
	Query   string `json:"query,omitempty"`    // position of the query
	QueryID string `json:"query_id,omitempty"` // id of the query
	Table   string `json:"table,omitempty"`
	Op      Op     `json:"op,omitempty"` // the operation on Table
	// Operation names every operation and table of the query:
	// "SELECT posts, users" or "INSERT logs; UPDATE logs".
	Operation string   `json:"operation,omitempty"`
	Path      []string `json:"path,omitempty"` // functions from the loop's to the query's
	Depth     int      `json:"depth,omitempty"`

	// unindexed
	Columns    []string `json:"columns,omitempty"`
	Suggestion string   `json:"suggestion,omitempty"` // DDL that adds the missing index

	// readonly-tx
	Begin  string   `json:"begin,omitempty"`
	Reads  int      `json:"reads,omitempty"`
	Tables []string `json:"tables,omitempty"`

	// Func is the function containing Pos, used to match baselines.
	Func string `json:"func,omitempty"`
	// SQL is the normalised SQL of the query, used to match baselines.
	SQL string `json:"sql,omitempty"`

	// Measured in a statement log (-slowlog): the calls of the finding's
	// query and its share (0 to 1) of all logged DB time.
	Calls       int64   `json:"calls,omitempty"`
	DBTimeShare float64 `json:"db_time_share,omitempty"`
}

// Traffic sums up the logs crudmap read: the statements and their DB time
// (seconds), the share matched to a query site, and the requests.
type Traffic struct {
	Files      []string `json:"files"`
	Statements int64    `json:"statements"`
	DBTime     float64  `json:"db_time"`
	// Matched is the share (0 to 1) of logged statements a query site sends.
	Matched  float64 `json:"matched"`
	Requests int64   `json:"requests,omitempty"`
	// Top are the ids of the queries that cost the most DB time, the
	// costliest first (at most ten).
	Top []string `json:"top,omitempty"`
}

// Unmatched is a logged statement no query site sends, with its cost.
type Unmatched struct {
	SQL       string  `json:"sql"`
	Calls     int64   `json:"calls"`
	TotalTime float64 `json:"total_time"`
}

// Table is a table named by the schema or by a query.
type Table struct {
	Name string `json:"name"`
	// InSchema is true when a schema file defines the table.
	InSchema bool     `json:"in_schema"`
	File     string   `json:"file,omitempty"` // schema file defining it
	Columns  []string `json:"columns,omitempty"`
	Indexes  []*Index `json:"indexes,omitempty"`
	// CacheCandidate is true when routes read the table and no route
	// (other than initialize) writes it.
	CacheCandidate bool `json:"cache_candidate"`
}

// Index is one index of a table, columns in key order.
type Index struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Primary bool     `json:"primary,omitempty"`
	Unique  bool     `json:"unique,omitempty"`
	// Kind is "" for a B-tree index, or FULLTEXT / SPATIAL.
	Kind string `json:"kind,omitempty"`
}

// Function is a function of the module on a path from a route to a query.
type Function struct {
	ID   string `json:"id"` // the function's name, as in Route.Handler
	Pos  string `json:"pos"`
	Kind string `json:"kind,omitempty"` // "handler", "middleware" or ""
}

// Edge is a call from a route or function to a function, or a query's
// operation on a table. Node ids are "route:METHOD path", "func:NAME" and
// "table:NAME".
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Op is "" for a call, else the table operation.
	Op Op `json:"op,omitempty"`
	// Loop is true when the call or query runs once per loop iteration.
	Loop bool   `json:"loop,omitempty"`
	Pos  string `json:"pos,omitempty"`
}

// QueriesByID indexes the report's queries by id.
func (r *Report) QueriesByID() map[string]*Query {
	m := make(map[string]*Query, len(r.Queries))
	for _, q := range r.Queries {
		m[q.ID] = q
	}
	return m
}

// RouteQuery names a query as run by a route.
type RouteQuery struct{ Route, QueryID string }

// NPlusOneLoops gives, per route and query, the positions of the loops
// that repeat the query, from the n+1 findings.
func (r *Report) NPlusOneLoops() map[RouteQuery][]string {
	m := make(map[RouteQuery][]string)
	for _, f := range r.Findings {
		if f.Kind != KindNPlusOne || f.QueryID == "" {
			continue
		}
		routes := f.Routes
		if len(routes) == 0 {
			routes = []string{f.Route}
		}
		for _, rt := range routes {
			k := RouteQuery{rt, f.QueryID}
			if !slices.Contains(m[k], f.Loop) {
				m[k] = append(m[k], f.Loop)
			}
		}
	}
	return m
}

// SplitPos splits a "file:line:col" position (the column, or both numbers,
// may be missing) into its parts; missing numbers are 0.
func SplitPos(pos string) (file string, line, col int) {
	file = pos
	var nums []int
	for len(nums) < 2 {
		i := strings.LastIndexByte(file, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(file[i+1:])
		if err != nil || n <= 0 {
			break
		}
		nums = append(nums, n)
		file = file[:i]
	}
	switch len(nums) {
	case 1:
		line = nums[0]
	case 2:
		line, col = nums[1], nums[0]
	}
	return file, line, col
}

// ComparePos orders positions by file, then line and column numerically.
func ComparePos(a, b string) int {
	fa, la, ca := SplitPos(a)
	fb, lb, cb := SplitPos(b)
	switch {
	case fa != fb:
		return strings.Compare(fa, fb)
	case la != lb:
		return la - lb
	}
	return ca - cb
}
