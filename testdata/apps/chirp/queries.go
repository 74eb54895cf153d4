package main

// A hand-written stand-in for sqlc output: const SQL, one method per query,
// all running through the dbtx interface so the same code serves *sql.DB and
// *sql.Tx.

import (
	"context"
	"database/sql"
	"time"
)

// dbtx is satisfied by *sql.DB, *sql.Tx and *sql.Conn.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

var (
	_ dbtx = (*sql.DB)(nil)
	_ dbtx = (*sql.Tx)(nil)
	_ dbtx = (*sql.Conn)(nil)
)

// Querier is what handlers see of the queries layer (sqlc's emit_interface).
type Querier interface {
	GetUser(ctx context.Context, id int64) (User, error)
	GetUserByName(ctx context.Context, name string) (User, error)
	ListPostsByUser(ctx context.Context, userID int64, limit int) ([]Post, error)
	CountLikes(ctx context.Context, postID int64) (int, error)
	InsertPost(ctx context.Context, userID int64, body, visibility string) (int64, error)
	BumpPostCount(ctx context.Context, userID int64) error
}

type queries struct {
	db dbtx
}

var _ Querier = (*queries)(nil)

func newQueries(db dbtx) *queries { return &queries{db: db} }

// WithTx returns a copy of q that runs on tx.
func (q *queries) WithTx(tx *sql.Tx) *queries { return &queries{db: tx} }

type User struct {
	ID          int64
	Name        string
	DisplayName string
	Bio         sql.NullString
	CreatedAt   time.Time
}

type Post struct {
	ID         int64
	UserID     int64
	Body       string
	Visibility string
	LikeCount  int
	CreatedAt  time.Time

	Author   *User
	Tags     []string
	Images   []string
	Comments int
}

const getUser = `-- name: GetUser :one
SELECT id, name, display_name, bio, created_at
FROM users
WHERE id = ?
`

func (q *queries) GetUser(ctx context.Context, id int64) (User, error) {
	row := q.db.QueryRowContext(ctx, getUser, id) // want "n+1: SELECT users"
	var u User
	err := row.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Bio, &u.CreatedAt)
	return u, err
}

const getUserByName = `-- name: GetUserByName :one
SELECT id, name, display_name, bio, created_at FROM users WHERE name = ?`

func (q *queries) GetUserByName(ctx context.Context, name string) (User, error) {
	var u User
	err := q.db.QueryRowContext(ctx, getUserByName, name).Scan(&u.ID, &u.Name, &u.DisplayName, &u.Bio, &u.CreatedAt)
	return u, err
}

// Served by idx_user_created (user_id, created_at): equality on the leading
// column, ORDER BY on the second.
const listPostsByUser = `-- name: ListPostsByUser :many
SELECT id, user_id, body, visibility, like_count, created_at
FROM posts
WHERE user_id = ?
ORDER BY created_at DESC
LIMIT ?
`

func (q *queries) ListPostsByUser(ctx context.Context, userID int64, limit int) ([]Post, error) {
	rows, err := q.db.QueryContext(ctx, listPostsByUser, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []Post
	for rows.Next() {
		var p Post
		if err := rows.Scan(&p.ID, &p.UserID, &p.Body, &p.Visibility, &p.LikeCount, &p.CreatedAt); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

const countLikes = `-- name: CountLikes :one
SELECT COUNT(*) FROM likes WHERE post_id = ?`

func (q *queries) CountLikes(ctx context.Context, postID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, countLikes, postID).Scan(&n) // want "n+1: SELECT likes"
	return n, err
}

const insertPost = `-- name: InsertPost :execlastid
INSERT INTO posts (user_id, body, visibility) VALUES (?, ?, ?)`

func (q *queries) InsertPost(ctx context.Context, userID int64, body, visibility string) (int64, error) {
	res, err := q.db.ExecContext(ctx, insertPost, userID, body, visibility)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// ON DUPLICATE KEY UPDATE: an insert and an update of user_stats.
const bumpPostCount = `-- name: BumpPostCount :exec
INSERT INTO user_stats (user_id, post_count) VALUES (?, 1)
ON DUPLICATE KEY UPDATE post_count = post_count + 1`

func (q *queries) BumpPostCount(ctx context.Context, userID int64) error {
	_, err := q.db.ExecContext(ctx, bumpPostCount, userID)
	return err
}
