package analyzer

import (
	"cmp"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// index holds the facts about the module's SSA that several passes look up:
// who calls a function, where closures are made, what is stored in globals
// and struct fields, and where each call expression starts.
type index struct {
	*program
	funcs        []*ssa.Function // the module's functions with bodies, in source order
	inModule     map[*ssa.Package]bool
	callers      map[*ssa.Function][]*ssa.CallCommon
	callerFn     map[*ssa.CallCommon]*ssa.Function
	closures     map[*ssa.Function][]*ssa.MakeClosure
	valueRefs    map[*ssa.Function]bool // used as a value, not only called
	globalStores map[*ssa.Global][]ssa.Value
	mapStores    map[any][]ssa.Value    // values put in the map a global or field holds (see mapKey)
	embedded     map[*ssa.Global]string // //go:embed file contents
	fieldStores  map[fieldKey][]ssa.Value
	callStarts   []callStart             // every call expression, by Lparen once indexed
	methodOwners map[string][]types.Type // method name → *T of the module's types having it
	names        map[*ssa.Function]string
	modulePkgs   map[*types.Package]bool
	impls        map[implKey][]*ssa.Function
	fileLoops    map[*token.File][]*loop
	once         map[*ssa.Function]bool // functions that run once per process (see runsOnce)
	infoOf       map[*types.Package]*types.Info
}

type fieldKey struct {
	strct *types.Struct
	field int
}

type implKey struct {
	iface  *types.Interface
	method string
}

func newIndex(p *program) *index {
	ix := &index{
		program:      p,
		inModule:     map[*ssa.Package]bool{},
		callers:      map[*ssa.Function][]*ssa.CallCommon{},
		callerFn:     map[*ssa.CallCommon]*ssa.Function{},
		closures:     map[*ssa.Function][]*ssa.MakeClosure{},
		valueRefs:    map[*ssa.Function]bool{},
		globalStores: map[*ssa.Global][]ssa.Value{},
		mapStores:    map[any][]ssa.Value{},
		embedded:     map[*ssa.Global]string{},
		fieldStores:  map[fieldKey][]ssa.Value{},
		impls:        map[implKey][]*ssa.Function{},
		fileLoops:    map[*token.File][]*loop{},
		infoOf:       map[*types.Package]*types.Info{},
		methodOwners: map[string][]types.Type{},
		names:        map[*ssa.Function]string{},
		modulePkgs:   map[*types.Package]bool{},
	}
	for _, sp := range p.ssaPkgs {
		ix.inModule[sp] = true
	}
	// The syntax scan fills callStarts and fileLoops alone, while the SSA
	// indexes are built: two cores, two halves.
	scanned := make(chan struct{})
	var embedNotes []string
	go func() {
		defer close(scanned)
		for _, pkg := range p.pkgs {
			for _, f := range pkg.Syntax {
				ix.scanFile(f, pkg.TypesInfo)
			}
			texts, notes := p.embeddedTexts(pkg)
			for g, text := range texts {
				ix.embedded[g] = text
			}
			embedNotes = append(embedNotes, notes...)
		}
		slices.SortFunc(ix.callStarts, func(a, b callStart) int { return cmp.Compare(a.lparen, b.lparen) })
	}()
	ix.collectFuncs()
	for _, fn := range ix.funcs {
		ix.indexBody(fn)
	}
	for _, pkg := range p.pkgs {
		ix.collectTypes(pkg.Types)
		ix.modulePkgs[pkg.Types] = true
		ix.infoOf[pkg.Types] = pkg.TypesInfo
	}
	<-scanned
	ix.notes = append(ix.notes, embedNotes...)
	return ix
}

// collectFuncs enumerates every function declared in the module, with its
// closures, in source order.
func (ix *index) collectFuncs() {
	seen := map[*ssa.Function]bool{}
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		if fn == nil || seen[fn] || fn.Blocks == nil {
			return
		}
		seen[fn] = true
		ix.funcs = append(ix.funcs, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, pkg := range ix.pkgs {
		var objs []*types.Func
		for _, obj := range pkg.TypesInfo.Defs {
			if f, ok := obj.(*types.Func); ok {
				objs = append(objs, f)
			}
		}
		sort.Slice(objs, func(i, j int) bool { return objs[i].Pos() < objs[j].Pos() })
		for _, obj := range objs {
			add(ix.prog.FuncValue(obj))
		}
		if sp := ix.prog.Package(pkg.Types); sp != nil {
			if init, ok := sp.Members["init"].(*ssa.Function); ok {
				add(init)
			}
		}
	}
}

// indexBody records fn's call sites, closures, stores, and the functions
// it uses as values.
func (ix *index) indexBody(fn *ssa.Function) {
	var operands []*ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			operands = instr.Operands(operands[:0])
			for i, op := range operands {
				if f, ok := (*op).(*ssa.Function); ok && !(i == 0 && isStaticCall(instr)) {
					ix.valueRefs[f] = true
				}
			}
			switch in := instr.(type) {
			case ssa.CallInstruction:
				c := in.Common()
				ix.callerFn[c] = fn
				if callee := c.StaticCallee(); callee != nil {
					ix.callers[callee] = append(ix.callers[callee], c)
				}
			case *ssa.MakeClosure:
				f := in.Fn.(*ssa.Function)
				ix.closures[f] = append(ix.closures[f], in)
			case *ssa.Store:
				ix.indexStore(in)
			case *ssa.MapUpdate:
				if k, ok := mapKey(in.Map); ok {
					ix.mapStores[k] = append(ix.mapStores[k], in.Value)
				}
			}
		}
	}
}

