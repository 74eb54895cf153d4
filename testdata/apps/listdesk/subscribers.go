package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type subscriber struct {
	ID     int64  `db:"id" json:"id"`
	UUID   string `db:"uuid" json:"uuid"`
	Email  string `db:"email" json:"email"`
	Name   string `db:"name" json:"name"`
	Status string `db:"status" json:"status"`
}

type list struct {
	ID   int64  `db:"id" json:"id"`
	Name string `db:"name" json:"name"`
	Type string `db:"type" json:"type"`
}

// GET /api/subscribers/:id — a prepared named statement, then another.
func (a *app) getSubscriber(c echo.Context) error {
	var s subscriber
	if err := a.q.GetSubscriber.Get(&s, idParam(c)); err != nil {
		return err
	}
	var ls []list
	if err := a.q.GetSubscriberLists.Select(&ls, s.ID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"subscriber": s, "lists": ls})
}

// GET /api/subscribers/by-email
func (a *app) findByEmail(c echo.Context) error {
	var s subscriber
	if err := a.q.GetSubscriberByEmail.Get(&s, c.QueryParam("email")); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

// GET /api/subscribers — the status filter has no index, and each
// subscriber's lists are read one subscriber at a time.
func (a *app) querySubscribers(c echo.Context) error {
	var subs []subscriber
	if err := a.q.QuerySubscribersByState.Select(&subs, c.QueryParam("status")); err != nil { // want "unindexed: subscribers.status"
		return err
	}
	out := map[int64][]list{}
	for _, s := range subs {
		var ls []list
		if err := a.q.GetSubscriberLists.Select(&ls, s.ID); err != nil { // want "n+1: SELECT lists, subscriber_lists"
			return err
		}
		out[s.ID] = ls
	}
	return c.JSON(http.StatusOK, out)
}

// POST /api/subscribers — a prepared insert, then a plain named query per
// list, run with the handle.
func (a *app) createSubscriber(c echo.Context) error {
	var in struct {
		Email string  `json:"email"`
		Name  string  `json:"name"`
		Lists []int64 `json:"lists"`
	}
	if err := c.Bind(&in); err != nil {
		return err
	}
	var id int64
	if err := a.q.InsertSubscriber.Get(&id, newUUID(), in.Email, in.Name); err != nil {
		return err
	}
	for _, l := range in.Lists {
		if _, err := a.db.Exec(a.q.AddSubscriberToList, id, l); err != nil { // want "n+1: INSERT subscriber_lists"
			return err
		}
	}
	return c.JSON(http.StatusCreated, map[string]int64{"id": id})
}

// DELETE /api/subscribers/:id
func (a *app) deleteSubscriber(c echo.Context) error {
	if _, err := a.db.ExecContext(c.Request().Context(), a.q.DeleteSubscriber, idParam(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func newUUID() string { return "00000000-0000-0000-0000-000000000000" }
