package analyzer

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/crudmap/crudmap/graph"
	"golang.org/x/tools/go/ssa"
)

// readOnlyTx reports transactions whose every statement is a plain
// SELECT, per route that begins them, and those outside any route.
func (a *analysis) readOnlyTx() {
	var order []string
	found := map[string]*graph.Finding{}
	routes := map[string][]string{}
	judged := map[*origin]bool{}
	add := func(f *graph.Finding, route string) {
		if f == nil {
			return
		}
		// A transaction begun in a helper many routes share is one finding
		// that says how many routes run it.
		k := f.Pos + "|" + f.Message
		if found[k] == nil {
			found[k] = f
			order = append(order, k)
		}
		if route != "" {
			routes[k] = append(routes[k], route)
		}
	}
	for _, rt := range a.routes {
		for _, o := range begins(a.events[rt]) {
			judged[o] = true
			add(a.judgeTx(o, a.events[rt]), rt.method+" "+rt.path)
		}
	}
	for _, o := range begins(a.rest) {
		if !judged[o] {
			add(a.judgeTx(o, a.rest), "")
		}
	}
	for _, k := range order {
		attachRoutes(found[k], routes[k])
		a.findings = append(a.findings, found[k])
	}
}

// begins lists the transactions begun among events.
func begins(events []*event) []*origin {
	var out []*origin
	for _, e := range events {
		if e.begin != nil && !containsOrigin(out, e.begin) {
			out = append(out, e.begin)
		}
	}
	return out
}

// judgeTx classifies the transaction o from the statements that run in it.
func (a *analysis) judgeTx(o *origin, events []*event) *graph.Finding {
	var reads []*site
	tables := map[string]bool{}
	for _, e := range events {
		if e.escape == o {
			return nil // passed where crudmap cannot see what runs in it
		}
		if e.site == nil || !containsOrigin(e.txs, o) {
			continue
		}
		p := a.parsed[e.site]
		if p == nil || p.stmt == nil {
			why := "the parser rejects the SQL at %s"
			if e.site.text.dynamic {
				why = "the SQL at %s is built at run time and could write"
			}
			a.notes = append(a.notes, fmt.Sprintf("%s: transaction not judged: "+why, a.w.ix.position(a.w.ix.callPos(o.call)), a.w.ix.position(e.site.pos)))
			return nil
		}
		if p.stmt.Writes || p.stmt.Locking || p.stmt.Kind != "SELECT" {
			return nil
		}
		if !containsSite(reads, e.site) {
			reads = append(reads, e.site)
		}
		for _, t := range p.stmt.Tables {
			tables[t.Table] = true
		}
	}
	pos := a.w.ix.position(a.w.ix.callPos(o.call))
	f := &graph.Finding{Kind: graph.KindReadOnlyTx, Severity: graph.Warning, Pos: pos,
		Begin: pos, Reads: countPositions(reads), Tables: sortedKeys(tables), Func: a.w.ix.name(o.fn)}
	f.SQL = "tx " + strings.Join(f.Tables, ",")
	switch {
	case len(reads) == 0 && !onlyEnded(o):
		return nil // the transaction goes somewhere crudmap does not follow
	case len(reads) == 0:
		f.Message = "transaction runs no statement"
		f.Fix = "drop the transaction"
	case o.readOnly:
		f.Severity = graph.Info
		opts := "TxOptions{ReadOnly: true}"
		if strings.HasPrefix(o.method, "pgx") {
			opts = "TxOptions{AccessMode: pgx.ReadOnly}"
		}
		f.Message = fmt.Sprintf("read-only transaction (%s) runs %s", opts, readsText(f))
		f.Fix = "it buys one consistent snapshot; if the reads do not need one, run them on the DB handle and drop the transaction"
	default:
		f.Message = fmt.Sprintf("transaction only reads (%s)", readsText(f))
		f.Fix = "run the reads on the DB handle and drop BEGIN/COMMIT, or keep it only if the reads need one snapshot"
	}
	return f
}

func readsText(f *graph.Finding) string {
	plural := "s"
	if f.Reads == 1 {
		plural = ""
	}
	return fmt.Sprintf("%d SELECT%s on %s", f.Reads, plural, strings.Join(f.Tables, ", "))
}

func containsSite(ss []*site, s *site) bool {
	for _, t := range ss {
		if t == s {
			return true
		}
	}
	return false
}

// countPositions counts the distinct positions of sites: the variants of
// one call count once.
func countPositions(ss []*site) int {
	pos := map[int]bool{}
	for _, s := range ss {
		pos[int(s.pos)] = true
	}
	return len(pos)
}

// onlyEnded reports whether the transaction o begins is used only to
// commit or roll it back.
func onlyEnded(o *origin) bool {
	if o.fn == nil {
		return false
	}
	for _, b := range o.fn.Blocks {
		for _, in := range b.Instrs {
			if call, ok := in.(*ssa.Call); ok && call.Common() == o.call {
				return usedOnlyToEnd(call)
			}
		}
	}
	return false
}

// usedOnlyToEnd reports whether v, a transaction or a (tx, err) tuple, is
// used only as the receiver of Commit or Rollback.
func usedOnlyToEnd(v ssa.Value) bool {
	for _, ref := range *v.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Extract:
			if ref.Index == 0 && !usedOnlyToEnd(ref) {
				return false
			}
		case ssa.CallInstruction:
			c := ref.Common()
			_, _, name := calleeName(c)
			if len(c.Args) == 0 || c.Args[0] != v || (name != "Commit" && name != "Rollback") {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// readOnlyTxOptions reports whether opts, a Begin call's options, asks
// for a read-only transaction: &sql.TxOptions{ReadOnly: true}, or pgx's
// pgx.TxOptions{AccessMode: pgx.ReadOnly} (passed by value).
func readOnlyTxOptions(opts ssa.Value) bool {
	if load, ok := opts.(*ssa.UnOp); ok && load.Op == token.MUL {
		opts = load.X
	}
	alloc, ok := opts.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, ref := range *alloc.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		st := fa.X.Type().Underlying().(*types.Pointer).Elem().Underlying().(*types.Struct)
		name := st.Field(fa.Field).Name()
		if name != "ReadOnly" && name != "AccessMode" {
			continue
		}
		for _, fref := range *fa.Referrers() {
			s, ok := fref.(*ssa.Store)
			if !ok {
				continue
			}
			c, ok := s.Val.(*ssa.Const)
			switch {
			case !ok || c.Value == nil:
			case c.Value.Kind() == constant.Bool && constant.BoolVal(c.Value):
				return true // sql.TxOptions.ReadOnly
			case c.Value.Kind() == constant.String && constant.StringVal(c.Value) == "read only":
				return true // pgx.ReadOnly
			}
		}
	}
	return false
}
