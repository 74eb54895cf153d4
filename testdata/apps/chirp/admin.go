package main

// The admin API is a separate chi router, built here and mounted by
// (*server).routes at /admin: every path below gets the /admin prefix, and
// every route gets sessionAuth's sessions:R and users:R.

import (
	"context"
	"database/sql"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
)

type adminAPI struct {
	db *sql.DB
}

func adminRouter(db *sql.DB) http.Handler {
	a := &adminAPI{db: db}
	r := chi.NewRouter()
	r.Use(sessionAuth(db))
	r.Get("/", a.dashboard)            // want "route: GET /admin/ posts:R sessions:R users:R"
	r.Get("/users", a.listUsers)       // want "route: GET /admin/users images:R sessions:R users:R"
	r.Get("/users/{id}", a.userDetail) // want "route: GET /admin/users/{id} sessions:R users:R"
	// requireAdmin wraps this one handler only: admins:R on this route alone.
	r.Delete("/users/{id}", requireAdmin(a.banUser)) // want "route: DELETE /admin/users/{id} admins:R audit_logs:C posts:U sessions:RD users:R"
	r.Get("/posts/reported", a.reportedPosts)        // want "route: GET /admin/posts/reported posts:R sessions:R users:R"
	r.Get("/audit", a.auditLog)                      // want "route: GET /admin/audit audit_logs:R sessions:R users:R"
	return r
}

// GET /admin/
func (a *adminAPI) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	// No index leads with users.created_at: ORDER BY ... LIMIT sorts the
	// whole table to return 20 rows.
	rows, err := a.db.QueryContext(ctx, "SELECT id, name, created_at FROM users ORDER BY created_at DESC LIMIT 20") // want "unindexed: users.created_at"
	if err != nil {
		serverError(w, err)
		return
	}
	type signup struct {
		ID   int64
		Name string
		At   time.Time
	}
	var signups []signup
	for rows.Next() {
		var s signup
		if err := rows.Scan(&s.ID, &s.Name, &s.At); err == nil {
			signups = append(signups, s)
		}
	}
	rows.Close()

	// Subquery in FROM, judged on its own WHERE: the created_at range is
	// served by idx_created.
	var active int
	if err := a.db.QueryRowContext(ctx, `
		SELECT COUNT(*) FROM (
			SELECT user_id FROM posts WHERE created_at >= ? GROUP BY user_id
		) AS active_users`, time.Now().Add(-24*time.Hour)).Scan(&active); err != nil {
		serverError(w, err)
		return
	}
	// EXISTS: posts is served by idx_user_created through the correlated
	// user_id; users has no predicate of its own (a deliberate count of all
	// users): no finding.
	var posters int
	if err := a.db.QueryRowContext(ctx, `
		SELECT COUNT(*) FROM users u
		WHERE EXISTS (SELECT 1 FROM posts p WHERE p.user_id = u.id)`).Scan(&posters); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"signups": signups, "active": active, "posters": posters})
}

// GET /admin/users?from=&to= — LEFT JOIN: users (left) is served by the
// BETWEEN on its primary key; images (right) is reached through its ON column
// user_id, which no index leads.
func (a *adminAPI) listUsers(w http.ResponseWriter, r *http.Request) {
	rows, err := a.db.QueryContext(r.Context(), // want "unindexed: images.user_id"
		`SELECT u.id, u.name, i.path
		FROM users u
		LEFT JOIN images i ON i.user_id = u.id
		WHERE u.id BETWEEN ? AND ?
		ORDER BY u.id`, r.URL.Query().Get("from"), r.URL.Query().Get("to"))
	if err != nil {
		serverError(w, err)
		return
	}
	defer rows.Close()
	type row struct {
		ID     int64
		Name   string
		Upload sql.NullString
	}
	var out []row
	for rows.Next() {
		var x row
		if err := rows.Scan(&x.ID, &x.Name, &x.Upload); err == nil {
			out = append(out, x)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /admin/users/{id} — last_login_at was dropped from the schema; the
// query was not updated.
func (a *adminAPI) userDetail(w http.ResponseWriter, r *http.Request) {
	id, _ := idParam(r, "id")
	var name, email string
	var lastLogin sql.NullTime
	row := a.db.QueryRowContext(r.Context(), "SELECT u.name, u.email, u.last_login_at FROM users u WHERE u.id = ?", id) // want "schema: unknown column users.last_login_at"
	err := row.Scan(&name, &email, &lastLogin)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": name, "email": email, "last_login_at": lastLogin})
}

// DELETE /admin/users/{id} — T2 with writes: the tx goes to applyBan and on
// to revokeSessions/hidePosts as a dbtx, and they write: no readonly-tx.
func (a *adminAPI) banUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	admin := currentUser(ctx)
	target, ok := idParam(r, "id")
	if !ok {
		http.NotFound(w, r)
		return
	}
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()
	if err := applyBan(ctx, tx, admin.ID, target); err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func applyBan(ctx context.Context, db dbtx, adminID, target int64) error {
	if err := revokeSessions(ctx, db, target); err != nil {
		return err
	}
	if err := hidePosts(ctx, db, target); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx,
		"INSERT INTO audit_logs (actor_id, action, target_id) VALUES (?, 'ban', ?)", adminID, target)
	return err
}

func revokeSessions(ctx context.Context, db dbtx, userID int64) error {
	_, err := db.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID) // served by idx_user
	return err
}

func hidePosts(ctx context.Context, db dbtx, userID int64) error {
	_, err := db.ExecContext(ctx, "UPDATE posts SET visibility = 'private' WHERE user_id = ?", userID)
	return err
}

// GET /admin/posts/reported?visibility= — LEFT JOIN: posts is read first and
// its only WHERE column (visibility) has no index; its ON column would not
// help a left table. users on the right is served by its primary key.
func (a *adminAPI) reportedPosts(w http.ResponseWriter, r *http.Request) {
	rows, err := a.db.QueryContext(r.Context(), // want "unindexed: posts.visibility"
		`SELECT p.id, p.body, u.name
		FROM posts p
		LEFT JOIN users u ON u.id = p.user_id
		WHERE p.visibility = ?
		LIMIT 100`, r.URL.Query().Get("visibility"))
	if err != nil {
		serverError(w, err)
		return
	}
	defer rows.Close()
	writeRows(w, rows)
}

// GET /admin/audit — T4: a READ ONLY transaction asks for one consistent
// snapshot of the two reads. Info only: drop it unless the count must
// match the page.
func (a *adminAPI) auditLog(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tx, err := a.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // want "readonly-tx: read-only transaction"
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()
	// ORDER BY id LIMIT: the primary key gives the order; no finding.
	rows, err := tx.QueryContext(ctx, "SELECT id, actor_id, action, target_id FROM audit_logs ORDER BY id DESC LIMIT 100")
	if err != nil {
		serverError(w, err)
		return
	}
	type entry struct {
		ID, Actor, Target int64
		Action            string
	}
	var es []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.ID, &e.Actor, &e.Action, &e.Target); err == nil {
			es = append(es, e)
		}
	}
	rows.Close()
	var bans int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_logs WHERE action = ?", "ban").Scan(&bans); err != nil { // want "unindexed: audit_logs.action"
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": es, "bans": bans})
}
