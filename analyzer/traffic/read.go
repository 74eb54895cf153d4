package traffic

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Execution is a logged statement: one execution (Calls 1) in a slow log,
// or the sum over a digest's executions in a report of digests.
type Execution struct {
	SQL     string
	Dialect Dialect
	Calls   int64
	Time    float64 // seconds, summed over the calls
	// Rows examined and sent, when the log has them.
	RowsExamined, RowsSent int64
}

// Request is a logged HTTP request (Count 1), or the sum over the requests
// of one method and path in a report of them (alp's output).
type Request struct {
	Method, URI string
	Count       int64
	Time        float64 // seconds, summed over the requests
	// P99 is the 99th percentile of the response time, for a sum.
	P99 float64
}

// sink receives what a reader finds in a log.
type sink interface {
	execution(Execution)
	request(Request)
}

// maxLine is the longest line a reader keeps; the rest of a longer line is
// skipped (a bulk INSERT with a large blob in a slow log).
const maxLine = 1 << 20

// lineReader reads lines of at most maxLine bytes, without their line
// ending, counting the cut ones.
type lineReader struct {
	r   *bufio.Reader
	cut int64
}

func newLineReader(r *bufio.Reader) *lineReader { return &lineReader{r: r} }

// next returns the next line, valid until the next call, or io.EOF.
func (l *lineReader) next() ([]byte, error) {
	line, err := l.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		l.cut++
		kept := append([]byte(nil), line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = l.r.ReadSlice('\n')
		}
		line = kept
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(line) == 0 && err != nil {
		return nil, io.EOF
	}
	return bytes.TrimRight(line, "\r\n"), nil
}

// format is a log format crudmap reads.
type format int

const (
	unknownFormat format = iota
	slowLog              // MySQL or MariaDB slow query log
	digestText           // pt-query-digest's default report
	digestJSON           // pt-query-digest --output json
	pgssCSV              // pg_stat_statements as CSV
	pgssJSON             // pg_stat_statements as JSON (an array or one object per line)
	accessLTSV           // nginx LTSV, as alp reads it
	accessJSON           // nginx JSON lines, or alp's JSON output
	alpTSV               // alp's TSV output (or its table)
)

// String names the format in a note: "a MySQL slow log".
func (f format) String() string {
	return [...]string{"an unknown log", "a MySQL slow log", "a pt-query-digest report", "a pt-query-digest JSON report",
		"pg_stat_statements as CSV", "pg_stat_statements as JSON", "an LTSV access log", "a JSON access log", "alp's output"}[f]
}

// statements reports whether f is a log of statements, not of requests.
func (f format) statements() bool {
	return f == slowLog || f == digestText || f == digestJSON || f == pgssCSV || f == pgssJSON
}

// readers read each format, returning the number of malformed entries.
var readers = map[format]func(*lineReader, sink) (int64, error){
	slowLog:    readSlowLog,
	digestText: readDigestText,
	digestJSON: readDigestJSON,
	pgssCSV:    readPGSSCSV,
	pgssJSON:   func(lr *lineReader, s sink) (int64, error) { return readJSONObjects(lr, s, pgssObject) },
	accessLTSV: readLTSV,
	accessJSON: func(lr *lineReader, s sink) (int64, error) { return readJSONObjects(lr, s, accessObject) },
	alpTSV:     readAlpTable,
}

// detect names the format of a log from its first bytes.
func detect(head []byte) format {
	text := bytes.TrimLeft(head, " \t\r\n\ufeff")
	first, _, _ := bytes.Cut(text, []byte("\n"))
	switch {
	case len(text) == 0:
		return unknownFormat
	case bytes.Contains(head, []byte("# Overall:")) || bytes.Contains(head, []byte("# Profile")) ||
		bytes.Contains(head, []byte("# Query 1:")):
		return digestText
	case bytes.Contains(head, []byte("# Query_time:")) || bytes.HasPrefix(text, []byte("# Time:")) ||
		bytes.HasPrefix(text, []byte("# User@Host:")) || bytes.Contains(first, []byte(", Version: ")):
		return slowLog
	case text[0] == '{' || text[0] == '[':
		switch {
		case bytes.Contains(head, []byte(`"classes"`)):
			return digestJSON
		case bytes.Contains(head, []byte(`"calls"`)) && bytes.Contains(head, []byte(`"query"`)):
			return pgssJSON
		}
		return accessJSON
	case isLTSV(first):
		return accessLTSV
	case bytes.Contains(first, []byte(",")) && headerHas(splitCSVHeader(first), "query", "calls"):
		return pgssCSV
	case headerHas(splitTable(first), "count", "uri"):
		return alpTSV
	case bytes.HasPrefix(first, []byte("+-")):
		second, _, _ := bytes.Cut(text[len(first)+1:], []byte("\n"))
		if headerHas(splitTable(second), "count", "uri") {
			return alpTSV
		}
	}
	return unknownFormat
}

// isLTSV reports whether line is tab-separated label:value fields naming a
// request.
func isLTSV(line []byte) bool {
	fields := bytes.Split(line, []byte("\t"))
	labels := 0
	for _, f := range fields {
		if i := bytes.IndexByte(f, ':'); i > 0 && bytes.IndexByte(f[:i], ' ') < 0 {
			labels++
		}
	}
	return labels >= 2 && labels == len(fields) &&
		(bytes.Contains(line, []byte("uri:")) || bytes.Contains(line, []byte("req:")) || bytes.Contains(line, []byte("request:")))
}

// readLog reads a log in the format its content shows, sending what it
// finds to s. kind is "statement" or "access": a log of the other kind is
// an error naming what it is.
func readLog(r io.Reader, name, kind string, s sink) (notes []string, err error) {
	br := bufio.NewReaderSize(r, maxLine)
	head, _ := br.Peek(64 << 10)
	f := detect(head)
	switch {
	case f == unknownFormat && kind == "statement":
		return nil, fmt.Errorf("%s: not a statement log crudmap reads (a MySQL slow log, a pt-query-digest report or JSON, pg_stat_statements as CSV or JSON)", name)
	case f == unknownFormat:
		return nil, fmt.Errorf("%s: not an access log crudmap reads (nginx LTSV or JSON lines, alp's TSV or JSON output)", name)
	case f.statements() && kind != "statement":
		return nil, fmt.Errorf("%s: %s, not an access log: pass it with -slowlog", name, f)
	case !f.statements() && kind == "statement":
		return nil, fmt.Errorf("%s: %s, not a statement log: pass it with -accesslog", name, f)
	}
	lr := newLineReader(br)
	bad, err := readers[f](lr, s)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if bad > 0 {
		notes = append(notes, fmt.Sprintf("%s: %d malformed entries skipped (cut short, or not in the format of the rest)", name, bad))
	}
	if lr.cut > 0 {
		notes = append(notes, fmt.Sprintf("%s: %d lines longer than 1 MiB read in part", name, lr.cut))
	}
	return notes, nil
}
