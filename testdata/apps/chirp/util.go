package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func serverError(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

func idParam(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	return id, err == nil && id > 0
}

// placeholders returns "?, ?, ?" for n arguments, for an IN list.
func placeholders(n int) string {
	if n <= 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func hashtags(body string) []string {
	var tags []string
	seen := map[string]bool{}
	for _, f := range strings.Fields(body) {
		if len(f) > 1 && f[0] == '#' && !seen[f[1:]] {
			seen[f[1:]] = true
			tags = append(tags, strings.ToLower(f[1:]))
		}
	}
	return tags
}
