package traffic

import (
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// routeMatcher finds the route a logged request went to, by method and by
// the route's path pattern.
type routeMatcher struct {
	patterns []pattern
}

// pattern is a route's path split at "/": each segment a glob where * is
// one or more characters other than "/" (a :name, {name} or {name:re}
// placeholder), and rest set when the last segment takes the rest of the
// path (/static/*, {path...}, *filepath).
type pattern struct {
	route    *graph.Route
	segments []string
	rest     bool
	literal  int // literal bytes: the most specific pattern wins
}

func newRouteMatcher(routes []*graph.Route) *routeMatcher {
	m := &routeMatcher{}
	for _, rt := range routes {
		m.patterns = append(m.patterns, compilePattern(rt))
	}
	return m
}

// compilePattern turns a route's path into a pattern.
func compilePattern(rt *graph.Route) pattern {
	p := pattern{route: rt}
	path := strings.Trim(rt.Path, "/")
	if path == "" {
		return p
	}
	for seg := range strings.SplitSeq(path, "/") {
		if strings.HasPrefix(seg, "*") || strings.HasSuffix(seg, "...}") {
			p.rest = true
			break
		}
		glob := globOf(seg)
		p.segments = append(p.segments, glob)
		p.literal += len(strings.ReplaceAll(glob, "*", ""))
	}
	return p
}

// globOf turns a path segment's placeholders into *.
func globOf(seg string) string {
	var b strings.Builder
	for i := 0; i < len(seg); i++ {
		switch c := seg[i]; {
		case c == '{':
			depth, j := 0, i
			for ; j < len(seg); j++ {
				if seg[j] == '{' {
					depth++
				} else if seg[j] == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			b.WriteByte('*')
			i = j
		case c == ':' && i == 0:
			b.WriteByte('*')
			for i+1 < len(seg) && seg[i+1] != '.' && seg[i+1] != '-' {
				i++
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// match returns the route of a logged request, or nil.
func (m *routeMatcher) match(method, uri string) *graph.Route {
	path := pathOf(uri)
	var segs []string
	if p := strings.Trim(path, "/"); p != "" {
		segs = strings.Split(p, "/")
	}
	var best *pattern
	for i := range m.patterns {
		p := &m.patterns[i]
		if p.route.Method != method && p.route.Method != "ANY" && !(method == "HEAD" && p.route.Method == "GET") {
			continue
		}
		if !p.fits(segs) {
			continue
		}
		if best == nil || p.better(best) {
			best = p
		}
	}
	if best == nil {
		return nil
	}
	return best.route
}

// better reports whether p is more specific than q: more literal
// segments, then more literal bytes, then a method over ANY.
func (p *pattern) better(q *pattern) bool {
	switch {
	case p.rest != q.rest:
		return !p.rest
	case len(p.segments) != len(q.segments):
		return len(p.segments) > len(q.segments)
	case p.literal != q.literal:
		return p.literal > q.literal
	}
	return q.route.Method == "ANY" && p.route.Method != "ANY"
}

// fits reports whether a path's segments fit p.
func (p *pattern) fits(segs []string) bool {
	if len(segs) < len(p.segments) || !p.rest && len(segs) != len(p.segments) {
		return false
	}
	for i, g := range p.segments {
		if !glob(g, segs[i]) {
			return false
		}
	}
	return true
}

// glob matches s against g, where * is one or more bytes.
func glob(g, s string) bool {
	star := strings.IndexByte(g, '*')
	if star < 0 {
		return g == s
	}
	if !strings.HasPrefix(s, g[:star]) {
		return false
	}
	s = s[star:]
	g = g[star+1:]
	for i := 1; i <= len(s); i++ {
		if glob(g, s[i:]) {
			return true
		}
	}
	return false
}

// pathOf is a logged URI's path: without scheme and host, query and
// fragment.
func pathOf(uri string) string {
	if i := strings.Index(uri, "://"); i >= 0 {
		uri = uri[i+3:]
		if j := strings.IndexByte(uri, '/'); j >= 0 {
			uri = uri[j:]
		} else {
			uri = "/"
		}
	}
	if i := strings.IndexAny(uri, "?#"); i >= 0 {
		uri = uri[:i]
	}
	return uri
}
