module linkbox

go 1.23

require (
	github.com/julienschmidt/httprouter v1.3.0
	github.com/lib/pq v1.12.3
)
