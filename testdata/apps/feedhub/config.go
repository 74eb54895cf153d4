package main

import (
	"net/url"
	"os"
)

// Config is read from the environment at run time: the base path the
// API is served under is not known to crudmap, and shows as {basePath}.
type Config struct {
	Addr      string
	BasePath  string
	PublicURL *url.URL
}

func loadConfig() *Config {
	cfg := &Config{Addr: ":8080", BasePath: os.Getenv("FEEDHUB_BASE_PATH")}
	cfg.PublicURL, _ = url.Parse(os.Getenv("FEEDHUB_PUBLIC_URL"))
	if cfg.PublicURL == nil {
		cfg.PublicURL = &url.URL{}
	}
	return cfg
}

// canonicalURL builds a link with a url.URL literal: its Path is no
// value of the config's PublicURL, and feeds no route.
func canonicalURL(id string) string {
	u := url.URL{Scheme: "https", Host: "feedhub.example", Path: "/feeds/" + id}
	return u.String()
}
