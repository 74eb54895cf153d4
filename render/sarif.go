package render

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/crudmap/crudmap/graph"
)

// SARIF 2.1.0 output for GitHub code scanning and other SARIF viewers: one
// run whose driver lists one rule per finding kind, and one result per
// finding with a single physical location relative to the repository root.

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifFingerprint names crudmap's partial fingerprint. Bump the
	// version when the key it hashes changes.
	sarifFingerprint = "crudmapFingerprint/v2"
	crudmapURI       = "https://github.com/crudmap/crudmap"
)

// The SARIF log, restricted to the properties crudmap writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string            `json:"id"`
		Name                 string            `json:"name"`
		ShortDescription     sarifText         `json:"shortDescription"`
		FullDescription      sarifText         `json:"fullDescription"`
		Help                 sarifText         `json:"help"`
		DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
		Properties           sarifRuleProperty `json:"properties"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifRuleProperty struct {
		Tags []string `json:"tags"`
	}
	sarifText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifText         `json:"message"`
		Locations           []sarifLocation   `json:"locations,omitempty"`
		RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Properties          map[string]any    `json:"properties,omitempty"`
	}
	sarifLocation struct {
		ID               int           `json:"id,omitempty"`
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
		Message          *sarifText    `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)

// ruleInfo documents one finding kind as a SARIF rule.
type ruleInfo struct {
	kind, name, short, full, help string
	level                         string
	tags                          []string
}

// sarifRules lists crudmap's rules, one per finding kind, in a fixed order.
// Their ids are the kind strings and never change.
var sarifRules = []ruleInfo{
	{
		kind: graph.KindNPlusOne, name: "NPlusOneQuery", level: "warning", tags: []string{"performance", "sql"},
		short: "Query runs once per loop iteration (N+1)",
		full:  "A route runs this query once per iteration of a loop, directly or through the functions it calls, so a request costs one database round trip per row instead of one in all.",
		help:  "Fetch the rows in one query before the loop: collect the keys and use WHERE key IN (...) (sqlx.In expands the list), or JOIN the table into the query that produced the loop's rows, then look the rows up in a map inside the loop. If the loop is bounded by a small constant, suppress the finding with //crudmap:ignore n+1 -- reason.",
	},
	{
		kind: graph.KindUnindexed, name: "UnindexedPredicate", level: "warning", tags: []string{"performance", "sql", "schema"},
		short: "Query filters on columns no index serves",
		full:  "The query's WHERE, JOIN or ORDER BY columns are not a leftmost prefix of any index of the table in the schema, so the database scans the table.",
		help:  "Add an index whose leading columns are the filtered ones (the finding's suggestion property holds the ALTER TABLE statement), or rewrite the predicate to use an existing index. A small, fixed-size table may not need one: suppress with //crudmap:ignore unindexed -- reason.",
	},
	{
		kind: graph.KindReadOnlyTx, name: "ReadOnlyTransaction", level: "warning", tags: []string{"performance", "sql"},
		short: "Transaction only reads",
		full:  "Every statement the transaction runs is a SELECT, so BEGIN and COMMIT cost two round trips and hold a connection without protecting any write.",
		help:  "Run the reads on the database handle and drop the transaction. Keep it only if the reads must see one consistent snapshot, and then say so with //crudmap:ignore readonly-tx -- reason.",
	},
	{
		kind: graph.KindSchema, name: "SchemaDrift", level: "warning", tags: []string{"correctness", "sql", "schema"},
		short: "Query and schema disagree",
		full:  "The query names a table or column that the schema files do not define: the code and the schema have drifted apart, or the schema files crudmap read are incomplete.",
		help:  "Update the schema file (or the query) so that both name the same tables and columns. If the table is created elsewhere, pass that schema file too.",
	},
	{
		kind: graph.KindSQLError, name: "SQLSyntaxError", level: "note", tags: []string{"correctness", "sql"},
		short: "SQL the parser rejects",
		full:  "crudmap's MySQL parser rejects the SQL text that reaches this call. The statement may fail at run time, or use a dialect crudmap does not parse, in which case its tables and predicates are missing from the report.",
		help:  "Fix the SQL syntax. If the statement is valid for your database, suppress the finding with //crudmap:ignore sql-error -- reason.",
	},
	{
		kind: graph.KindIgnore, name: "InvalidSuppression", level: "warning", tags: []string{"maintainability"},
		short: "Malformed or unused //crudmap:ignore comment",
		full:  "A //crudmap:ignore comment has no reason or names an unknown finding kind, so it suppresses nothing; or, with -strict, it suppresses no finding.",
		help:  "Write suppressions as //crudmap:ignore KIND[,KIND] -- reason, on the finding's line or alone on the line above, with KIND one of n+1, unindexed, readonly-tx, schema, sql-error or all. Delete suppressions that no longer match a finding.",
	},
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s graph.Severity) string {
	switch s {
	case graph.Error:
		return "error"
	case graph.Warning:
		return "warning"
	case graph.Info:
		return "note"
	}
	return "none"
}

