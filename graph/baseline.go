package graph

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = 1

// A Baseline is a set of accepted findings: a CI run with a baseline fails
// only on findings that are not in it. Entries hold no positions, so a
// finding stays accepted when unrelated edits move it to another line; and
// they count, so two accepted copies of a finding hide two findings, not a
// third.
type Baseline struct {
	Version  int              `json:"crudmap_baseline"`
	Findings []*BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding, identified by what it is rather
// than where it is.
type BaselineEntry struct {
	Kind  string `json:"kind"`
	Route string `json:"route,omitempty"`
	Func  string `json:"func,omitempty"`
	// SQL is the finding's normalised SQL.
	SQL string `json:"sql,omitempty"`
	// Message is the finding's message with positions removed, set only
	// when the finding has no SQL.
	Message string   `json:"message,omitempty"`
	Table   string   `json:"table,omitempty"`
	Columns []string `json:"columns,omitempty"`
}

// NewBaselineEntry returns the baseline entry that accepts f.
func NewBaselineEntry(f *Finding) *BaselineEntry {
	e := &BaselineEntry{Kind: f.Kind, Route: f.Route, Func: f.Func, SQL: f.SQL, Table: f.Table}
	if e.SQL == "" {
		e.Message = StripPositions(f.Message)
	}
	if len(f.Columns) > 0 {
		e.Columns = append([]string(nil), f.Columns...)
	}
	return e
}

// key joins the entry's fields into one string; equal keys are the same
// finding. An n+1 finding is one per query and loop whatever routes run it
// (baselines written when it was one per route still match), so its route
// is not part of its identity, nor is the count of routes in its message.
func (e *BaselineEntry) key() string {
	route, msg := e.Route, e.Message
	if e.Kind == KindNPlusOne {
		route, msg = "", runByRE.ReplaceAllString(msg, "")
	}
	return strings.Join([]string{e.Kind, route, e.Func, e.SQL, msg, e.Table, strings.Join(e.Columns, ",")}, "\x00")
}

// runByRE matches the " (run by N routes)" a finding's message ends with.
var runByRE = regexp.MustCompile(` \(run by [0-9]+ routes\)`)

// MatchKey identifies f independently of its position: its kind, route,
// function, normalised SQL (or position-free message when it has no SQL),
// table and columns. Baselines and SARIF fingerprints both use it, so a
// finding keeps its identity when lines move.
func MatchKey(f *Finding) string { return NewBaselineEntry(f).key() }

// positionRE matches a "file.ext:line[:col]" position inside a message.
var positionRE = regexp.MustCompile(`[^\s():,;"']+\.[A-Za-z0-9]+:[0-9]+(:[0-9]+)?`)

// StripPositions replaces every "file:line:col" position in a message with
// "POS", so that messages that mention another position (an N+1 finding
// names its loop) stay equal when lines move.
func StripPositions(msg string) string {
	return positionRE.ReplaceAllString(msg, "POS")
}

// WriteBaseline writes a baseline accepting the findings fs, as indented
// JSON with one entry per finding (duplicates included) in a stable order.
func WriteBaseline(w io.Writer, fs []*Finding) error {
	b := &Baseline{Version: BaselineVersion, Findings: make([]*BaselineEntry, 0, len(fs))}
	for _, f := range fs {
		b.Findings = append(b.Findings, NewBaselineEntry(f))
	}
	sort.SliceStable(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.Kind != y.Kind {
			return x.Kind < y.Kind
		}
		if x.Route != y.Route {
			return x.Route < y.Route
		}
		return x.key() < y.key()
	})
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// ReadBaseline reads a baseline that WriteBaseline wrote.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("reading baseline: %v", err)
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("reading baseline: version %d, want %d (rewrite it with -write-baseline)", b.Version, BaselineVersion)
	}
	for i, e := range b.Findings {
		if e == nil || e.Kind == "" {
			return nil, fmt.Errorf("reading baseline: entry %d has no kind", i+1)
		}
	}
	return &b, nil
}

// Filter returns the findings of fs that b does not accept, in their order.
// Each entry accepts one finding: when fs holds more copies of a finding
// than b does, the extra copies are new. A nil baseline accepts nothing.
func (b *Baseline) Filter(fs []*Finding) []*Finding {
	left := map[string]int{}
	if b != nil {
		for _, e := range b.Findings {
			left[e.key()]++
		}
	}
	out := make([]*Finding, 0, len(fs))
	for _, f := range fs {
		k := MatchKey(f)
		if left[k] > 0 {
			left[k]--
			continue
		}
		out = append(out, f)
	}
	return out
}
