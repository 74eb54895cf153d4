package main

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"listdesk/lists"
	"listdesk/templates"
)

func (a *app) getCampaign(c echo.Context) error {
	cp, err := a.campaigns.Get(idParam(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cp)
}

func (a *app) createCampaign(c echo.Context) error {
	id, err := a.campaigns.Create(c.FormValue("name"), c.FormValue("subject"), idParam(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]int64{"id": id})
}

func (a *app) listCampaigns(c echo.Context) error {
	cs, err := a.campaigns.ForList(idParam(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cs)
}

func (a *app) recordViews(c echo.Context) error {
	var subs []int64
	if err := c.Bind(&subs); err != nil {
		return err
	}
	if err := a.campaigns.RecordViews(idParam(c), subs); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *app) getLists(c echo.Context) error {
	ls, err := a.lists.All(c.Request().Context(), c.QueryParam("type"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ls)
}

func (a *app) getList(c echo.Context) error {
	l, err := a.lists.Get(idParam(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

func (a *app) createList(c echo.Context) error {
	id, err := a.lists.Create(c.FormValue("name"), c.FormValue("type"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]int64{"id": id})
}

func (a *app) renameList(c echo.Context) error {
	if err := a.lists.Rename(idParam(c), c.FormValue("name")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *app) deleteList(c echo.Context) error {
	if err := a.lists.Delete(idParam(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *app) getTemplates(c echo.Context) error {
	ts, err := a.templates.All()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ts)
}

func (a *app) getTemplate(c echo.Context) error {
	t, err := a.templates.Get(idParam(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (a *app) createTemplate(c echo.Context) error {
	t := &templates.Template{Name: c.FormValue("name"), Body: c.FormValue("body")}
	if err := a.templates.Create(t); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, t)
}

func (a *app) updateTemplate(c echo.Context) error {
	t := &templates.Template{ID: idParam(c), Name: c.FormValue("name"), Body: c.FormValue("body")}
	if err := a.templates.Update(t); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *app) deleteTemplate(c echo.Context) error {
	if err := a.templates.Delete(idParam(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *app) makeDefault(c echo.Context) error {
	if err := a.templates.MakeDefault(idParam(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *app) topLists(c echo.Context) error {
	rows, err := a.reports.TopLists()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rows)
}

func (a *app) campaignViews(c echo.Context) error {
	rows, err := a.reports.CampaignViews()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rows)
}

func (a *app) countLists(c echo.Context) error {
	n, err := a.lists.Count(lists.ListProps, c.QueryParam("type"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (a *app) countSubscribers(c echo.Context) error {
	n, err := a.lists.Count(lists.SubscriberProps, c.QueryParam("status"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (a *app) renameTemplate(c echo.Context) error {
	if err := a.templates.Rename(idParam(c), c.FormValue("name")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
