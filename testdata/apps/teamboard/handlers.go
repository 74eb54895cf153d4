package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gorilla/mux"
)

func healthz(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte("ok"))
}

func (a *app) login(w http.ResponseWriter, r *http.Request) {
	var id int64
	var hash string
	if err := a.db.QueryRowContext(r.Context(), "SELECT id, password_hash FROM users WHERE email = $1", r.FormValue("email")).Scan(&id, &hash); err != nil {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	c, _ := r.Cookie("sid")
	a.db.ExecContext(r.Context(), "UPDATE sessions SET user_id = $1 WHERE token = $2", id, c.Value)
}

func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	c, _ := r.Cookie("sid")
	a.db.ExecContext(r.Context(), "DELETE FROM sessions WHERE token = $1", c.Value)
}

type project struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (a *app) listProjects(w http.ResponseWriter, r *http.Request) {
	rows, err := a.db.QueryContext(r.Context(), "SELECT id, name FROM projects WHERE owner_id = $1", currentUser(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out []project
	for rows.Next() {
		var p project
		rows.Scan(&p.ID, &p.Name)
		out = append(out, p)
	}
	json.NewEncoder(w).Encode(out)
}

func (a *app) createProject(w http.ResponseWriter, r *http.Request) {
	var id int64
	if err := a.db.QueryRowContext(r.Context(), "INSERT INTO projects (owner_id, name) VALUES ($1, $2) RETURNING id", currentUser(r), r.FormValue("name")).Scan(&id); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	a.db.ExecContext(r.Context(), "INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)", id, currentUser(r))
	fmt.Fprint(w, id)
}

func (a *app) getProject(w http.ResponseWriter, r *http.Request) {
	var p project
	err := a.db.QueryRowContext(r.Context(), "SELECT id, name FROM projects WHERE id = $1", mux.Vars(r)["id"]).Scan(&p.ID, &p.Name)
	if err == sql.ErrNoRows {
		http.NotFound(w, r)
		return
	}
	json.NewEncoder(w).Encode(p)
}

func (a *app) listTasks(w http.ResponseWriter, r *http.Request) {
	rows, err := a.db.QueryContext(r.Context(), "SELECT id, title, done FROM tasks WHERE project_id = $1", mux.Vars(r)["id"])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	rows.Close()
}

func (a *app) createTask(w http.ResponseWriter, r *http.Request) {
	a.db.ExecContext(r.Context(), "INSERT INTO tasks (project_id, title) VALUES ($1, $2)", mux.Vars(r)["id"], r.FormValue("title"))
}

func (a *app) updateTask(w http.ResponseWriter, r *http.Request) {
	a.db.ExecContext(r.Context(), "UPDATE tasks SET done = $1 WHERE id = $2 AND project_id = $3", r.FormValue("done") == "1", mux.Vars(r)["taskID"], mux.Vars(r)["id"])
}

func (a *app) deleteUser(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	a.db.ExecContext(r.Context(), "DELETE FROM sessions WHERE user_id = $1", id)
	a.db.ExecContext(r.Context(), "DELETE FROM users WHERE id = $1", id)
}

// statsHandler is a handler type registered as a value.
type statsHandler struct {
	db *sql.DB
}

func (h *statsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var users, projects int
	h.db.QueryRowContext(r.Context(), "SELECT count(*) FROM users").Scan(&users)
	h.db.QueryRowContext(r.Context(), "SELECT count(*) FROM projects").Scan(&projects)
	fmt.Fprintf(w, "%d %d", users, projects)
}

func (a *app) countSessions(w http.ResponseWriter, r *http.Request) {
	var n int
	a.db.QueryRowContext(r.Context(), "SELECT count(*) FROM sessions").Scan(&n)
	fmt.Fprint(w, n)
}

func (a *app) countUsers(w http.ResponseWriter, r *http.Request) {
	var n int
	a.db.QueryRowContext(r.Context(), "SELECT count(*) FROM users").Scan(&n)
	fmt.Fprint(w, n)
}

func (a *app) taskMetrics(w http.ResponseWriter, r *http.Request) {
	var open int
	a.db.QueryRowContext(r.Context(), "SELECT count(*) FROM tasks WHERE done = false").Scan(&open) // want "unindexed: tasks.done"
	fmt.Fprintf(w, "tasks_open %d\n", open)
}

// preflight answers CORS preflight requests on every path.
func preflight(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
}
