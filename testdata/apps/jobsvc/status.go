package main

import (
	"database/sql"
	"net/http"
	"regexp"
	"strconv"
)

// statusLogger receives a job's status changes.
type statusLogger interface {
	SetStatus(id int64, status string)
}

// runner records a job's status and tells the job about it.
type runner struct {
	db  *sql.DB
	job *localJob
}

// SetStatus saves the status and passes it on to the job: the job's
// SetStatus forwards to its logger's SetStatus, which may be this runner
// again, but that is a method handing work on to the value it holds, not a
// recursion over data: one UPDATE per status change, no N+1.
func (r *runner) SetStatus(id int64, status string) {
	r.db.Exec("UPDATE jobs SET status = ? WHERE id = ?", status, id)
	if r.job != nil {
		r.job.SetStatus(id, status)
	}
}

// localJob is a job run in this process; its logger is the runner.
type localJob struct{ logger statusLogger }

// SetStatus forwards to the logger.
func (j *localJob) SetStatus(id int64, status string) {
	j.logger.SetStatus(id, status)
}

// store is the database behind an interface, as apps with several
// backends have it.
type store interface {
	ApplyMigration(version int, statements []string) error
}

type sqlStore struct{ db *sql.DB }

// ApplyMigration runs one migration's statements: migration code runs once
// per process even when an interface call reaches it, so its loop is no N+1.
func (s sqlStore) ApplyMigration(version int, statements []string) error {
	for _, q := range statements {
		if _, err := s.db.Exec(q); err != nil {
			return err
		}
	}
	_, err := s.db.Exec("INSERT INTO schema_migrations (version) VALUES (?)", version)
	return err
}

// applyStoreMigrations applies the migrations through the store interface.
func applyStoreMigrations(st store) error {
	for _, m := range migrations {
		if err := st.ApplyMigration(m.version, []string{m.up}); err != nil {
			return err
		}
	}
	return nil
}

// setStatus is the route changing a job's status.
func (s *server) setStatus(w http.ResponseWriter, r *http.Request) {
	j := &localJob{}
	rn := &runner{db: s.db, job: j}
	j.logger = rn
	rn.SetStatus(1, r.FormValue("status"))
}

// placeholders finds the ? placeholders of a statement.
var placeholders = regexp.MustCompile(`\?`)

// rebind rewrites a statement's placeholders for the database in use.
func rebind(q string) string {
	n := 0
	return placeholders.ReplaceAllStringFunc(q, func(string) string {
		n++
		return "$" + strconv.Itoa(n)
	})
}

// purgeJob deletes a job's rows table by table: a loop over a literal
// list of statements runs each once, even when crudmap cannot read the
// statements rewritten for the database.
func (s *server) purgeJob(w http.ResponseWriter, r *http.Request) {
	statements := []string{
		"DELETE FROM job_items WHERE job_id = ?",
		"DELETE FROM job_logs WHERE job_id = ?",
		"DELETE FROM job_tags WHERE job_id = ?",
		"DELETE FROM job_runs WHERE job_id = ?",
		"DELETE FROM jobs WHERE id = ?",
	}
	for _, q := range statements {
		if _, err := s.db.Exec(rebind(q), r.PathValue("id")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
}
