package render

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/crudmap/crudmap/graph"
)

// The traffic section leads every report made with logs (-slowlog,
// -accesslog): the statements that cost the most DB time with the sites
// that send them and their findings, the routes by response time, and the
// logged statements no site sends.

// trafficRow is one statement of the top ten: the first site that sends
// it, and the others.
type trafficRow struct {
	Rank     int
	Query    *graph.Query
	Sites    []string // positions of every site that sends it
	Op       string   // "SELECT comments"
	Findings []string // kinds of the findings at those positions
}

// trafficRows returns the top statements of r, the costliest first.
func trafficRows(r *graph.Report) []trafficRow {
	byID := r.QueriesByID()
	kinds := make(map[string][]string) // call site position -> finding kinds
	for _, f := range r.Findings {
		if q := byID[f.QueryID]; q != nil && !slices.Contains(kinds[q.Pos], f.Kind) {
			kinds[q.Pos] = append(kinds[q.Pos], f.Kind)
		}
	}
	var rows []trafficRow
	for i, id := range r.Traffic.Top {
		q := byID[id]
		if q == nil {
			continue
		}
		row := trafficRow{Rank: i + 1, Query: q, Op: queryOperation(q)}
		for _, qid := range append([]string{id}, q.SharedWith...) {
			if s := byID[qid]; s != nil && !slices.Contains(row.Sites, s.Pos) {
				row.Sites = append(row.Sites, s.Pos)
				for _, k := range kinds[s.Pos] {
					if !slices.Contains(row.Findings, k) {
						row.Findings = append(row.Findings, k)
					}
				}
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// queryOperation names a query's operations and tables: "SELECT posts,
// users", or its statement kind.
func queryOperation(q *graph.Query) string {
	var parts []string
	for _, op := range graph.Ops {
		var tables []string
		for _, t := range q.Ops {
			if t.Op == op && !slices.Contains(tables, t.Table) {
				tables = append(tables, t.Table)
			}
		}
		if len(tables) > 0 {
			parts = append(parts, string(op)+" "+strings.Join(tables, ", "))
		}
	}
	if len(parts) == 0 {
		return cmp.Or(q.Kind, "statement")
	}
	return strings.Join(parts, "; ")
}

// trafficRoutes returns the routes with logged requests, the most total
// time first.
func trafficRoutes(r *graph.Report) []*graph.Route {
	var routes []*graph.Route
	for _, rt := range r.Routes {
		if rt.Requests > 0 {
			routes = append(routes, rt)
		}
	}
	slices.SortStableFunc(routes, func(a, b *graph.Route) int { return cmp.Compare(b.TotalTime, a.TotalTime) })
	return routes
}

// trafficHeadline sums up the logs in one line.
func trafficHeadline(t *graph.Traffic) string {
	s := fmt.Sprintf("%s statements, %s of DB time, %s sent by a query site",
		graph.Count(t.Statements), graph.Seconds(t.DBTime), graph.Percent(t.Matched))
	if t.Requests > 0 {
		s += fmt.Sprintf("; %s requests", graph.Count(t.Requests))
	}
	return s
}

// writeTextTraffic writes the traffic section of the text report.
func writeTextTraffic(w *bufio.Writer, r *graph.Report) {
	if r.Traffic == nil {
		return
	}
	fmt.Fprintf(w, "top %d by DB time (%s):\n", len(r.Traffic.Top), oneLine(trafficHeadline(r.Traffic)))
	for _, row := range trafficRows(r) {
		q := row.Query
		fmt.Fprintf(w, "%3d. %6s %9s %15s  %s  %s", row.Rank, graph.Percent(q.DBTimeShare), graph.Seconds(q.TotalTime),
			graph.Counted(q.Calls, "call", "calls"), oneLine(strings.Join(row.Sites, ", ")), oneLine(row.Op))
		if len(row.Findings) > 0 {
			fmt.Fprintf(w, " [%s]", oneLine(strings.Join(row.Findings, ", ")))
		}
		w.WriteString("\n")
	}
	if routes := trafficRoutes(r); len(routes) > 0 {
		w.WriteString("routes by time:\n")
		for _, rt := range routes[:min(10, len(routes))] {
			fmt.Fprintf(w, "  %9s %16s  mean %s  p99 %s  %s statements/request  %s\n", graph.Seconds(rt.TotalTime), graph.Counted(rt.Requests, "request", "requests"),
				graph.Seconds(rt.MeanTime), graph.Seconds(rt.P99Time), ratio(rt.StatementsPerRequest), oneLine(rt.Key()))
		}
	}
	if len(r.Unmatched) > 0 {
		w.WriteString("statements no query site sends:\n")
		for _, u := range r.Unmatched[:min(5, len(r.Unmatched))] {
			fmt.Fprintf(w, "  %9s %15s  %s\n", graph.Seconds(u.TotalTime), graph.Counted(u.Calls, "call", "calls"), oneLine(u.SQL))
		}
	}
	w.WriteString("\n")
}

// writeMDTraffic writes the traffic section of the Markdown report.
func writeMDTraffic(w *bytes.Buffer, r *graph.Report) {
	if r.Traffic == nil {
		return
	}
	fmt.Fprintf(w, "## Top %d by DB time\n\n%s.\n\n", len(r.Traffic.Top), mdText(trafficHeadline(r.Traffic)))
	if rows := trafficRows(r); len(rows) > 0 {
		w.WriteString("| # | DB time | share | calls | mean | rows examined | site | statement | findings |\n|---:|---:|---:|---:|---:|---:|---|---|---|\n")
		for _, row := range rows {
			q := row.Query
			var sites []string
			for _, s := range row.Sites {
				sites = append(sites, mdCode(s))
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", row.Rank, graph.Seconds(q.TotalTime), graph.Percent(q.DBTimeShare),
				graph.Count(q.Calls), graph.Seconds(q.MeanTime), graph.Count(q.RowsExamined), strings.Join(sites, "<br>"), mdText(row.Op), mdText(strings.Join(row.Findings, ", ")))
		}
		w.WriteString("\n")
	}
	if routes := trafficRoutes(r); len(routes) > 0 {
		w.WriteString("| route | requests | total | mean | p99 | statements per request |\n|---|---:|---:|---:|---:|---:|\n")
		for _, rt := range routes[:min(10, len(routes))] {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", mdCode(rt.Key()), graph.Count(rt.Requests), graph.Seconds(rt.TotalTime),
				graph.Seconds(rt.MeanTime), graph.Seconds(rt.P99Time), ratio(rt.StatementsPerRequest))
		}
		w.WriteString("\n")
	}
	if len(r.Unmatched) > 0 {
		fmt.Fprintf(w, "Logged statements no query site sends (%d):\n\n", len(r.Unmatched))
		for _, u := range r.Unmatched[:min(5, len(r.Unmatched))] {
			fmt.Fprintf(w, "- %s, %s: %s\n", graph.Seconds(u.TotalTime), graph.Counted(u.Calls, "call", "calls"), mdCode(u.SQL))
		}
		w.WriteString("\n")
	}
}

// htmlTrafficTemplate draws the traffic section of the HTML report: tables
// whose headers sort them (trafficJS), by the data-v of their cells.
var htmlTrafficTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("traffic").Funcs(template.FuncMap{
		"seconds": graph.Seconds, "percent": graph.Percent, "count": graph.Count, "ratio": ratio,
	}).Parse(`<section id="traffic">
<h2>Top {{len .T.Top}} by DB time</h2>
<p>{{.Headline}}.</p>
<table class="sortable"><thead><tr><th>#</th><th>DB time</th><th>share</th><th>calls</th><th>mean</th><th>rows examined</th><th>site</th><th>statement</th><th>findings</th></tr></thead><tbody>
{{- range .Rows}}
<tr><td data-v="{{.Rank}}">{{.Rank}}</td><td data-v="{{.Query.TotalTime}}">{{seconds .Query.TotalTime}}</td><td data-v="{{.Query.DBTimeShare}}">{{percent .Query.DBTimeShare}}</td><td data-v="{{.Query.Calls}}">{{count .Query.Calls}}</td><td data-v="{{.Query.MeanTime}}">{{seconds .Query.MeanTime}}</td><td data-v="{{.Query.RowsExamined}}">{{count .Query.RowsExamined}}</td><td>{{range $i, $s := .Sites}}{{if $i}}<br>{{end}}<code>{{$s}}</code>{{end}}</td><td title="{{.Query.SQL}}">{{.Op}}</td><td>{{range $i, $k := .Findings}}{{if $i}}, {{end}}{{$k}}{{end}}</td></tr>
{{- end}}
</tbody></table>
{{- if .Routes}}
<h3>Routes by time</h3>
<table class="sortable"><thead><tr><th>route</th><th>requests</th><th>total</th><th>mean</th><th>p99</th><th>statements per request</th></tr></thead><tbody>
{{- range .Routes}}
<tr><td><code>{{.Key}}</code></td><td data-v="{{.Requests}}">{{count .Requests}}</td><td data-v="{{.TotalTime}}">{{seconds .TotalTime}}</td><td data-v="{{.MeanTime}}">{{seconds .MeanTime}}</td><td data-v="{{.P99Time}}">{{seconds .P99Time}}</td><td data-v="{{.StatementsPerRequest}}">{{ratio .StatementsPerRequest}}</td></tr>
{{- end}}
</tbody></table>
{{- end}}
{{- if .Unmatched}}
<h3>Statements no query site sends</h3>
<table class="sortable"><thead><tr><th>DB time</th><th>calls</th><th>statement</th></tr></thead><tbody>
{{- range .Unmatched}}
<tr><td data-v="{{.TotalTime}}">{{seconds .TotalTime}}</td><td data-v="{{.Calls}}">{{count .Calls}}</td><td><code>{{.SQL}}</code></td></tr>
{{- end}}
</tbody></table>
{{- end}}
</section>
`))
})

