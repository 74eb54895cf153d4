package main

import (
	"net/http"
	"time"
)

type notification struct {
	ID        int64
	Kind      string
	Actor     string
	PostID    *int64
	Post      string
	CreatedAt time.Time
}

// GET /api/notifications — L7, not an N+1: the loop only collects post ids;
// one IN query after the loop fetches them all.
func (s *server) listNotifications(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	rows, err := s.db.QueryContext(ctx, `
		SELECT n.id, n.kind, a.name, n.post_id, n.created_at
		FROM notifications n
		JOIN users a ON a.id = n.actor_id
		WHERE n.user_id = ?
		ORDER BY n.created_at DESC
		LIMIT 50`, me.ID)
	if err != nil {
		serverError(w, err)
		return
	}
	var ns []notification
	for rows.Next() {
		var n notification
		if err := rows.Scan(&n.ID, &n.Kind, &n.Actor, &n.PostID, &n.CreatedAt); err != nil {
			rows.Close()
			serverError(w, err)
			return
		}
		ns = append(ns, n)
	}
	rows.Close()

	var ids []any
	for _, n := range ns {
		if n.PostID != nil {
			ids = append(ids, *n.PostID)
		}
	}
	if len(ids) > 0 {
		// The IN list is built at run time ("?, ?, ?"): the statement is
		// partly dynamic, the table and the id predicate are known.
		prow, err := s.db.QueryContext(ctx, "SELECT id, body FROM posts WHERE id IN ("+placeholders(len(ids))+")", ids...)
		if err != nil {
			serverError(w, err)
			return
		}
		bodies := map[int64]string{}
		for prow.Next() {
			var id int64
			var body string
			if err := prow.Scan(&id, &body); err == nil {
				bodies[id] = body
			}
		}
		prow.Close()
		for i := range ns {
			if ns[i].PostID != nil {
				ns[i].Post = bodies[*ns[i].PostID]
			}
		}
	}
	writeJSON(w, http.StatusOK, ns)
}

// GET /api/notifications/summary — a loop over a constant three-element
// slice: three queries, always. Bounded, so a lower-severity N+1.
func (s *server) notificationSummary(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	out := map[string]int{}
	for _, kind := range []string{"like", "follow", "reply"} {
		var n int
		err := s.db.QueryRowContext(ctx, // want "n+1: SELECT notifications" "bounded loop"
			"SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = ? AND read_at IS NULL", me.ID, kind).Scan(&n)
		if err != nil {
			serverError(w, err)
			return
		}
		out[kind] = n
	}
	writeJSON(w, http.StatusOK, out)
}

// POST /api/notifications/read — the transaction writes only when there is
// something unread. A write on some branch is enough: no readonly-tx.
func (s *server) markNotificationsRead(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()
	var unread int
	if err := tx.QueryRowContext(ctx,
		"SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", me.ID).Scan(&unread); err != nil {
		serverError(w, err)
		return
	}
	if unread > 0 {
		if _, err := tx.ExecContext(ctx,
			"UPDATE notifications SET read_at = NOW() WHERE user_id = ? AND read_at IS NULL", me.ID); err != nil {
			serverError(w, err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"marked": unread})
}
