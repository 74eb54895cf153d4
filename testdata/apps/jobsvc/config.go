package main

import (
	"database/sql"
	"strconv"
)

// config is what the settings table says at start-up.
type config struct {
	addr    string
	workers int
}

// loadConfig reads one setting per key: once per process, not an N+1.
func loadConfig(db *sql.DB) (*config, error) {
	cfg := &config{addr: ":8080", workers: 4}
	values := map[string]string{}
	for _, name := range settingNames() {
		var v string
		if err := db.QueryRow("SELECT value FROM settings WHERE name = ?", name).Scan(&v); err == nil {
			values[name] = v
		}
	}
	if v, ok := values["addr"]; ok {
		cfg.addr = v
	}
	if n, err := strconv.Atoi(values["workers"]); err == nil {
		cfg.workers = n
	}
	return cfg, nil
}

// settingNames lists the settings the server reads.
func settingNames() []string {
	return []string{"addr", "workers", "batch_size", "retention", "currency", "locale"}
}