// isStaticCall reports whether instr calls a function named directly,
// its first operand.
func isStaticCall(instr ssa.Instruction) bool {
	c, ok := instr.(ssa.CallInstruction)
	return ok && !c.Common().IsInvoke() && c.Common().StaticCallee() != nil
}

// unused reports whether fn is code nothing can run: an unexported
// function, not a method, that no code calls or uses as a value.
func (ix *index) unused(fn *ssa.Function) bool {
	obj := fn.Object()
	return obj != nil && !obj.Exported() && fn.Signature.Recv() == nil && fn.Parent() == nil &&
		fn.Name() != "main" && fn.Name() != "init" &&
		len(ix.callers[fn]) == 0 && len(ix.closures[fn]) == 0 && !ix.valueRefs[fn]
}

func (ix *index) indexStore(st *ssa.Store) {
	switch addr := st.Addr.(type) {
	case *ssa.Global:
		ix.globalStores[addr] = append(ix.globalStores[addr], st.Val)
	case *ssa.FieldAddr:
		if k, ok := fieldKeyOf(addr.X.Type(), addr.Field); ok {
			ix.fieldStores[k] = append(ix.fieldStores[k], st.Val)
		}
	}
}

// mapKey names the map m is: the global or the struct field holding it
// (stmts[q] with var stmts = map[string]*sql.Stmt{}), loaded or, for a
// map literal, stored there.
func mapKey(m ssa.Value) (any, bool) {
	addrKey := func(addr ssa.Value) (any, bool) {
		switch a := addr.(type) {
		case *ssa.Global:
			return a, true
		case *ssa.FieldAddr:
			return fieldKeyOf(a.X.Type(), a.Field)
		}
		return nil, false
	}
	switch m := m.(type) {
	case *ssa.UnOp:
		if m.Op == token.MUL {
			return addrKey(m.X)
		}
	case *ssa.MakeMap:
		for _, ref := range *m.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Val == m {
				return addrKey(st.Addr)
			}
		}
	}
	return nil, false
}

func fieldKeyOf(ptr types.Type, field int) (fieldKey, bool) {
	p, ok := ptr.Underlying().(*types.Pointer)
	if !ok {
		return fieldKey{}, false
	}
	s, ok := p.Elem().Underlying().(*types.Struct)
	return fieldKey{s, field}, ok
}

func (ix *index) collectTypes(pkg *types.Package) {
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
			continue
		}
		if named, ok := tn.Type().(*types.Named); ok && named.TypeParams().Len() > 0 {
			continue
		}
		ptr := types.NewPointer(tn.Type())
		ms := ix.prog.MethodSets.MethodSet(ptr)
		for i := 0; i < ms.Len(); i++ {
			name := ms.At(i).Obj().Name()
			ix.methodOwners[name] = append(ix.methodOwners[name], ptr)
		}
	}
}

