package main

import (
	"runtime/debug"
	"strings"
)

// buildVersion is crudmap's version as the Go toolchain recorded it: the
// module version for `go install ...@v1.2.3`, else the VCS revision of a
// build from a checkout ("a1b2c3d4e5f6 2026-12-01T10:00:00Z, modified"),
// else "devel".
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionOf(info)
}

// versionOf is buildVersion's reading of info.
func versionOf(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" {
		return "devel"
	}
	parts := []string{revision[:min(len(revision), 12)]}
	if when != "" {
		parts = append(parts, when)
	}
	v := strings.Join(parts, " ")
	if modified {
		v += ", modified"
	}
	return v
}
