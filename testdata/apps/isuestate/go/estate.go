package main

import (
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

const recommendedSize = 20

// Estate is one row of the estate table.
type Estate struct {
	ID          int64   `db:"id" json:"id"`
	Thumbnail   string  `db:"thumbnail" json:"thumbnail"`
	Name        string  `db:"name" json:"name"`
	Description string  `db:"description" json:"description"`
	Latitude    float64 `db:"latitude" json:"latitude"`
	Longitude   float64 `db:"longitude" json:"longitude"`
	Address     string  `db:"address" json:"address"`
	Rent        int64   `db:"rent" json:"rent"`
	DoorHeight  int64   `db:"door_height" json:"doorHeight"`
	DoorWidth   int64   `db:"door_width" json:"doorWidth"`
	Features    string  `db:"features" json:"features"`
	Popularity  int64   `db:"popularity" json:"-"`
}

type EstateSearchResponse struct {
	Count   int64    `json:"count"`
	Estates []Estate `json:"estates"`
}

type EstateListResponse struct {
	Estates []Estate `json:"estates"`
}

func getEstateDetail(c echo.Context) error {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		c.Echo().Logger.Infof("Request parameter \"id\" parse error : %v", err)
		return c.NoContent(http.StatusBadRequest)
	}

	var estate Estate
	err = db.Get(&estate, "SELECT * FROM estate WHERE id = ?", id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			c.Echo().Logger.Infof("getEstateDetail estate id %v not found", id)
			return c.NoContent(http.StatusNotFound)
		}
		c.Echo().Logger.Errorf("Database Execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	return c.JSON(http.StatusOK, estate)
}

// postEstate registers the estates of an uploaded CSV file, all or none.
func postEstate(c echo.Context) error {
	header, err := c.FormFile("estates")
	if err != nil {
		c.Logger().Errorf("failed to get form file: %v", err)
		return c.NoContent(http.StatusBadRequest)
	}
	records, err := readUploadedCSV(header)
	if err != nil {
		c.Logger().Errorf("failed to read csv: %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	tx, err := db.Beginx()
	if err != nil {
		c.Logger().Errorf("failed to begin tx: %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}
	defer tx.Rollback()

	const insertEstate = `INSERT INTO estate
		(id, name, description, thumbnail, address, latitude, longitude, rent, door_height, door_width, features, popularity)
		VALUES (:id, :name, :description, :thumbnail, :address, :latitude, :longitude, :rent, :door_height, :door_width, :features, :popularity)`

	for i := 0; i < len(records); i++ {
		rr := newRecordReader(records[i])
		estate := Estate{
			ID:          rr.Int(),
			Name:        rr.String(),
			Description: rr.String(),
			Thumbnail:   rr.String(),
			Address:     rr.String(),
			Latitude:    rr.Float(),
			Longitude:   rr.Float(),
			Rent:        rr.Int(),
			DoorHeight:  rr.Int(),
			DoorWidth:   rr.Int(),
			Features:    rr.String(),
			Popularity:  rr.Int(),
		}
		if err := rr.Err(); err != nil {
			c.Logger().Errorf("failed to read record %d: %v", i, err)
			return c.NoContent(http.StatusBadRequest)
		}
		if _, err := tx.NamedExec(insertEstate, estate); err != nil { // want "n+1: INSERT estate"
			c.Logger().Errorf("failed to insert estate: %v", err)
			return c.NoContent(http.StatusInternalServerError)
		}
	}
	if err := tx.Commit(); err != nil {
		c.Logger().Errorf("failed to commit tx: %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}
	return c.NoContent(http.StatusCreated)
}

// searchEstates filters the estates by every condition the query string
// carries.
func searchEstates(c echo.Context) error {
	var conditions []string
	var params []interface{}

	if id := c.QueryParam("doorHeightRangeId"); id != "" {
		doorHeight, err := getRange(estateSearchCondition.DoorHeight, id)
		if err != nil {
			c.Echo().Logger.Infof("doorHeightRangeID invalid, %v : %v", id, err)
			return c.NoContent(http.StatusBadRequest)
		}
		if doorHeight.Min != -1 {
			conditions = append(conditions, "door_height >= ?")
			params = append(params, doorHeight.Min)
		}
		if doorHeight.Max != -1 {
			conditions = append(conditions, "door_height < ?")
			params = append(params, doorHeight.Max)
		}
	}

	if id := c.QueryParam("doorWidthRangeId"); id != "" {
		doorWidth, err := getRange(estateSearchCondition.DoorWidth, id)
		if err != nil {
			c.Echo().Logger.Infof("doorWidthRangeID invalid, %v : %v", id, err)
			return c.NoContent(http.StatusBadRequest)
		}
		if doorWidth.Min != -1 {
			conditions = append(conditions, "door_width >= ?")
			params = append(params, doorWidth.Min)
		}
		if doorWidth.Max != -1 {
			conditions = append(conditions, "door_width < ?")
			params = append(params, doorWidth.Max)
		}
	}

	if id := c.QueryParam("rentRangeId"); id != "" {
		estateRent, err := getRange(estateSearchCondition.Rent, id)
		if err != nil {
			c.Echo().Logger.Infof("rentRangeID invalid, %v : %v", id, err)
			return c.NoContent(http.StatusBadRequest)
		}
		if estateRent.Min != -1 {
			conditions = append(conditions, "rent >= ?")
			params = append(params, estateRent.Min)
		}
		if estateRent.Max != -1 {
			conditions = append(conditions, "rent < ?")
			params = append(params, estateRent.Max)
		}
	}

	if features := c.QueryParam("features"); features != "" {
		for _, f := range strings.Split(features, ",") {
			conditions = append(conditions, "features LIKE CONCAT('%', ?, '%')")
			params = append(params, f)
		}
	}

	if len(conditions) == 0 {
		c.Echo().Logger.Infof("searchEstates search condition not found")
		return c.NoContent(http.StatusBadRequest)
	}

	page, perPage, err := pageParams(c)
	if err != nil {
		c.Logger().Infof("%v", err)
		return c.NoContent(http.StatusBadRequest)
	}

	searchQuery := "SELECT * FROM estate WHERE "
	countQuery := "SELECT COUNT(*) FROM estate WHERE "
	searchCondition := strings.Join(conditions, " AND ")
	limitOffset := " ORDER BY popularity DESC, id ASC LIMIT ? OFFSET ?"

	var res EstateSearchResponse
	if err := db.Get(&res.Count, countQuery+searchCondition, params...); err != nil {
		c.Logger().Errorf("searchEstates DB execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	estates := []Estate{}
	params = append(params, perPage, page*perPage)
	if err := db.Select(&estates, searchQuery+searchCondition+limitOffset, params...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c.JSON(http.StatusOK, EstateSearchResponse{Count: 0, Estates: []Estate{}})
		}
		c.Logger().Errorf("searchEstates DB execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	res.Estates = estates
	return c.JSON(http.StatusOK, res)
}

// getLowPricedEstate lists the cheapest estates; idx_estate_rent keeps
// the rows in rent order, so MySQL stops after the first few.
func getLowPricedEstate(c echo.Context) error {
	estates := make([]Estate, 0, lowPriceSize)
	query := `SELECT * FROM estate ORDER BY rent ASC, id ASC LIMIT ?`
	err := db.Select(&estates, query, lowPriceSize)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			c.Logger().Error("getLowPricedEstate not found")
			return c.JSON(http.StatusOK, EstateListResponse{[]Estate{}})
		}
		c.Logger().Errorf("getLowPricedEstate DB execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	return c.JSON(http.StatusOK, EstateListResponse{Estates: estates})
}

// searchRecommendedEstateWithChair lists the estates the chair fits
// through the door of, whichever way it is carried. The chair and the
// estates are read in one transaction so both come from the same snapshot.
func searchRecommendedEstateWithChair(c echo.Context) error {
	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		c.Logger().Infof("Invalid format searchRecommendedEstateWithChair id : %v", err)
		return c.NoContent(http.StatusBadRequest)
	}

	tx, err := db.Beginx() // want "readonly-tx: transaction only reads"
	if err != nil {
		c.Logger().Errorf("failed to begin tx: %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}
	defer tx.Rollback()

	chair := Chair{}
	if err := tx.Get(&chair, "SELECT * FROM chair WHERE id = ?", id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			c.Logger().Infof("Requested chair id \"%v\" not found", id)
			return c.NoContent(http.StatusBadRequest)
		}
		c.Logger().Errorf("Database execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	var estates []Estate
	w, h, d := chair.Width, chair.Height, chair.Depth
	query := `SELECT * FROM estate
		WHERE (door_width >= ? AND door_height >= ?)
		   OR (door_width >= ? AND door_height >= ?)
		   OR (door_width >= ? AND door_height >= ?)
		   OR (door_width >= ? AND door_height >= ?)
		   OR (door_width >= ? AND door_height >= ?)
		   OR (door_width >= ? AND door_height >= ?)
		ORDER BY popularity DESC, id ASC LIMIT ?`
	err = tx.Select(&estates, query, w, h, w, d, h, w, h, d, d, w, d, h, recommendedSize) // want "unindexed: estate.door_width, estate.door_height"
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c.JSON(http.StatusOK, EstateListResponse{[]Estate{}})
		}
		c.Logger().Errorf("Database execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}
	if err := tx.Commit(); err != nil {
		c.Logger().Errorf("failed to commit tx: %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	return c.JSON(http.StatusOK, EstateListResponse{Estates: estates})
}

// DocumentRequest asks for the brochure of an estate.
type DocumentRequest struct {
	Email string `json:"email"`
}

const (
	maxRequestsPerDay = 10
)

// postEstateRequestDocument records that someone asked for an estate's
// brochure, refusing duplicates and people who ask for too many.
func postEstateRequestDocument(c echo.Context) error {
	var req DocumentRequest
	if err := c.Bind(&req); err != nil || req.Email == "" {
		c.Echo().Logger.Info("post request document failed : email not found in request body")
		return c.NoContent(http.StatusBadRequest)
	}

	id, err := strconv.Atoi(c.Param("id"))
	if err != nil {
		c.Echo().Logger.Infof("post request document failed : %v", err)
		return c.NoContent(http.StatusBadRequest)
	}

	var estateID int64
	if err := db.Get(&estateID, "SELECT id FROM estate WHERE id = ?", id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c.NoContent(http.StatusNotFound)
		}
		c.Logger().Errorf("postEstateRequestDocument DB execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	var already int
	if err := db.Get(&already, "SELECT COUNT(*) FROM document_request WHERE estate_id = ? AND email = ?", estateID, req.Email); err != nil {
		c.Logger().Errorf("postEstateRequestDocument DB execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}
	if already > 0 {
		return c.NoContent(http.StatusOK)
	}

	var today int
	since := time.Now().Add(-24 * time.Hour)
	if err := db.Get(&today, "SELECT COUNT(*) FROM document_request WHERE email = ? AND created_at > ?", req.Email, since); err != nil { // want "unindexed: document_request.email, document_request.created_at"
		c.Logger().Errorf("postEstateRequestDocument DB execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}
	if today >= maxRequestsPerDay {
		return c.NoContent(http.StatusTooManyRequests)
	}

	if _, err := db.Exec("INSERT INTO document_request (estate_id, email) VALUES (?, ?)", estateID, req.Email); err != nil {
		c.Logger().Errorf("postEstateRequestDocument DB execution error : %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	return c.NoContent(http.StatusOK)
}
