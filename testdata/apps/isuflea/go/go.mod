module github.com/isucon/isuflea/go

go 1.26.0

require (
	github.com/go-sql-driver/mysql v1.10.1
	github.com/gorilla/sessions v1.4.0
	github.com/jmoiron/sqlx v1.4.0
	goji.io v2.0.2+incompatible
	golang.org/x/crypto v0.58.0
)

require (
	filippo.io/edwards25519 v1.2.0 // indirect
	github.com/gorilla/securecookie v1.1.2 // indirect
)
