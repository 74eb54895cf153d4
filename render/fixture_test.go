package render

import "github.com/crudmap/crudmap/graph"

// fixtureReport is a small hand-made report for the renderers' unit tests.
// Its names and SQL carry characters that every format must escape.
func fixtureReport() *graph.Report {
	return &graph.Report{
		SchemaVersion: graph.SchemaVersion,
		Module:        "example.com/shop",
		Routes: []*graph.Route{
			{
				Method: "GET", Path: "/api/items/:id", Handler: "getItem", Pos: "main.go:40:2",
				Middleware: []string{"authMiddleware.func1"},
				Tables: []*graph.TableOps{
					{Table: "items", Ops: []graph.Op{graph.Select}},
					{Table: "sessions", Ops: []graph.Op{graph.Select}},
					{Table: "users", Ops: []graph.Op{graph.Select}, LoopOps: []graph.Op{graph.Select}},
				},
				Queries: []string{"q1", "q2", "q3"},
			},
			{
				Method: "POST", Path: "/api/items", Handler: "Handler.postItem", Pos: "main.go:41:2",
				Tables: []*graph.TableOps{
					{Table: "items", Ops: []graph.Op{graph.Insert, graph.Update}},
				},
				Queries: []string{"q4"},
			},
			{Method: "GET", Path: "/<script>alert(1)</script>", Handler: "xss.func1", Pos: "xss.go:9:2"},
		},
		Queries: []*graph.Query{
			{ID: "q1", Pos: "auth.go:12:9", Func: "authMiddleware.func1", SQL: "SELECT * FROM sessions WHERE token = ?",
				Ops: []graph.TableOp{{Table: "sessions", Op: graph.Select}}, Kind: "SELECT", Method: "sqlx.DB.Get"},
			{ID: "q2", Pos: "item.go:20:9", Func: "getItem", SQL: "SELECT * FROM items WHERE id = ? AND note <> '<script>'",
				Ops: []graph.TableOp{{Table: "items", Op: graph.Select}}, Kind: "SELECT", Method: "sqlx.DB.Get"},
			{ID: "q3", Pos: "item.go:60:10", Func: "fillUser", SQL: "SELECT * FROM users WHERE id = ?",
				Ops: []graph.TableOp{{Table: "users", Op: graph.Select}}, Kind: "SELECT", Method: "sqlx.DB.Get"},
			{ID: "q4", Pos: "item.go:80:12", Func: "Handler.postItem", Tx: "item.go:75:12",
				SQL: "INSERT INTO items (name) VALUES (?) ON DUPLICATE KEY UPDATE name = VALUES(name)",
				Ops: []graph.TableOp{{Table: "items", Op: graph.Insert}, {Table: "items", Op: graph.Update}}, Kind: "INSERT", Method: "sqlx.Tx.Exec"},
		},
		Findings: []*graph.Finding{
			{Kind: graph.KindNPlusOne, Severity: graph.Warning, Pos: "item.go:60:10", Route: "GET /api/items/:id",
				Message: "SELECT users runs once per iteration of the loop at item.go:30:2 (via fillItems → fillUser)",
				Fix:     "collect the ids and fetch users once with WHERE id IN (?) (sqlx.In)",
				Loop:    "item.go:30:2", Query: "item.go:60:10", QueryID: "q3", Table: "users", Op: graph.Select,
				Path: []string{"getItem", "fillItems", "fillUser"}, Depth: 1, Func: "fillUser", SQL: "SELECT * FROM users WHERE id = ?"},
			{Kind: graph.KindUnindexed, Severity: graph.Warning, Pos: "auth.go:12:9", Route: "GET /api/items/:id",
				Message: "sessions.token has no index (WHERE token = ?)",
				Fix:     "add the index",
				Table:   "sessions", Columns: []string{"token"}, QueryID: "q1",
				Suggestion: "ALTER TABLE sessions ADD INDEX idx_sessions_token (token);", Func: "authMiddleware.func1", SQL: "SELECT * FROM sessions WHERE token = ?"},
			{Kind: graph.KindReadOnlyTx, Severity: graph.Warning, Pos: "item.go:15:12", Route: "GET /api/items/:id",
				Message: "transaction only reads (2 SELECTs on items, users)",
				Fix:     "run the reads on the DB handle and drop BEGIN/COMMIT, or keep it only if the reads need one snapshot",
				Begin:   "item.go:15:12", Reads: 2, Tables: []string{"items", "users"}, Func: "getItem"},
		},
		Tables: []*graph.Table{
			{Name: "items", InSchema: true, File: "schema.sql", Columns: []string{"id", "name", "note"},
				Indexes: []*graph.Index{{Name: "PRIMARY", Columns: []string{"id"}, Primary: true, Unique: true}}},
			{Name: "sessions", InSchema: true, File: "schema.sql", Columns: []string{"id", "token", "user_id"},
				Indexes: []*graph.Index{{Name: "PRIMARY", Columns: []string{"id"}, Primary: true, Unique: true}}, CacheCandidate: true},
			{Name: "users", InSchema: true, File: "schema.sql", Columns: []string{"id", "name"},
				Indexes: []*graph.Index{{Name: "PRIMARY", Columns: []string{"id"}, Primary: true, Unique: true}}, CacheCandidate: true},
		},
		Functions: []*graph.Function{
			{ID: "authMiddleware.func1", Pos: "auth.go:10:9", Kind: "middleware"},
			{ID: "getItem", Pos: "item.go:18:1", Kind: "handler"},
			{ID: "fillItems", Pos: "item.go:28:1"},
			{ID: "fillUser", Pos: "item.go:58:1"},
			{ID: "Handler.postItem", Pos: "item.go:70:1", Kind: "handler"},
			{ID: "xss.func1", Pos: "xss.go:9:20", Kind: "handler"},
		},
		Edges: []*graph.Edge{
			{From: "route:GET /api/items/:id", To: "func:authMiddleware.func1"},
			{From: "route:GET /api/items/:id", To: "func:getItem"},
			{From: "func:authMiddleware.func1", To: "table:sessions", Op: graph.Select, Pos: "auth.go:12:9"},
			{From: "func:getItem", To: "table:items", Op: graph.Select, Pos: "item.go:20:9"},
			{From: "func:getItem", To: "func:fillItems", Pos: "item.go:22:2"},
			{From: "func:fillItems", To: "func:fillUser", Loop: true, Pos: "item.go:31:3"},
			{From: "func:fillUser", To: "table:users", Op: graph.Select, Pos: "item.go:60:10"},
			{From: "route:POST /api/items", To: "func:Handler.postItem"},
			{From: "func:Handler.postItem", To: "table:items", Op: graph.Insert, Pos: "item.go:80:12"},
			{From: "func:Handler.postItem", To: "table:items", Op: graph.Update, Pos: "item.go:80:12"},
			{From: "route:GET /<script>alert(1)</script>", To: "func:xss.func1"},
		},
		SchemaFiles: []string{"schema.sql"},
		Notes:       []string{"schema.sql:40: skipped a statement the parser rejects: line 1 column 5 near \"FOO\""},
	}
}