// implementations returns the module's methods that a call of method on a
// value of interface type iface may run. Only the module's own interfaces
// are dispatched: a call through io.Writer or context.Context reaching
// application code that queries is too rare to pay for on every call.
func (ix *index) implementations(t types.Type, method string) []*ssa.Function {
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil || !ix.modulePkgs[named.Obj().Pkg()] {
		return nil
	}
	iface, ok := named.Underlying().(*types.Interface)
	if !ok {
		return nil
	}
	key := implKey{iface, method}
	if fns, ok := ix.impls[key]; ok {
		return fns
	}
	var fns []*ssa.Function
	pkg := named.Obj().Pkg()
	for _, ptr := range ix.methodOwners[method] {
		if !token.IsExported(method) && ptr.(*types.Pointer).Elem().(*types.Named).Obj().Pkg() != pkg {
			continue // an unexported method is implemented only in its package
		}
		if !types.Implements(ptr, iface) {
			continue
		}
		if sel := lookupMethod(ix.prog.MethodSets.MethodSet(ptr), method); sel != nil {
			if fn := ix.prog.MethodValue(sel); fn != nil {
				fns = append(fns, fn)
			}
		}
	}
	ix.impls[key] = fns
	return fns
}

// methodsOf returns the module's methods named method of the concrete
// types an interface value is known to hold.
func (ix *index) methodsOf(dyn []types.Type, method string) []*ssa.Function {
	var fns []*ssa.Function
	for _, t := range dyn {
		if sel := lookupMethod(ix.prog.MethodSets.MethodSet(t), method); sel != nil {
			if fn := ix.prog.MethodValue(sel); fn != nil && fn.Blocks != nil {
				fns = append(fns, fn)
			}
		}
	}
	return fns
}

// lookupMethod finds a method by name in a method set, exported or not.
func lookupMethod(ms *types.MethodSet, name string) *types.Selection {
	for i := 0; i < ms.Len(); i++ {
		if ms.At(i).Obj().Name() == name {
			return ms.At(i)
		}
	}
	return nil
}

// position formats pos as "file:line:col" relative to the module root.
func (p *program) position(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	ps := p.fset.Position(pos)
	return p.relName(ps.Filename) + ":" + strconv.Itoa(ps.Line) + ":" + strconv.Itoa(ps.Column)
}

// relName returns a file's name relative to the module root, with
// slashes, or its name as it is when it is outside the module.
func (p *program) relName(file string) string {
	if rel, ok := p.relNames.Load(file); ok {
		return rel.(string)
	}
	rel := file
	if r, err := filepath.Rel(p.root, file); err == nil && !strings.HasPrefix(r, "..") {
		rel = filepath.ToSlash(r)
	}
	p.relNames.Store(file, rel)
	return rel
}

// before orders positions by file name, then offset: token.Pos values of
// different files depend on the order go/packages parsed them in.
func (p *program) before(a, b token.Pos) bool {
	pa, pb := p.fset.Position(a), p.fset.Position(b)
	if pa.Filename != pb.Filename {
		return pa.Filename < pb.Filename
	}
	return pa.Offset < pb.Offset
}

// callPos is the position of the call expression of c (its start, not its
// parenthesis), or pos of the go/defer statement.
func (ix *index) callPos(c *ssa.CallCommon) token.Pos {
	i, ok := slices.BinarySearchFunc(ix.callStarts, c.Pos(), func(s callStart, p token.Pos) int { return cmp.Compare(s.lparen, p) })
	if ok {
		return ix.callStarts[i].start
	}
	return c.Pos()
}

// callStart is where a call expression starts and its parenthesis.
type callStart struct{ lparen, start token.Pos }

// name is funcName(fn), computed once per function.
func (ix *index) name(fn *ssa.Function) string {
	n, ok := ix.names[fn]
	if !ok {
		n = funcName(fn)
		ix.names[fn] = n
	}
	return n
}

// funcName names fn as reports do: F, T.M, or F.func1 for closures,
// qualified by package outside package main.
func funcName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return funcName(fn.Parent()) + ".func" + strings.TrimPrefix(fn.Name()[strings.LastIndex(fn.Name(), "$"):], "$")
	}
	name := fn.Name()
	if obj, ok := fn.Object().(*types.Func); ok {
		name = obj.Name()
		if recv := obj.Type().(*types.Signature).Recv(); recv != nil {
			name = recvTypeName(recv.Type()) + "." + name
		}
		if pkg := obj.Pkg(); pkg != nil && pkg.Name() != "main" {
			name = pkg.Name() + "." + name
		}
		return name
	}
	return strings.TrimSuffix(strings.TrimSuffix(name, "$bound"), "$thunk")
}

func recvTypeName(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	switch t := t.(type) {
	case *types.Named:
		return t.Obj().Name()
	case *types.Alias:
		return t.Obj().Name()
	}
	return types.TypeString(t, func(*types.Package) string { return "" })
}
