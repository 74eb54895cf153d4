module echofive

go 1.25.0

require (
	github.com/go-sql-driver/mysql v1.8.1
	github.com/labstack/echo/v5 v5.4.6
)

require filippo.io/edwards25519 v1.1.0 // indirect
