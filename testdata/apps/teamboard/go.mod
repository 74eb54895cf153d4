module teamboard

go 1.23

require (
	github.com/gorilla/mux v1.8.1
	github.com/justinas/alice v1.2.0
	github.com/lib/pq v1.12.3
	github.com/urfave/negroni/v3 v3.1.2
)
