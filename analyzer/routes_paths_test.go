package analyzer

import "testing"

// TestJoinPath checks that prefixes join as each router library joins
// them: gorilla/mux drops the prefix's trailing slashes, so no "//" comes
// out of "/api/" + "/auth/login"; the others concatenate.
func TestJoinPath(t *testing.T) {
	tests := []struct {
		lib, prefix, path, want string
	}{
		{"gorilla", "/api", "/auth/login", "/api/auth/login"},
		{"gorilla", "/api/", "/auth/login", "/api/auth/login"},
		{"gorilla", "{webPath}api", "", "{webPath}api"},
		{"gorilla", "", "/ping", "/ping"},
		{"echo", "/api", "/users", "/api/users"},
		{"echo", "/api/", "", "/api/"},
	}
	for _, tt := range tests {
		if got := joinPath(tt.lib, tt.prefix, tt.path); got != tt.want {
			t.Errorf("joinPath(%q, %q, %q) = %q, want %q", tt.lib, tt.prefix, tt.path, got, tt.want)
		}
	}
}

// TestCleanRoutePath checks that a base-path placeholder is followed by a
// slash and that other paths are left as registered.
func TestCleanRoutePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"{webroot}api/v1", "{webroot}/api/v1"},
		{"{basePath}/v1/feeds", "{basePath}/v1/feeds"},
		{"{webroot}", "{webroot}"},
		{"/users/{id}", "/users/{id}"},
		{"users", "/users"},
		{"//twice", "//twice"},
	}
	for _, tt := range tests {
		if got := cleanRoutePath(tt.in); got != tt.want {
			t.Errorf("cleanRoutePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestReplaceVerb checks the fmt.Sprintf folding of route paths.
func TestReplaceVerb(t *testing.T) {
	tests := []struct{ format, arg, want string }{
		{"%s/api", "/base", "/base/api"},
		{"/v%d/users", "2", "/v2/users"},
		{"100%% /x", "y", "100%% /x"},
		{"%%s/%s", "y", "%%s/y"},
	}
	for _, tt := range tests {
		if got := replaceVerb(tt.format, tt.arg); got != tt.want {
			t.Errorf("replaceVerb(%q, %q) = %q, want %q", tt.format, tt.arg, got, tt.want)
		}
	}
}
