module pgshop

go 1.23.12

require (
	github.com/go-chi/chi/v5 v5.2.1
	github.com/lib/pq v1.10.9
	golang.org/x/sync v0.10.0
)
