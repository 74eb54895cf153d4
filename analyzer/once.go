package analyzer

import (
	"go/types"
	"strings"
	"unicode"

	"golang.org/x/tools/go/ssa"
)

// runsOnce reports whether fn runs once per process: main, an init
// function, a CLI command's Run function, migration code (see isMigration), or
// a function only such functions call, outside goroutines and job or tick
// loops (route registration, migrations, configuration loading before the
// server starts). Its loops repeat nothing per request.
func (ix *index) runsOnce(fn *ssa.Function) bool {
	if ix.once == nil {
		ix.once = ix.onceFuncs()
	}
	return ix.once[fn]
}

// onceFuncs returns the functions that run once per process, grown from
// main and the init functions until no caller adds one.
func (ix *index) onceFuncs() map[*ssa.Function]bool {
	once := map[*ssa.Function]bool{}
	for _, fn := range ix.funcs {
		if isMainOrInit(fn) || isMigration(fn) {
			once[fn] = true
		}
	}
	for _, fn := range ix.commandFuncs() {
		once[fn] = true
	}
	spawned, invoked := ix.goCallsAndInvokes()
	for grown := true; grown; {
		grown = false
		for _, fn := range ix.funcs {
			if once[fn] || !ix.onlyCalled(fn, invoked) {
				continue
			}
			all := true
			for _, c := range ix.callers[fn] {
				caller := ix.callerFn[c]
				if !once[caller] || spawned[c] || ix.inRoundLoop(caller, c) {
					all = false
					break
				}
			}
			if all {
				once[fn], grown = true, true
			}
		}
	}
	return once
}

// isMainOrInit reports whether fn is a main package's main or an init
// function.
func isMainOrInit(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Signature.Recv() != nil || fn.Pkg == nil {
		return false
	}
	if fn.Name() == "init" || strings.HasPrefix(fn.Name(), "init#") {
		return true
	}
	return fn.Name() == "main" && fn.Pkg.Pkg.Name() == "main"
}

// migrationPkgs are the names of packages holding schema and data
// migrations (goose's Go migrations, a migrate package): they run once.
var migrationPkgs = setOf("migrations", "migration", "migrate", "migrator")

// isMigration reports whether fn belongs to a migrations package, or is
// named for migrations wherever it is: a function or method (or a closure
// in one) with the word Migration(s) in its name (ApplyMigration,
// runMigrations), one named Migrate, or a method of a type so named
// (migration_2_8_26's PostApply).
func isMigration(fn *ssa.Function) bool {
	if fn.Pkg != nil && migrationPkgs[fn.Pkg.Pkg.Name()] {
		return true
	}
	for fn.Parent() != nil {
		fn = fn.Parent() // a closure runs as part of the function it is in
	}
	if strings.EqualFold(fn.Name(), "migrate") || namesMigration(fn.Name()) {
		return true
	}
	recv := fn.Signature.Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && namesMigration(named.Obj().Name())
}

// namesMigration reports whether one of the words of an identifier
// (split at capitals and underscores) is migration or migrations.
func namesMigration(ident string) bool {
	word := func(w string) bool {
		w = strings.ToLower(w)
		return w == "migration" || w == "migrations"
	}
	start := 0
	for i, r := range ident {
		if r == '_' || unicode.IsUpper(r) {
			if word(ident[start:i]) {
				return true
			}
			start = i
			if r == '_' {
				start++
			}
		}
	}
	return word(ident[start:])
}

// commandFields are the fields of a cobra.Command holding what the
// command runs, once per process.
var commandFields = setOf("Run", "RunE", "PreRun", "PreRunE", "PersistentPreRun", "PersistentPreRunE", "PostRun", "PostRunE")

// commandFuncs returns the functions stored in a CLI command's Run fields
// (&cobra.Command{Run: func(...) {...}}).
func (ix *index) commandFuncs() []*ssa.Function {
	var out []*ssa.Function
	for k, vals := range ix.fieldStores {
		field := k.strct.Field(k.field)
		if field.Pkg() == nil || field.Pkg().Path() != "github.com/spf13/cobra" || !commandFields[field.Name()] {
			continue
		}
		for _, v := range vals {
			switch v := v.(type) {
			case *ssa.Function:
				out = append(out, v)
			case *ssa.MakeClosure:
				out = append(out, v.Fn.(*ssa.Function))
			}
		}
	}
	return out
}

// onlyCalled reports whether fn runs only where the module calls it by
// name: it has callers, is never used as a value (a handler, a callback),
// and, for a method, no interface call may reach it.
func (ix *index) onlyCalled(fn *ssa.Function, invoked map[string]bool) bool {
	if len(ix.callers[fn]) == 0 || ix.valueRefs[fn] {
		return false
	}
	if fn.Signature.Recv() != nil && invoked[fn.Name()] {
		return false
	}
	for _, mc := range ix.closures[fn] {
		for _, ref := range *mc.Referrers() {
			c, ok := ref.(ssa.CallInstruction)
			if !ok || c.Common().Value != mc {
				return false // passed on: whoever receives it may call it anywhere
			}
		}
	}
	return true
}

// goCallsAndInvokes returns the calls of the module made by go
// statements, and the names of the methods it calls through interfaces.
func (ix *index) goCallsAndInvokes() (spawned map[*ssa.CallCommon]bool, invoked map[string]bool) {
	spawned, invoked = map[*ssa.CallCommon]bool{}, map[string]bool{}
	for _, fn := range ix.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, ok := instr.(*ssa.Go); ok {
					spawned[c.Common()] = true
				}
				if c.Common().IsInvoke() {
					invoked[c.Common().Method.Name()] = true
				}
			}
		}
	}
	return spawned, invoked
}

// inRoundLoop reports whether call c of fn is inside a job or tick loop:
// it runs once per job or tick, not once per process.
func (ix *index) inRoundLoop(fn *ssa.Function, c *ssa.CallCommon) bool {
	for _, l := range ix.loopsAround(fn, c.Pos()) {
		if l.kind != perElement {
			return true
		}
	}
	return false
}
