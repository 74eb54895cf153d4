module chirp

go 1.23.12

require (
	github.com/go-chi/chi/v5 v5.2.1
	github.com/go-sql-driver/mysql v1.8.1
	golang.org/x/sync v0.10.0
)

require filippo.io/edwards25519 v1.1.1 // indirect
