package analyzer

import (
	"regexp"
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// guessTableRE finds the table after FROM, JOIN, INTO or UPDATE.
var guessTableRE = regexp.MustCompile("(?i)\\b(from|join|into|update)\\s+((?:`[^`]+`|\\w+)(?:\\.(?:`[^`]+`|\\w+))?)")

// guessTables reads the tables of SQL the parser rejected from its text
// alone, so that a route still shows what it touches: the statement's
// first keyword gives the operation on the table after INTO, UPDATE or
// DELETE FROM; the other tables are read.
func guessTables(sql string) []graph.TableOp {
	fields := strings.Fields(strings.ToUpper(sql))
	if len(fields) == 0 {
		return nil
	}
	first := fields[0]
	var out []graph.TableOp
	seen := map[graph.TableOp]bool{}
	for i, m := range guessTableRE.FindAllStringSubmatch(sql, -1) {
		name := m[2]
		if dot := strings.LastIndex(name, "."); dot >= 0 {
			name = name[dot+1:]
		}
		name = strings.ToLower(strings.Trim(name, "`"))
		op := graph.Select
		kw := strings.ToUpper(m[1])
		switch {
		case kw == "INTO" && (first == "INSERT" || first == "REPLACE"):
			op = graph.Insert
		case kw == "UPDATE" && first == "UPDATE":
			op = graph.Update
		case kw == "FROM" && first == "DELETE" && i == 0:
			op = graph.Delete
		}
		to := graph.TableOp{Table: name, Op: op}
		if !seen[to] && name != "" && name != "?" {
			seen[to] = true
			out = append(out, to)
		}
	}
	return out
}
