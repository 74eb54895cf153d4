package traffic

import (
	"bytes"
	"errors"
	"io"
	"strconv"
)

// maxStatement is the longest statement text kept; normalising the first
// 64 KiB of a longer one (a bulk INSERT) gives its normal form.
const maxStatement = 64 << 10

// readSlowLog reads a MySQL or MariaDB slow query log: entries of "#"
// header lines, the "# Query_time: ..." one among them, then the
// statement, after "use db;" and "SET timestamp=...;" lines. It returns
// the number of entries it could not read: a header without a statement,
// a Query_time line without numbers, stray lines between a statement's
// closing ";" and the next entry.
func readSlowLog(lr *lineReader, s sink) (bad int64, err error) {
	var (
		e       Execution // the entry being read
		inEntry bool      // a Query_time line was read
		done    bool      // the statement ended with ";"
		sql     []byte
	)
	flush := func() {
		if !inEntry {
			return
		}
		inEntry, done = false, false
		text := bytes.TrimSpace(sql)
		text = bytes.TrimSpace(bytes.TrimSuffix(text, []byte(";")))
		sql = sql[:0]
		if len(text) == 0 {
			bad++
			return
		}
		e.SQL = string(text)
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
		case bytes.HasPrefix(line, []byte("# Query_time:")):
			if inEntry && len(bytes.TrimSpace(sql)) > 0 {
				flush()
			} else if inEntry {
				bad++ // the last entry had no statement
			}
			var ok bool
			e, ok = parseQueryTime(line)
			inEntry, done = ok, false
			if !ok {
				bad++
			}
		case bytes.HasPrefix(line, []byte("# administrator command:")):
			inEntry = false // a protocol command (Quit, Prepare), no statement
			sql = sql[:0]
		case bytes.HasPrefix(line, []byte("# Time:")), bytes.HasPrefix(line, []byte("# User@Host:")):
			if inEntry && len(bytes.TrimSpace(sql)) > 0 {
				flush() // the next entry's header
			}
		case len(line) > 0 && line[0] == '#':
			// Other header lines: Thread_id, Rows_affected, the query plan.
		case bytes.Contains(line, []byte(", Version: ")) && bytes.Contains(line, []byte("started with")):
			flush() // the server restarted: its banner follows
		case !inEntry:
			// The banner, or lines outside any entry.
		case len(sql) == 0 && (bytes.HasPrefix(line, []byte("SET timestamp=")) || isUse(line)):
		case done:
			// Stray lines after the statement: one malformed entry; the
			// lines up to the next entry are outside any.
			flush()
			bad++
		default:
			if room := maxStatement - len(sql); room > 0 {
				sql = append(sql, line[:min(len(line), room)]...)
				sql = append(sql, '\n')
			}
			done = bytes.HasSuffix(bytes.TrimRight(line, " \t"), []byte(";"))
		}
	}
}

// isUse reports whether line is the "use db;" line a slow log writes when
// the entry's database differs from the previous one's.
func isUse(line []byte) bool {
	return len(line) > 4 && bytes.EqualFold(line[:4], []byte("use ")) && line[len(line)-1] == ';' &&
		bytes.IndexByte(line[4:], ' ') < 0
}

// parseQueryTime reads "# Query_time: 0.000102  Lock_time: 0.000000
// Rows_sent: 0  Rows_examined: 0".
func parseQueryTime(line []byte) (Execution, bool) {
	e := Execution{Dialect: MySQL, Calls: 1}
	fields := bytes.Fields(line[1:])
	ok := false
	for i := 0; i+1 < len(fields); i += 2 {
		value := string(fields[i+1])
		switch string(fields[i]) {
		case "Query_time:":
			t, err := strconv.ParseFloat(value, 64)
			if err != nil || t < 0 {
				return e, false
			}
			e.Time, ok = t, true
		case "Rows_sent:":
			e.RowsSent, _ = strconv.ParseInt(value, 10, 64)
		case "Rows_examined:":
			e.RowsExamined, _ = strconv.ParseInt(value, 10, 64)
		}
	}
	return e, ok
}
