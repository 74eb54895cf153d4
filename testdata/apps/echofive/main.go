// Command echofive is a notes API on echo v5 (its handlers take a
// *echo.Context) and MySQL, a crudmap sample app: groups, group and
// per-route middleware that query, NewWithConfig, Static, QUERY,
// AddRoute and RouteNotFound routes.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"strconv"

	_ "github.com/go-sql-driver/mysql"
	"github.com/labstack/echo/v5"
)

type app struct {
	db *sql.DB
}

func main() {
	db, err := sql.Open("mysql", "root@/notes")
	if err != nil {
		log.Fatal(err)
	}
	a := &app{db: db}
	e := echo.NewWithConfig(echo.Config{})
	e.Use(a.logAccess)

	e.Static("/assets/", "public")                 // want "route: GET /assets/* access_log:C"
	e.GET("/health", func(c *echo.Context) error { // want "route: GET /health access_log:C"
		return c.String(http.StatusOK, "ok")
	})

	api := e.Group("/api", a.requireUser)
	api.GET("/notes", a.listNotes)                                                                                                           // want "route: GET /api/notes access_log:C notes:R users:R"
	api.POST("/notes", a.createNote)                                                                                                         // want "route: POST /api/notes access_log:C notes:C users:R"
	api.QUERY("/notes/search", a.searchNotes)                                                                                                // want "route: QUERY /api/notes/search access_log:C notes:R users:R"
	api.DELETE("/notes/:id", a.deleteNote, a.audit)                                                                                          // want "route: DELETE /api/notes/:id access_log:C notes:RD users:R"
	api.AddRoute(echo.Route{Method: http.MethodPut, Path: "/notes/:id", Handler: a.updateNote, Middlewares: []echo.MiddlewareFunc{a.audit}}) // want "route: PUT /api/notes/:id access_log:C notes:RU users:R"
	api.RouteNotFound("/*", func(c *echo.Context) error {                                                                                    // want "route: ANY /api/* access_log:C users:R"
		return c.NoContent(http.StatusNotFound)
	})
	if err := e.Start(":8080"); err != nil {
		log.Fatal(err)
	}
}

// logAccess records every request.
func (a *app) logAccess(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		a.db.Exec("INSERT INTO access_log (path) VALUES (?)", c.Request().URL.Path)
		return next(c)
	}
}

// requireUser looks the caller up by token.
func (a *app) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		var id int64
		if err := a.db.QueryRow("SELECT id FROM users WHERE token = ?", c.Request().Header.Get("X-Token")).Scan(&id); err != nil {
			return echo.ErrUnauthorized
		}
		c.Set("user", id)
		return next(c)
	}
}

// audit checks that the note belongs to the caller before a change.
func (a *app) audit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		var owner int64
		a.db.QueryRow("SELECT user_id FROM notes WHERE id = ?", c.Param("id")).Scan(&owner)
		if owner != c.Get("user").(int64) {
			return echo.ErrForbidden
		}
		return next(c)
	}
}

func (a *app) listNotes(c *echo.Context) error {
	rows, err := a.db.Query("SELECT id, body FROM notes WHERE user_id = ?", c.Get("user"))
	if err != nil {
		return err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var body string
		rows.Scan(&id, &body)
		out = append(out, strconv.FormatInt(id, 10)+": "+body)
	}
	return c.JSON(http.StatusOK, out)
}

func (a *app) createNote(c *echo.Context) error {
	_, err := a.db.Exec("INSERT INTO notes (user_id, body) VALUES (?, ?)", c.Get("user"), c.FormValue("body"))
	return err
}

func (a *app) searchNotes(c *echo.Context) error {
	rows, err := a.db.Query("SELECT id FROM notes WHERE user_id = ? AND body LIKE ?", c.Get("user"), c.QueryParam("q")+"%")
	if err != nil {
		return err
	}
	rows.Close()
	return c.NoContent(http.StatusOK)
}

func (a *app) deleteNote(c *echo.Context) error {
	_, err := a.db.Exec("DELETE FROM notes WHERE id = ?", c.Param("id"))
	return err
}

func (a *app) updateNote(c *echo.Context) error {
	_, err := a.db.Exec("UPDATE notes SET body = ? WHERE id = ?", c.FormValue("body"), c.Param("id"))
	return err
}
