-- name: GetUserByEmail :one
SELECT id, email, password_hash, name, role, created_at FROM users
WHERE email = $1;

-- name: GetUser :one
SELECT id, email, password_hash, name, role, created_at FROM users
WHERE id = $1;

-- name: CreateSession :one
INSERT INTO sessions (user_id, user_agent, expires_at)
VALUES ($1, $2, $3)
RETURNING token;

-- name: GetSessionUser :one
SELECT u.id, u.email, u.name, u.role
FROM sessions s
JOIN users u ON u.id = s.user_id
WHERE s.token = $1 AND s.expires_at > now();

-- name: DeleteSession :exec
DELETE FROM sessions WHERE token = $1;

-- name: DeleteUserSessions :execrows
-- Signs a user out everywhere.
DELETE FROM sessions WHERE user_id = $1;