func writeSARIF(w io.Writer, r *graph.Report, opt Options) error {
	rules, index := sarifRulesFor(r.Findings)
	results := make([]sarifResult, 0, len(r.Findings))
	seen := map[string]int{}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID:    f.Kind,
			RuleIndex: index[f.Kind],
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: sarifMessageText(f)},
		}
		if loc, ok := sarifLocationOf(f.Pos, opt.PathPrefix); ok {
			res.Locations = []sarifLocation{loc}
		}
		if f.Loop != "" && f.Loop != f.Pos {
			if loc, ok := sarifLocationOf(f.Loop, opt.PathPrefix); ok {
				loc.ID = 1
				loc.Message = &sarifText{Text: "the loop"}
				res.RelatedLocations = append(res.RelatedLocations, loc)
			}
		}
		if f.Begin != "" && f.Begin != f.Pos {
			if loc, ok := sarifLocationOf(f.Begin, opt.PathPrefix); ok {
				loc.ID = len(res.RelatedLocations) + 1
				loc.Message = &sarifText{Text: "the transaction's Begin call"}
				res.RelatedLocations = append(res.RelatedLocations, loc)
			}
		}
		key := sarifFingerprintOf(f)
		seen[key]++
		res.PartialFingerprints = map[string]string{sarifFingerprint: key + ":" + strconv.Itoa(seen[key])}
		res.Properties = sarifProperties(f)
		results = append(results, res)
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           "crudmap",
				Version:        opt.Version,
				InformationURI: crudmapURI,
				Rules:          rules,
			}},
			Results: results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifRulesFor returns crudmap's rules, plus a generic rule for each kind
// in fs that crudmap does not document, and the index of each rule by id.
func sarifRulesFor(fs []*graph.Finding) ([]sarifRule, map[string]int) {
	var rules []sarifRule
	index := map[string]int{}
	add := func(ri ruleInfo) {
		index[ri.kind] = len(rules)
		rules = append(rules, sarifRule{
			ID:                   ri.kind,
			Name:                 ri.name,
			ShortDescription:     sarifText{Text: ri.short},
			FullDescription:      sarifText{Text: ri.full},
			Help:                 sarifText{Text: ri.help},
			DefaultConfiguration: sarifRuleConfig{Level: ri.level},
			Properties:           sarifRuleProperty{Tags: ri.tags},
		})
	}
	for _, ri := range sarifRules {
		add(ri)
	}
	var extra []string
	for _, f := range fs {
		if _, ok := index[f.Kind]; !ok {
			index[f.Kind] = -1
			extra = append(extra, f.Kind)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		add(ruleInfo{kind: k, name: k, level: "warning", tags: []string{"sql"},
			short: "crudmap finding: " + k, full: "crudmap finding of kind " + k + ".",
			help: "See the finding's message and fix."})
	}
	return rules, index
}

// sarifMessageText is a finding's one-line description: route, message, fix.
func sarifMessageText(f *graph.Finding) string {
	s := f.Message
	if f.Route != "" {
		s = f.Route + ": " + s
	}
	if f.Fix != "" {
		s += ". Fix: " + f.Fix
	}
	return s
}

// sarifFingerprintOf hashes a finding's position-free identity (graph.MatchKey),
// so code scanning matches a finding across edits that move it.
func sarifFingerprintOf(f *graph.Finding) string {
	sum := sha256.Sum256([]byte(graph.MatchKey(f)))
	return hex.EncodeToString(sum[:16])
}

// sarifLocationOf returns the physical location of a position relative to
// the module root.
func sarifLocationOf(pos, prefix string) (sarifLocation, bool) {
	file, line, col := graph.SplitPos(pos)
	if file == "" {
		return sarifLocation{}, false
	}
	u := (&url.URL{Path: filepath.ToSlash(prefix + file)}).String()
	loc := sarifLocation{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: u, URIBaseID: "%SRCROOT%"},
	}}
	if line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: line, StartColumn: col}
	}
	return loc, true
}

// sarifProperties are the finding's facts that tools may filter on.
func sarifProperties(f *graph.Finding) map[string]any {
	p := map[string]any{"severity": string(f.Severity)}
	set := func(k, v string) {
		if v != "" {
			p[k] = v
		}
	}
	set("route", f.Route)
	set("func", f.Func)
	set("sql", f.SQL)
	set("fix", f.Fix)
	set("table", f.Table)
	set("op", string(f.Op))
	set("query", f.Query)
	set("queryId", f.QueryID)
	set("loop", f.Loop)
	set("suggestion", f.Suggestion)
	set("begin", f.Begin)
	if len(f.Routes) > 0 {
		p["routes"] = f.Routes
	}
	if len(f.Columns) > 0 {
		p["columns"] = f.Columns
	}
	if len(f.Path) > 0 {
		p["path"] = f.Path
	}
	if f.Depth > 0 {
		p["depth"] = f.Depth
	}
	if f.Reads > 0 {
		p["reads"] = f.Reads
	}
	if len(f.Tables) > 0 {
		p["tables"] = f.Tables
	}
	return p
}
