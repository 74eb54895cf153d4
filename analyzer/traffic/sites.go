package traffic

import (
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// siteIndex finds the query sites that can send a statement of a given
// normal form.
type siteIndex struct {
	exact   map[string][]*graph.Query
	dynamic []dynamicSite
}

// dynamicSite is a site whose SQL is partly computed at run time: its
// normal form's tokens, where ? may stand for several logged tokens.
type dynamicSite struct {
	query  *graph.Query
	tokens []string
}

// maxDynamicTokens bounds the tokens of a dynamic site matched with
// wildcards (the match backtracks).
const maxDynamicTokens = 400

func newSiteIndex(queries []*graph.Query, n *normalizer) *siteIndex {
	x := &siteIndex{exact: make(map[string][]*graph.Query)}
	for _, q := range queries {
		if strings.TrimSpace(q.SQL) == "" {
			continue
		}
		norm := n.normalize(q.SQL)
		x.exact[norm] = append(x.exact[norm], q)
		if tokens := strings.Fields(norm); q.Dynamic && len(tokens) <= maxDynamicTokens {
			x.dynamic = append(x.dynamic, dynamicSite{q, tokens})
		}
	}
	return x
}

// match returns the sites that can send a statement of normal form norm:
// those with that normal form, else the dynamic sites it fits.
func (x *siteIndex) match(norm string) []*graph.Query {
	if qs := x.exact[norm]; qs != nil {
		return qs
	}
	if len(x.dynamic) == 0 {
		return nil
	}
	tokens := strings.Fields(norm)
	var qs []*graph.Query
	for _, d := range x.dynamic {
		budget := 100000
		if fitsTokens(d.tokens, tokens, &budget) {
			qs = append(qs, d.query)
		}
	}
	return qs
}

// fitsTokens reports whether logged tokens fit a dynamic site's, where a ?
// of the site's stands for one or more logged tokens; budget bounds the
// backtracking.
func fitsTokens(site, logged []string, budget *int) bool {
	for len(site) > 0 {
		if *budget--; *budget < 0 {
			return false
		}
		if site[0] != "?" {
			if len(logged) == 0 || logged[0] != site[0] {
				return false
			}
			site, logged = site[1:], logged[1:]
			continue
		}
		for n := 1; n <= len(logged); n++ {
			if fitsTokens(site[1:], logged[n:], budget) {
				return true
			}
		}
		return false
	}
	return len(logged) == 0
}
