module gojimart

go 1.22

require (
	github.com/jmoiron/sqlx v1.4.0
	goji.io v2.0.2+incompatible
)
