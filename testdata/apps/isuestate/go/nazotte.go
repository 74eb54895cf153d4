package main

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// nazotteLimit caps how many estates a drawn area returns.
const nazotteLimit = 50

// Coordinate is one point of the polygon the user draws on the map.
type Coordinate struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Coordinates is the polygon, in drawing order; the last point is joined
// back to the first.
type Coordinates struct {
	Coordinates []Coordinate `json:"coordinates"`
}

// BoundingBox is the smallest box around a polygon.
type BoundingBox struct {
	TopLeftCorner     Coordinate
	BottomRightCorner Coordinate
}

func (cs Coordinates) boundingBox() BoundingBox {
	box := BoundingBox{
		TopLeftCorner:     Coordinate{Latitude: math.Inf(1), Longitude: math.Inf(1)},
		BottomRightCorner: Coordinate{Latitude: math.Inf(-1), Longitude: math.Inf(-1)},
	}
	for _, p := range cs.Coordinates {
		box.TopLeftCorner.Latitude = math.Min(box.TopLeftCorner.Latitude, p.Latitude)
		box.TopLeftCorner.Longitude = math.Min(box.TopLeftCorner.Longitude, p.Longitude)
		box.BottomRightCorner.Latitude = math.Max(box.BottomRightCorner.Latitude, p.Latitude)
		box.BottomRightCorner.Longitude = math.Max(box.BottomRightCorner.Longitude, p.Longitude)
	}
	return box
}

// wkt renders the polygon as quoted Well-Known Text for MySQL.
func (cs Coordinates) wkt() string {
	points := make([]string, 0, len(cs.Coordinates)+1)
	for _, p := range cs.Coordinates {
		points = append(points, fmt.Sprintf("%f %f", p.Latitude, p.Longitude))
	}
	if len(cs.Coordinates) > 0 {
		first := cs.Coordinates[0]
		points = append(points, fmt.Sprintf("%f %f", first.Latitude, first.Longitude))
	}
	return fmt.Sprintf("'POLYGON((%s))'", strings.Join(points, ","))
}

// estateInPolygon asks MySQL whether the estate lies inside the polygon.
func estateInPolygon(polygon string, estate Estate) (bool, error) {
	point := fmt.Sprintf("'POINT(%f %f)'", estate.Latitude, estate.Longitude)
	query := fmt.Sprintf(`SELECT * FROM estate WHERE id = ? AND ST_Contains(ST_PolygonFromText(%s), ST_GeomFromText(%s))`, polygon, point)
	var found Estate
	err := db.Get(&found, query, estate.ID) // want "n+1: SELECT estate"
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// searchEstateNazotte lists the estates inside the area the user drew:
// the bounding box narrows them down, then each is checked against the
// polygon itself.
func searchEstateNazotte(c echo.Context) error {
	coordinates := Coordinates{}
	if err := c.Bind(&coordinates); err != nil {
		c.Echo().Logger.Infof("post search estate nazotte failed : %v", err)
		return c.NoContent(http.StatusBadRequest)
	}
	if len(coordinates.Coordinates) == 0 {
		return c.NoContent(http.StatusBadRequest)
	}

	b := coordinates.boundingBox()
	candidates := []Estate{}
	query := `SELECT * FROM estate WHERE latitude <= ? AND latitude >= ? AND longitude <= ? AND longitude >= ? ORDER BY popularity DESC, id ASC`
	err := db.Select(&candidates, query, b.BottomRightCorner.Latitude, b.TopLeftCorner.Latitude, b.BottomRightCorner.Longitude, b.TopLeftCorner.Longitude) // want "unindexed: estate.latitude, estate.longitude"
	if errors.Is(err, sql.ErrNoRows) {
		c.Echo().Logger.Infof("select * from estate where latitude ...", err)
		return c.JSON(http.StatusOK, EstateSearchResponse{Count: 0, Estates: []Estate{}})
	} else if err != nil {
		c.Echo().Logger.Errorf("database execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	polygon := coordinates.wkt()
	inside := []Estate{}
	for _, estate := range candidates {
		ok, err := estateInPolygon(polygon, estate)
		if err != nil {
			c.Echo().Logger.Errorf("db access is failed on executing validate if estate is in polygon : %v", err)
			return c.NoContent(http.StatusInternalServerError)
		}
		if ok {
			inside = append(inside, estate)
		}
		if len(inside) >= nazotteLimit {
			break
		}
	}

	return c.JSON(http.StatusOK, EstateSearchResponse{Count: int64(len(inside)), Estates: inside})
}
