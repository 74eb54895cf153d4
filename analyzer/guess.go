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
	for i, loc := range guessTableRE.FindAllStringSubmatchIndex(sql, -1) {
		m := []string{sql[loc[0]:loc[1]], sql[loc[2]:loc[3]], sql[loc[4]:loc[5]]}
		before := strings.Fields(strings.ToUpper(sql[:loc[0]]))
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
		upsert := kw == "UPDATE" && len(before) > 0 && (before[len(before)-1] == "DO" || before[len(before)-1] == "KEY")
		if upsert || name == "set" && kw == "UPDATE" {
			// ON CONFLICT ... DO UPDATE SET, ON DUPLICATE KEY UPDATE:
			// the INSERT's table is updated too.
			if len(out) > 0 && out[0].Op == graph.Insert {
				to = graph.TableOp{Table: out[0].Table, Op: graph.Update}
			} else {
				continue
			}
		}
		if !seen[to] && name != "" && name != "?" {
			seen[to] = true
			out = append(out, to)
		}
	}
	return out
}
