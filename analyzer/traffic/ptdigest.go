package traffic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// readDigestText reads pt-query-digest's default report: per class, a
// "# Query N: ..." header, the attribute table (Count, Exec time, Rows
// sent, Rows examine) and an example statement ending in \G. It returns
// the number of classes it could not read.
func readDigestText(lr *lineReader, s sink) (bad int64, err error) {
	var (
		e              Execution
		inClass, taken bool // in a class; its statement read
		sql            []byte
	)
	flush := func() {
		if !inClass {
			return
		}
		inClass = false
		if !taken || e.Calls == 0 {
			bad++
			return
		}
		s.execution(e)
	}
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			flush()
			return bad, nil
		}
		if err != nil {
			return bad, err
		}
		switch {
		case bytes.HasPrefix(line, []byte("# Query ")) && bytes.Contains(line, []byte(" ID 0x")):
			flush()
			e, inClass, taken, sql = Execution{Dialect: MySQL}, true, false, sql[:0]
		case !inClass || taken:
		case bytes.HasPrefix(line, []byte("# ")):
			readDigestAttribute(&e, string(line[2:]))
		case isUse(bytes.TrimSuffix(line, []byte(`\G`))) || len(bytes.TrimSpace(line)) == 0:
		default:
			if room := maxStatement - len(sql); room > 0 {
				sql = append(sql, line[:min(len(line), room)]...)
				sql = append(sql, '\n')
			}
			if end, ok := bytes.CutSuffix(bytes.TrimSpace(sql), []byte(`\G`)); ok {
				e.SQL, taken = string(bytes.TrimSuffix(end, []byte(";"))), true
			}
		}
	}
}

// readDigestAttribute reads one row of a class's attribute table:
// "Count 35 3612", "Exec time 27 437ms 40us 3ms 120us ...", "Rows sent 4
// 1.55k ...", "Rows examine 35 22.16M ...".
func readDigestAttribute(e *Execution, row string) {
	name, rest := row, ""
	for _, n := range []string{"Count", "Exec time", "Rows sent", "Rows examine"} {
		if r, ok := strings.CutPrefix(row, n+" "); ok {
			name, rest = n, r
			break
		}
	}
	cols := strings.Fields(rest)
	if len(cols) < 2 {
		return
	}
	switch name {
	case "Count":
		n, _ := parseShort(cols[1])
		e.Calls = int64(n)
	case "Exec time":
		total, _ := parseDuration(cols[1])
		// Totals of a second or more are whole seconds: the mean, in ms or
		// µs, times the count is closer.
		if len(cols) >= 5 && total >= 1 && e.Calls > 0 {
			if avg, ok := parseDuration(cols[4]); ok && avg < 1 {
				total = avg * float64(e.Calls)
			}
		}
		e.Time = total
	case "Rows sent":
		n, _ := parseShort(cols[1])
		e.RowsSent = int64(n)
	case "Rows examine":
		n, _ := parseShort(cols[1])
		e.RowsExamined = int64(n)
	}
}

// parseShort reads a count as pt-query-digest prints it: 3612, 1.55k,
// 22.16M, 1.2G.
func parseShort(s string) (float64, bool) {
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k"):
		mult = 1e3
	case strings.HasSuffix(s, "M"):
		mult = 1e6
	case strings.HasSuffix(s, "G"):
		mult = 1e9
	}
	if mult != 1 {
		s = s[:len(s)-1]
	}
	f, err := strconv.ParseFloat(s, 64)
	return f * mult, err == nil && f >= 0
}

// parseDuration reads a time as pt-query-digest prints it: 40us, 437ms,
// 2s, in seconds.
func parseDuration(s string) (float64, bool) {
	for _, u := range []struct {
		suffix string
		scale  float64
	}{{"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(v, 64)
			return f * u.scale, err == nil && f >= 0
		}
	}
	return 0, false
}

// maxJSONDocument bounds a report read whole (pt-query-digest's JSON,
// pg_stat_statements as one array): they hold one entry per class.
const maxJSONDocument = 256 << 20

// readDigestJSON reads pt-query-digest --output json: {"classes": [{
// "fingerprint", "example": {"query"}, "metrics": {"Query_time": {"sum"},
// "Rows_sent": {"sum"}, "Rows_examined": {"sum"}}, "query_count"}]}.
func readDigestJSON(lr *lineReader, s sink) (bad int64, err error) {
	var doc struct {
		Classes []struct {
			Fingerprint string `json:"fingerprint"`
			Example     struct {
				Query string `json:"query"`
			} `json:"example"`
			QueryCount json.Number `json:"query_count"`
			Metrics    map[string]struct {
				Sum json.Number `json:"sum"`
			} `json:"metrics"`
		} `json:"classes"`
	}
	dec := json.NewDecoder(io.LimitReader(lr.r, maxJSONDocument))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return 0, fmt.Errorf("not pt-query-digest JSON: %v", err)
	}
	for _, c := range doc.Classes {
		sql := c.Example.Query
		if sql == "" {
			sql = c.Fingerprint
		}
		calls, err := c.QueryCount.Int64()
		if sql == "" || err != nil || calls <= 0 {
			bad++
			continue
		}
		t, _ := c.Metrics["Query_time"].Sum.Float64()
		sent, _ := c.Metrics["Rows_sent"].Sum.Float64()
		examined, _ := c.Metrics["Rows_examined"].Sum.Float64()
		s.execution(Execution{SQL: sql, Dialect: MySQL, Calls: calls, Time: t, RowsSent: int64(sent), RowsExamined: int64(examined)})
	}
	return bad, nil
}
