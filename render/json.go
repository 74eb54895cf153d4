package render

import (
	"encoding/json"
	"io"

	"github.com/crudmap/crudmap/graph"
)

// writeJSON writes r as indented JSON, the output protocol documented in
// package graph. Lists that the protocol always carries are [] when empty,
// never null.
func writeJSON(w io.Writer, r *graph.Report) error {
	data, err := json.MarshalIndent(jsonReport(r), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// jsonReport returns a copy of r whose lists without omitempty are non-nil,
// so that they encode as []. r itself is left as it is.
func jsonReport(r *graph.Report) *graph.Report {
	c := *r
	c.Routes = nonNil(c.Routes)
	for i, rt := range c.Routes {
		rc := *rt
		rc.Tables = nonNil(rc.Tables)
		for j, t := range rc.Tables {
			tc := *t
			tc.Ops = nonNil(tc.Ops)
			rc.Tables[j] = &tc
		}
		rc.Queries = nonNil(rc.Queries)
		c.Routes[i] = &rc
	}
	c.Queries = nonNil(c.Queries)
	for i, q := range c.Queries {
		qc := *q
		qc.Ops = nonNil(qc.Ops)
		c.Queries[i] = &qc
	}
	c.Tables = nonNil(c.Tables)
	for i, t := range c.Tables {
		tc := *t
		tc.Indexes = nonNil(tc.Indexes)
		for j, ix := range tc.Indexes {
			ixc := *ix
			ixc.Columns = nonNil(ixc.Columns)
			tc.Indexes[j] = &ixc
		}
		c.Tables[i] = &tc
	}
	c.Findings = nonNil(c.Findings)
	c.Functions = nonNil(c.Functions)
	c.Edges = nonNil(c.Edges)
	c.SchemaFiles = nonNil(c.SchemaFiles)
	c.Notes = nonNil(c.Notes)
	return &c
}

// nonNil returns a copy of s, empty but not nil when s is empty, so that
// the caller may replace its elements without touching s.
func nonNil[S ~[]E, E any](s S) S {
	return append(make(S, 0, len(s)), s...)
}
