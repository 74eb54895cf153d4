package main

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"
)

// newRouter registers every route. Paths join as gorilla/mux joins them:
// "/api/" + "/auth/login" is "/api/auth/login".
func (a *app) newRouter() *mux.Router {
	r := mux.NewRouter().StrictSlash(true)
	r.HandleFunc("/healthz", healthz).Methods("GET", "HEAD") // want "route: GET /healthz sessions:CRU" "route: HEAD /healthz sessions:CRU"
	r.HandleFunc("/projects", a.listProjects).Methods("GET") // want "route: GET /projects projects:R sessions:CRU"

	ping := r.Path("/ping").Subrouter()
	ping.Methods("GET", "HEAD").HandlerFunc(healthz) // want "route: GET /ping sessions:CRU" "route: HEAD /ping sessions:CRU"

	r.Methods("OPTIONS").HandlerFunc(preflight) // want "route: OPTIONS /* sessions:CRU"

	r.PathPrefix("/static/").Handler(http.StripPrefix("/static/", http.FileServer(http.Dir("static")))) // want "route: ANY /static/* sessions:CRU"

	api := r.PathPrefix("/api/").Subrouter()
	api.Use(a.loadUser)
	api.HandleFunc("/auth/login", a.login).Methods("POST")   // want "route: POST /api/auth/login sessions:CRU users:R"
	api.HandleFunc("/auth/logout", a.logout).Methods("POST") // want "route: POST /api/auth/logout sessions:CRUD users:R"

	projects := api.PathPrefix("/projects").Subrouter()
	projects.HandleFunc("", a.listProjects).Methods("GET")                                                                 // want "route: GET /api/projects projects:R sessions:CRU users:R"
	projects.HandleFunc("/", a.createProject).Methods("POST")                                                              // want "route: POST /api/projects/ project_members:C projects:C sessions:CRU users:R"
	projects.Handle("/{id}", http.TimeoutHandler(http.HandlerFunc(a.getProject), 5*time.Second, "timeout")).Methods("GET") // want "route: GET /api/projects/{id} projects:R sessions:CRU users:R"

	tasks := projects.PathPrefix("/{id}/tasks").Subrouter()
	tasks.Use(a.projectAccess)
	tasks.Methods("GET").Path("").HandlerFunc(a.listTasks)                    // want "route: GET /api/projects/{id}/tasks project_members:R sessions:CRU tasks:R users:R"
	tasks.HandleFunc("", a.createTask).Methods(http.MethodPost)               // want "route: POST /api/projects/{id}/tasks project_members:R sessions:CRU tasks:C users:R"
	tasks.Path("/{taskID}").Methods("PUT", "PATCH").HandlerFunc(a.updateTask) // want "route: PUT /api/projects/{id}/tasks/{taskID} project_members:R sessions:CRU tasks:U users:R" "route: PATCH /api/projects/{id}/tasks/{taskID} project_members:R sessions:CRU tasks:U users:R"

	admin := api.NewRoute().Subrouter()
	admin.Use(a.requireAdmin)
	admin.Handle("/admin/stats", &statsHandler{db: a.db}).Methods("GET")  // want "route: GET /api/admin/stats projects:R sessions:CRU users:R"
	admin.HandleFunc("/admin/users/{id}", a.deleteUser).Methods("DELETE") // want "route: DELETE /api/admin/users/{id} sessions:CRUD users:RD"
	return r
}
