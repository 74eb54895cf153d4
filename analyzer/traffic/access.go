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

// readLTSV reads an nginx access log in LTSV, with the labels alp reads:
// method and uri (or req, "GET /x HTTP/1.1"), and the response time in
// seconds as reqtime, request_time, apptime or response_time.
func readLTSV(lr *lineReader, s sink) (bad int64, err error) {
	fields := make(map[string]string)
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		if err != nil {
			return bad, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		clear(fields)
		for _, f := range strings.Split(string(line), "\t") {
			if label, value, ok := strings.Cut(f, ":"); ok {
				fields[label] = value
			}
		}
		r, ok := requestOf(func(k string) (string, bool) { v, ok := fields[k]; return v, ok })
		if !ok {
			bad++
			continue
		}
		s.request(r)
	}
}

// requestOf reads a request from a log record's fields.
func requestOf(get func(string) (string, bool)) (Request, bool) {
	value := func(names ...string) string {
		for _, n := range names {
			if v, ok := get(n); ok && v != "" && v != "-" {
				return v
			}
		}
		return ""
	}
	r := Request{Method: value("method", "request_method"), URI: value("uri", "request_uri", "path", "url"), Count: 1}
	if req := value("req", "request"); req != "" && (r.Method == "" || r.URI == "") {
		if parts := strings.Fields(req); len(parts) >= 2 {
			r.Method, r.URI = parts[0], parts[1]
		}
	}
	t := value("reqtime", "request_time", "response_time", "apptime", "upstream_response_time", "duration")
	t, _, _ = strings.Cut(t, ",") // "0.003, 0.001": the first upstream's
	secs, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if r.Method == "" || r.URI == "" || err != nil || secs < 0 {
		return r, false
	}
	r.Time = secs
	return r, true
}

// accessObject reads one JSON object of an access log: a request (nginx
// JSON lines), or the sum over one method and URI (alp's JSON output:
// count, with sum and p99 at the top or under response_time).
func accessObject(m map[string]any, s sink) bool {
	if count, ok := m["count"]; ok {
		n, err := strconv.ParseInt(str(count), 10, 64)
		stats := m
		if rt, ok := first(m, "response_time", "ResponseTime").(map[string]any); ok {
			stats = rt
		}
		sum, err2 := strconv.ParseFloat(str(first(stats, "sum", "Sum")), 64)
		p99, _ := strconv.ParseFloat(str(first(stats, "p99", "P99")), 64)
		r := Request{Method: str(first(m, "method", "Method")), URI: str(first(m, "uri", "Uri")), Count: n, Time: sum, P99: p99}
		if err != nil || err2 != nil || n <= 0 || r.Method == "" || r.URI == "" {
			return false
		}
		s.request(r)
		return true
	}
	r, ok := requestOf(func(k string) (string, bool) {
		v, ok := m[k]
		return str(v), ok
	})
	if ok {
		s.request(r)
	}
	return ok
}

// readAlpTable reads alp's TSV output, or its table drawn with | and +:
// a header row naming Count, Method, Uri, Sum and P99, then a row per
// method and URI.
func readAlpTable(lr *lineReader, s sink) (bad int64, err error) {
	var col map[string]int
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		if err != nil {
			return bad, err
		}
		cells := splitTable(line)
		switch {
		case len(cells) == 0 || bytes.HasPrefix(line, []byte("+-")):
			continue
		case col == nil || headerHas(cells, "count", "uri"):
			col = make(map[string]int, len(cells))
			for i, c := range cells {
				col[strings.ToLower(c)] = i
			}
			continue
		}
		cell := func(name string) string {
			if i, ok := col[name]; ok && i < len(cells) {
				return cells[i]
			}
			return ""
		}
		n, err := strconv.ParseInt(cell("count"), 10, 64)
		sum, err2 := strconv.ParseFloat(cell("sum"), 64)
		p99, _ := strconv.ParseFloat(cell("p99"), 64)
		if err != nil || err2 != nil || n <= 0 || cell("method") == "" || cell("uri") == "" {
			bad++
			continue
		}
		s.request(Request{Method: cell("method"), URI: cell("uri"), Count: n, Time: sum, P99: p99})
	}
}

// splitTable splits a TSV row, or a table row drawn as "| a | b |", into
// its trimmed cells.
func splitTable(line []byte) []string {
	text := strings.TrimSpace(string(line))
	sep := "\t"
	if strings.HasPrefix(text, "|") {
		text, sep = strings.Trim(text, "|"), "|"
	}
	if text == "" {
		return nil
	}
	cells := strings.Split(text, sep)
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// splitCSVHeader splits a CSV header line on commas.
func splitCSVHeader(line []byte) []string {
	cells := strings.Split(string(line), ",")
	for i := range cells {
		cells[i] = strings.Trim(strings.TrimSpace(cells[i]), `"`)
	}
	return cells
}

// headerHas reports whether cells name every one of names, ignoring case.
func headerHas(cells []string, names ...string) bool {
	for _, n := range names {
		found := false
		for _, c := range cells {
			found = found || strings.EqualFold(c, n)
		}
		if !found {
			return false
		}
	}
	return true
}

// readJSONObjects reads a JSON array of objects, or one object per line,
// handing each to read; an object read rejects, or a line that is not an
// object, counts as bad.
func readJSONObjects(lr *lineReader, s sink, read func(map[string]any, sink) bool) (bad int64, err error) {
	if b, _ := lr.r.Peek(64 << 10); bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n\ufeff"), []byte("[")) {
		dec := json.NewDecoder(io.LimitReader(lr.r, maxJSONDocument))
		if _, err := dec.Token(); err != nil {
			return 0, err
		}
		for dec.More() {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				return bad + 1, nil // cut short: what came before stands
			}
			if !read(m, s) {
				bad++
			}
		}
		return bad, nil
	}
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		if err != nil {
			return bad, err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var m map[string]any
		if json.Unmarshal(line, &m) != nil || !read(m, s) {
			bad++
		}
	}
}

// str is a JSON value as text: a string as is, a number in decimal.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// first is the value of the first of keys that m has.
func first(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return nil
}
