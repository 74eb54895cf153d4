package traffic

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
)

// readPGSSCSV reads pg_stat_statements exported as CSV with a header
// (\copy (SELECT * FROM pg_stat_statements) TO 'f.csv' CSV HEADER): the
// columns query, calls, total_exec_time (total_time before Postgres 13),
// in milliseconds, and rows.
func readPGSSCSV(lr *lineReader, s sink) (bad int64, err error) {
	cr := csv.NewReader(lr.r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return 0, err
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	field := func(rec []string, names ...string) string {
		for _, n := range names {
			if i, ok := col[n]; ok && i < len(rec) {
				return rec[i]
			}
		}
		return ""
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			bad++
			continue
		}
		if err != nil {
			return bad, err
		}
		e, ok := pgssExecution(field(rec, "query"), field(rec, "calls"),
			field(rec, "total_exec_time", "total_time"), field(rec, "rows"))
		if !ok {
			bad++
			continue
		}
		s.execution(e)
	}
}

// pgssExecution is one pg_stat_statements row; times are in milliseconds.
func pgssExecution(query, calls, totalMS, rows string) (Execution, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(calls), 10, 64)
	ms, err2 := strconv.ParseFloat(strings.TrimSpace(totalMS), 64)
	if strings.TrimSpace(query) == "" || err != nil || err2 != nil || n <= 0 || ms < 0 {
		return Execution{}, false
	}
	sent, _ := strconv.ParseInt(strings.TrimSpace(rows), 10, 64)
	return Execution{SQL: query, Dialect: Postgres, Calls: n, Time: ms / 1000, RowsSent: sent}, true
}

// pgssObject reads one pg_stat_statements row as a JSON object (from
// SELECT json_agg(s) FROM pg_stat_statements s, or row_to_json per line).
func pgssObject(m map[string]any, s sink) bool {
	e, ok := pgssExecution(str(m["query"]), str(m["calls"]), str(first(m, "total_exec_time", "total_time")), str(m["rows"]))
	if ok {
		s.execution(e)
	}
	return ok
}
