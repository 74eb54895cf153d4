package main

import (
	"net/http"
)

// GET /initialize — the benchmarker's reset. The statements are a literal
// slice and each one runs once: the loop walks statements, not rows, so it
// is not an N+1. The last UPDATE bans every 50th user with a predicate on
// id % 50: an expression around the column, which the primary key cannot
// serve (a full scan of users, acceptable once per run, but a real
// unusable-index predicate).
func getInitialize(w http.ResponseWriter, r *http.Request) {
	sqls := []string{
		"DELETE FROM users WHERE id > 1000",
		"DELETE FROM posts WHERE id > 10000",
		"DELETE FROM comments WHERE id > 100000",
		"DELETE FROM likes WHERE post_id > 10000",
		"DELETE FROM sessions",
		"UPDATE users SET del_flg = 0",
		"UPDATE users SET del_flg = 1 WHERE id % 50 = 0",
	}

	for _, sql := range sqls {
		if _, err := db.Exec(sql); err != nil { // want "unindexed: users.id"
			serverError(w, err)
			return
		}
	}

	w.WriteHeader(http.StatusOK)
}

// GET /admin/banned (behind requireAdmin) — every ordinary, live user.
// authority and del_flg have no index: the filter reads the whole table.
func getAdminBanned(w http.ResponseWriter, r *http.Request) {
	me := currentUser(r)

	users := []User{}
	err := db.Select(&users, "SELECT * FROM `users` WHERE `authority` = 0 AND `del_flg` = 0 ORDER BY `created_at` DESC") // want "unindexed: users.authority, users.del_flg"
	if err != nil {
		serverError(w, err)
		return
	}

	render(w, "banned", map[string]any{"Users": users, "Me": me, "CSRFToken": me.CSRFToken})
}

// POST /admin/banned (behind requireAdmin) — one UPDATE per checked user,
// inside a transaction that writes (no read-only finding), but still one
// round trip per id: an N+1 of UPDATEs (one UPDATE ... WHERE id IN (?)
// would do).
func postAdminBanned(w http.ResponseWriter, r *http.Request) {
	me := currentUser(r)
	if r.FormValue("csrf_token") != me.CSRFToken {
		w.WriteHeader(http.StatusUnprocessableEntity)
		return
	}

	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}

	tx, err := db.Begin()
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()

	query := "UPDATE `users` SET `del_flg` = ? WHERE `id` = ?"
	for _, id := range r.Form["uid[]"] {
		if _, err := tx.Exec(query, 1, id); err != nil { // want "n+1: UPDATE users"
			serverError(w, err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}

	http.Redirect(w, r, "/admin/banned", http.StatusFound)
}