// htmlTraffic renders the traffic section of the HTML report, or nothing
// without logs.
func htmlTraffic(r *graph.Report) (template.HTML, error) {
	if r.Traffic == nil {
		return "", nil
	}
	var b bytes.Buffer
	err := htmlTrafficTemplate().Execute(&b, map[string]any{
		"T": r.Traffic, "Headline": trafficHeadline(r.Traffic), "Rows": trafficRows(r),
		"Routes": trafficRoutes(r), "Unmatched": r.Unmatched,
	})
	return template.HTML(b.String()), err // html/template escaped every value
}

// trafficScript is the script the traffic section needs, or "".
func trafficScript(r *graph.Report) string {
	if r.Traffic == nil {
		return ""
	}
	return trafficJS
}

// trafficJS sorts a table.sortable by the column whose header is clicked:
// numbers by their data-v, text as text; a second click reverses.
const trafficJS = `
document.querySelectorAll("table.sortable th").forEach(function (th, _, all) {
  th.style.cursor = "pointer";
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var desc = th.dataset.dir !== "desc";
    th.dataset.dir = desc ? "desc" : "asc";
    var key = function (tr) {
      var td = tr.children[col];
      return td.dataset.v !== undefined ? parseFloat(td.dataset.v) : td.textContent;
    };
    Array.from(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b);
      var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return desc ? -c : c;
    }).forEach(function (tr) { body.appendChild(tr); });
  });
});
`

// ratio formats statements per request: 87, 2.5, or - when unknown.
func ratio(v float64) string {
	switch {
	case v == 0:
		return "-"
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
