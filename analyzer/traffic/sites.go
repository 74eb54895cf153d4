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
	// wildcard is the token of a dynamic site's unknown part: ? in MySQL
	// (where it is a placeholder too), unknownText in Postgres.
	wildcard string
}

// dynamicSite is a site whose SQL is partly computed at run time: its
// normal form's tokens, where ? may stand for several logged tokens.
type dynamicSite struct {
	query  *graph.Query
	tokens []string
}

// maxDynamicTokens bounds the tokens of a dynamic site matched with
// wildcards, and maxSteps the steps of one match (it backtracks).
const (
	maxDynamicTokens = 400
	maxSteps         = 10000
)

func newSiteIndex(queries []*graph.Query, n *normalizer) *siteIndex {
	x := &siteIndex{exact: make(map[string][]*graph.Query), wildcard: "?"}
	if n.dialect == Postgres {
		x.wildcard = unknownText
	}
	for _, q := range queries {
		if strings.TrimSpace(q.SQL) == "" {
			continue
		}
		norm := n.normalize(q.SQL)
		x.exact[norm] = append(x.exact[norm], q)
		if tokens := strings.Fields(norm); q.Dynamic && len(tokens) > 0 && len(tokens) <= maxDynamicTokens {
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
		budget := maxSteps
		if len(tokens) > 0 && d.tokens[0] == tokens[0] && fitsTokens(d.tokens, tokens, x.wildcard, &budget) {
			qs = append(qs, d.query)
		}
	}
	return qs
}

// fitsTokens reports whether logged tokens fit a dynamic site's: a
// wildcard of the site's stands for one or more logged tokens, an AND or OR condition
// of the site's may be missing (a builder adds it when its argument is
// set), and a site whose text stops open (at VALUES, WHERE, a comma) is
// completed at run time by any tokens. budget bounds the backtracking.
func fitsTokens(site, logged []string, wildcard string, budget *int) bool {
	for len(site) > 0 {
		if *budget--; *budget < 0 {
			return false
		}
		if (site[0] == "and" || site[0] == "or") && fitsTokens(site[conditionEnd(site):], logged, wildcard, budget) {
			return true
		}
		if site[0] == wildcard {
			for n := 1; n <= len(logged); n++ {
				if fitsTokens(site[1:], logged[n:], wildcard, budget) {
					return true
				}
			}
			return false
		}
		if len(site) == 1 && openEnd[site[0]] && len(logged) > 1 && logged[0] == site[0] {
			return true
		}
		if len(logged) == 0 || logged[0] != site[0] {
			return false
		}
		site, logged = site[1:], logged[1:]
	}
	return len(logged) == 0
}

// openEnd are the last tokens of a text that code completes at run time.
var openEnd = map[string]bool{"values": true, "where": true, "and": true, "or": true, "set": true, "by": true, ",": true, "(": true, "in": true}

// conditionEnd returns the index in site, which starts with AND or OR, of
// the token after that condition: the next AND or OR, or a clause's start,
// or a closing parenthesis, at the same depth.
func conditionEnd(site []string) int {
	depth := 0
	for i := 1; i < len(site); i++ {
		switch site[i] {
		case "(":
			depth++
		case ")":
			if depth == 0 {
				return i
			}
			depth--
		case "and", "or", "order", "group", "limit", "having", "returning", "on", "union", "for", "offset":
			if depth == 0 {
				return i
			}
		}
	}
	return len(site)
}
