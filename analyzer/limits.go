package analyzer

import (
	"fmt"
	"go/token"
	"slices"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// The analysis is bounded so that it stays linear in the code on any
// input: calls are followed maxWalkDepth deep, a value is resolved in
// maxResolveSteps steps, and maxVariants SQL texts per value are kept
// whole. Where a bound cuts something, a note names the place and the
// bound, once per place.

// A limit is a bound of the analysis.
type limit int

const (
	cutDepth    limit = iota // maxWalkDepth
	cutSteps                 // maxResolveSteps
	cutVariants              // maxVariants
	cutTexts                 // maxTexts
)

// cut is a place where a bound cut something.
type cut struct {
	limit limit
	pos   token.Pos
}

// cut records that limit cut something at pos; subject names what, for
// the note.
func (r *resolver) cut(limit limit, pos token.Pos, subject string) {
	if !pos.IsValid() {
		return
	}
	if r.cuts == nil {
		r.cuts = map[cut]string{}
	}
	r.cuts[cut{limit, pos}] = subject
}

// valuePos is where v is written, or else where its function is.
func valuePos(v ssa.Value) token.Pos {
	if pos := v.Pos(); pos.IsValid() || v.Parent() == nil {
		return pos
	}
	return v.Parent().Pos()
}

// splitTexts returns the texts run at a database call at pos that are
// queries of their own, and those past maxVariants, which are read only
// for their tables; it records the cut.
func (r *resolver) splitTexts(texts []sqlText, pos token.Pos) (whole, cut []sqlText) {
	if allDDL(texts) {
		return texts, nil // a migration list: the schema, which is read whole (see goSchema)
	}
	if slices.ContainsFunc(texts, func(t sqlText) bool { return t.cut }) {
		r.cut(cutVariants, pos, "")
	}
	if len(texts) <= maxVariants {
		return texts, nil
	}
	if len(texts) >= maxTexts {
		r.cut(cutTexts, pos, "")
	}
	return texts[:maxVariants], texts[maxVariants:]
}

// markCut records whether site s was reached as a text past maxVariants:
// a site reached so only is left out of the index check.
func (r *resolver) markCut(s *site, cut bool) {
	if r.wholeSites == nil {
		r.wholeSites = map[*site]bool{}
	}
	if !cut {
		r.wholeSites[s] = true
	}
	s.cut = !r.wholeSites[s]
}

// limitNotes returns a note per place a bound cut something, in order of
// position.
func (r *resolver) limitNotes() []string {
	cuts := make([]cut, 0, len(r.cuts))
	for c := range r.cuts {
		cuts = append(cuts, c)
	}
	sort.Slice(cuts, func(i, j int) bool {
		if cuts[i].pos != cuts[j].pos {
			return r.ix.before(cuts[i].pos, cuts[j].pos)
		}
		return cuts[i].limit < cuts[j].limit
	})
	var notes []string
	for _, c := range cuts {
		at := r.ix.position(c.pos)
		switch c.limit {
		case cutDepth:
			notes = append(notes, fmt.Sprintf("%s: %s is called more than %d calls deep: it and what it calls were not followed, so their queries are missing", at, r.cuts[c], maxWalkDepth))
		case cutSteps:
			notes = append(notes, fmt.Sprintf("%s: working out this value takes more than %d steps: what it holds past them is unknown, so queries or tables may be missing", at, maxResolveSteps))
		case cutVariants:
			notes = append(notes, fmt.Sprintf("%s: more than %d SQL texts may reach this call: the index check covers %d of them; the tables of the others are counted", at, maxVariants, maxVariants))
		case cutTexts:
			notes = append(notes, fmt.Sprintf("%s: %d or more SQL texts reach this call: only %d are read for their tables, so tables may be missing", at, maxTexts, maxTexts))
		}
	}
	return notes
}
