module github.com/isucon-sample/isupost

go 1.23

require (
	github.com/go-chi/chi/v5 v5.2.1
	github.com/go-sql-driver/mysql v1.8.1
	github.com/jmoiron/sqlx v1.4.0
)

require filippo.io/edwards25519 v1.1.0 // indirect
