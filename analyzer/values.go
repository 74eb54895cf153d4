package analyzer

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/crudmap/crudmap/sqlparse"
	"golang.org/x/tools/go/ssa"
)

// value is what crudmap knows of an SSA value in one calling context: the
// SQL texts it may hold, the functions it may be, the transactions or
// prepared statements it may be, and the variables it may point to.
// The zero value knows nothing.
type value struct {
	// texts are the SQL texts v may hold: the first maxVariants whole
	// variants, then up to maxTexts cut ones that name a word the others
	// do not (see addCut).
	texts   []sqlText
	words   map[string]int // the texts holding each word (see addCut), once one was cut
	funcs   []*closure
	origins []*origin
	cells   []cell
	routers []*router
	// consts are the bool and number constants it may be, to tell which
	// branch a flag argument takes (makeTeamPB(db, t, false)).
	consts []constant.Value
	// dyn are the concrete types an interface value may hold, when known:
	// a call of its methods runs only theirs.
	dyn []types.Type
	// spelled is v's key, once asked for.
	spelled string
}

// nothing is the value of what crudmap knows nothing of. Like every
// resolved value it is never changed: merge changes only the value it
// builds.
var nothing = &value{}

func (v *value) empty() bool {
	return v == nil || len(v.texts)+len(v.funcs)+len(v.origins)+len(v.cells)+len(v.routers)+len(v.consts)+len(v.dyn) == 0
}

// merge adds to v what w may hold.
func (v *value) merge(w *value) {
	if w == nil {
		return
	}
	for _, t := range w.texts {
		v.addText(t)
	}
	v.funcs = union(v.funcs, w.funcs, func(a, b *closure) bool { return a.fn == b.fn && a.key() == b.key() })
	v.origins = union(v.origins, w.origins, func(a, b *origin) bool { return a == b })
	v.cells = union(v.cells, w.cells, func(a, b cell) bool { return a == b })
	v.routers = union(v.routers, w.routers, func(a, b *router) bool { return a == b })
	v.consts = union(v.consts, w.consts, func(a, b constant.Value) bool {
		return a.Kind() == b.Kind() && constant.Compare(a, token.EQL, b)
	})
	v.dyn = union(v.dyn, w.dyn, types.Identical)
}

// union appends to xs the elements of ys it does not hold.
func union[T any](xs, ys []T, same func(a, b T) bool) []T {
	for _, y := range ys {
		dup := false
		for _, x := range xs {
			if same(x, y) {
				dup = true
				break
			}
		}
		if !dup {
			xs = append(xs, y)
		}
	}
	return xs
}

// addText adds t to the texts of v. Past maxVariants, the longest are
// kept whole, as they hold the most conditions (a chain of optional
// "q += ..."); the others are kept only for their tables (see addCut).
func (v *value) addText(t sqlText) {
	for i, u := range v.texts {
		if u.same(t) {
			if t.cut && !u.cut {
				v.texts = slices.Clone(v.texts) // it may be another value's
				v.texts[i].cut = true
			}
			return
		}
	}
	if len(v.texts) < maxVariants {
		v.texts = append(v.texts, t)
		v.countWords(t, 1)
		return
	}
	if !v.texts[0].cut {
		v.texts = cutAll(v.texts)
	}
	t.cut = true
	shortest := 0
	for i, u := range v.texts[:maxVariants] {
		if len(u.text) < len(v.texts[shortest].text) {
			shortest = i
		}
	}
	if len(t.text) > len(v.texts[shortest].text) {
		v.countWords(t, 1)
		v.countWords(v.texts[shortest], -1)
		t, v.texts[shortest] = v.texts[shortest], t
	}
	v.addCut(t)
}

// addCut keeps t, a variant past maxVariants, when it has a word no text
// of v has, qualified by the first word of its text (DELETE FROM a is new
// beside SELECT * FROM a): so the tables and operations of every variant
// are counted, while the variants of a chain of optional conditions,
// whose words the longest holds, are not kept twice. At most maxTexts
// texts are kept.
func (v *value) addCut(t sqlText) {
	if len(v.texts) >= maxTexts {
		return
	}
	if v.words == nil {
		v.words = map[string]int{}
		for _, u := range v.texts {
			v.countWords(u, 1)
		}
	}
	novel := false
	eachWord(t.text, func(w string) { novel = novel || v.words[w] == 0 })
	if novel {
		v.texts = append(v.texts, t)
		v.countWords(t, 1)
	}
}

// countWords adds n to the count of each word of t, once a text was cut.
func (v *value) countWords(t sqlText, n int) {
	if v.words != nil {
		eachWord(t.text, func(w string) { v.words[w] += n })
	}
}

// eachWord calls f with each word of an SQL text, lower case, after the
// text's first word.
func eachWord(s string, f func(w string)) {
	first := ""
	for i := 0; i < len(s); {
		if !isWordByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		w := strings.ToLower(s[i:j])
		if first == "" {
			first = w
		}
		f(first + " " + w)
		i = j
	}
}

// isWordByte reports whether c may be part of an SQL word.
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// capTexts returns ts, in order, with at most maxVariants whole texts,
// the others kept as addCut keeps them; when some are, all are marked cut.
func capTexts(ts []sqlText) []sqlText {
	if len(ts) <= maxVariants {
		return ts
	}
	v := &value{texts: append([]sqlText(nil), ts[:maxVariants]...)}
	cut := false
	for _, t := range ts[maxVariants:] {
		if !slices.ContainsFunc(v.texts, t.same) {
			cut = true
			v.addCut(t)
		}
	}
	if cut {
		return cutAll(v.texts)
	}
	return v.texts
}

// cutAll returns a copy of ts, each marked as one of a set of variants
// that maxVariants cut.
func cutAll(ts []sqlText) []sqlText {
	out := make([]sqlText, len(ts))
	for i, t := range ts {
		t.cut = true
		out[i] = t
	}
	return out
}

// key identifies v for memoising the walk of a function by its
// arguments. A resolved value does not change: its key is spelled once.
func (v *value) key() string {
	if v.empty() {
		return "_"
	}
	if v.spelled == "" {
		v.spelled = v.spell()
	}
	return v.spelled
}

func (v *value) spell() string {
	var parts []string
	for _, t := range v.texts {
		parts = append(parts, strconv.Quote(t.text)+strconv.FormatBool(t.dynamic))
	}
	for _, c := range v.funcs {
		parts = append(parts, "f"+c.key())
	}
	for _, o := range v.origins {
		if !o.open {
			parts = append(parts, "o"+addr(o))
		}
	}
	for _, c := range v.cells {
		fkey := ""
		if c.frame != nil {
			fkey = c.frame.key
		}
		parts = append(parts, "c"+addr(c.alloc)+"@"+fkey)
	}
	for _, r := range v.routers {
		parts = append(parts, "r"+r.key)
	}
	for _, c := range v.consts {
		parts = append(parts, "k"+c.ExactString())
	}
	for _, t := range v.dyn {
		parts = append(parts, "t"+typeKey(t))
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

// maxVariants bounds the SQL texts kept whole for one value: each is a
// query of its own, checked against the indexes.
const maxVariants = 8

// maxTexts bounds all the SQL texts kept for one value, whole or only for
// their tables.
const maxTexts = 64

// sqlText is one possible SQL text. Dynamic texts hold "?" where a part
// is only known at run time.
type sqlText struct {
	text    string
	dynamic bool
	// loop is set on a text built from the value of loop, a φ-node, in
	// the previous iteration (q += "(?, ?),"): that φ-node drops it.
	loop *ssa.Phi
	// cut tells that the text is one of more than maxVariants, some of
	// which were cut, or kept only for their tables.
	cut bool
}

// addr spells the address of p, as %p does but at a fraction of its
// cost: keys of frames and values are built for every call walked.
func addr[T any](p *T) string {
	return strconv.FormatUint(uint64(uintptr(unsafe.Pointer(p))), 36)
}

// typeKey spells t for a key: a defined type by its address, a pointer
// by its element's key, other types by their string.
func typeKey(t types.Type) string {
	switch t := t.(type) {
	case *types.Pointer:
		return "*" + typeKey(t.Elem())
	case *types.Named:
		if t.TypeArgs() == nil {
			return addr(t)
		}
	}
	return t.String()
}

// same reports whether t and u are the same text.
func (t sqlText) same(u sqlText) bool {
	return t.text == u.text && t.dynamic == u.dynamic && t.loop == u.loop
}

// closure is a function value: a function and the frame giving its free
// variables (nil for a plain function).
type closure struct {
	fn  *ssa.Function
	env *frame
}

func (c *closure) key() string {
	if c.env == nil {
		return addr(c.fn)
	}
	return c.env.key
}

// origin is a transaction (from a Begin call) or a prepared statement.
type origin struct {
	call     *ssa.CallCommon // the Begin or Prepare call
	fn       *ssa.Function   // the function holding call
	begin    bool
	readOnly bool      // begun with TxOptions{ReadOnly: true}
	texts    []sqlText // a statement's SQL
	tx       []*origin // the transactions a statement runs in
	method   string
	// open marks a database handle from sql.Open or pgxpool.New: it only
	// tells its dialect, the dialect of the database an Open opens or a
	// transaction is begun on, when known. Frames do not tell handles apart.
	open    bool
	dialect sqlparse.Dialect
}

func containsOrigin(os []*origin, o *origin) bool {
	for _, p := range os {
		if p == o {
			return true
		}
	}
	return false
}

// cell is a variable whose address was taken or captured by a closure.
type cell struct {
	alloc *ssa.Alloc
	frame *frame
}

// frame is one calling context of a function: what its parameters and free
// variables hold.
type frame struct {
	fn     *ssa.Function
	params []*value
	free   []*value
	key    string
	// site and siteFn are the caller's call position and function, used
	// for the database calls of synthetic wrappers that have no position.
	site   token.Pos
	siteFn *ssa.Function
}

func (r *resolver) newFrame(fn *ssa.Function, params, free []*value) *frame {
	// Frames are made once per key, what their function and values are:
	// what resolves in one (a variable, a callee's results) is known in
	// all. Closures capture closures: a key spelled out in full grows
	// with each level, so a frame's own key is a short id. The full key
	// is spelled in a buffer, and kept only for a new frame.
	b := strconv.AppendUint(r.keyBuf[:0], uint64(uintptr(unsafe.Pointer(fn))), 36)
	b = append(b, '(')
	for _, p := range params {
		b = append(append(b, p.key()...), ',')
	}
	b = append(b, '|')
	for _, p := range free {
		b = append(append(b, p.key()...), ',')
	}
	b = append(b, ')')
	r.keyBuf = b
	if f, ok := r.frames[string(b)]; ok {
		return f
	}
	if r.frameCount[fn] >= maxFramesPerFunc {
		// Too many contexts (closures built from closures, deep
		// middleware chains): walk fn once more, knowing nothing.
		return r.anyFrame(fn)
	}
	r.frameCount[fn]++
	f := &frame{fn: fn, params: params, free: free, key: "#" + strconv.Itoa(len(r.frames))}
	r.frames[string(b)] = f
	return f
}

// maxFramesPerFunc bounds the calling contexts crudmap tells apart for
// one function: the walk stays linear in the code on any input.
const maxFramesPerFunc = 128

// anyFrame is the frame of fn in no known context.
func (r *resolver) anyFrame(fn *ssa.Function) *frame {
	key := addr(fn) + "(*)"
	f, ok := r.frames[key]
	if !ok {
		f = &frame{fn: fn, key: key}
		r.frames[key] = f
	}
	return f
}

// resolver computes values. Its origins are canonical per call site so
// that every context sees the same transaction for the same Begin.
type resolver struct {
	ix          *index
	db          dbTypes
	frames      map[string]*frame // by full key (see newFrame); their key is a short id
	keyBuf      []byte            // where newFrame spells full keys
	budget      int               // resolution steps left (see resolve)
	starved     bool              // the budget cut the resolution short
	nested      int
	frameCount  map[*ssa.Function]int
	storedMemo  map[any]storedValue        // see stored
	returns     map[returnKey]storedValue  // see returned
	allocStores map[*ssa.Alloc][]ssa.Value // see storesInto
	consts      map[*ssa.Const]*value      // see constant
	cellValues  map[cell]*value            // see variable
	phis        map[phiKey]storedValue     // see phi; for one resolution
	cycles      int                        // resolutions cut by a cycle
	// liveIn returns the blocks that run in a frame (nil: all), so that
	// a φ-node's edges from dead branches are left out.
	liveIn  func(*frame) map[*ssa.BasicBlock]bool
	origins map[string]*origin
	routers map[string]*router
	// cuts are the places where a bound of the analysis cut something
	// (see limits.go); wholeSites the sites reached as whole variants.
	cuts       map[cut]string
	wholeSites map[*site]bool
	ext        *sqlSources // what builders and named queries look up (namedsql.go)
}

// resolve returns what v may hold in frame f (f may be nil: no context).
func (r *resolver) resolve(v ssa.Value, f *frame) *value {
	return r.resolveWithin(v, f, maxResolveSteps)
}

// resolveWithin is resolve visiting at most steps values.
func (r *resolver) resolveWithin(v ssa.Value, f *frame, steps int) *value {
	top := r.nested == 0
	if top {
		r.budget, r.starved = steps, false
		r.phis = nil
	}
	r.nested++
	defer func() { r.nested-- }()
	out := r.resolveDepth(v, f, map[ssa.Value]bool{}, 0)
	if top && r.starved && steps == maxResolveSteps {
		r.cut(cutSteps, valuePos(v), "")
	}
	return out
}

// argSteps bounds the resolution of a call's arguments, done for every
// call walked: most are a constant, a closure or a parameter away.
const argSteps = 300

// maxResolveSteps bounds the values one resolution visits: stores into
// fields and globals, and the returns of callees, can fan out without end
// in large code; past the bound what is left is unknown.
const maxResolveSteps = 4000

const maxResolveDepth = 12

func (r *resolver) resolveDepth(v ssa.Value, f *frame, seen map[ssa.Value]bool, depth int) *value {
	if seen[v] {
		r.cycles++
		if phi, ok := v.(*ssa.Phi); ok && isString(v.Type()) {
			return &value{texts: []sqlText{{text: "?", dynamic: true, loop: phi}}}
		}
		return nothing
	}
	if depth > maxResolveDepth || r.budget <= 0 {
		r.starved = r.starved || r.budget <= 0
		return nothing
	}
	r.budget--
	seen[v] = true
	defer delete(seen, v)
	rec := func(w ssa.Value) *value { return r.resolveDepth(w, f, seen, depth+1) }
	// A string grown step by step (q += ...) is a chain of φ-nodes and
	// concatenations as long as the code: it costs no depth (cycles are
	// cut by seen, the work by the step bound).
	same := func(w ssa.Value) *value { return r.resolveDepth(w, f, seen, depth) }
	switch v := v.(type) {
	case *ssa.Parameter:
		if f != nil && f.fn == v.Parent() {
			for i, p := range f.fn.Params {
				if p == v && i < len(f.params) && f.params[i] != nil {
					return f.params[i]
				}
			}
		}
	case *ssa.FreeVar:
		if f != nil && f.fn == v.Parent() {
			for i, p := range f.fn.FreeVars {
				if p == v && i < len(f.free) && f.free[i] != nil {
					return f.free[i]
				}
			}
		}
	case *ssa.Const:
		return r.constant(v)
	case *ssa.Function:
		return &value{funcs: []*closure{{fn: v}}}
	case *ssa.MakeClosure:
		fn := v.Fn.(*ssa.Function)
		free := make([]*value, len(v.Bindings))
		for i, b := range v.Bindings {
			free[i] = rec(b)
		}
		return &value{funcs: []*closure{{fn: fn, env: r.newFrame(fn, nil, free)}}}
	case *ssa.Alloc:
		return r.variable(cell{alloc: v, frame: f})
	case *ssa.ChangeType:
		return rec(v.X)
	case *ssa.Convert:
		return rec(v.X)
	case *ssa.MakeInterface:
		out := &value{dyn: []types.Type{v.X.Type()}}
		out.merge(rec(v.X))
		return out
	case *ssa.ChangeInterface:
		return rec(v.X)
	case *ssa.TypeAssert:
		return rec(v.X)
	case *ssa.Phi:
		if isString(v.Type()) {
			return r.phi(v, f, depth, same)
		}
		return r.phi(v, f, depth, rec)
	case *ssa.BinOp:
		if v.Op == token.ADD && isString(v.Type()) {
			return &value{texts: concat(textsOf(same(v.X)), textsOf(same(v.Y)))}
		}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return r.load(v.X, f, seen, depth)
		}
	case *ssa.Extract:
		return r.extract(v, f, seen, depth)
	case *ssa.Lookup:
		if out := r.mapElem(v, seen, depth); !isString(v.Type()) || knownText(out.texts) {
			return out
		}
		return r.namedLookup(v, f)
	case *ssa.Call:
		return r.call(v, f, seen, depth)
	}
	return nothing
}

// phi resolves a φ-node: what any of its edges holds. A string built
// across loop iterations (q += ",(?, ?)") is known only up to what it held
// before the loop: those texts are dynamic.
//
// A chain of optional parts (if c1 { q += ...}; if c2 { q += ...}; ...)
// reaches each φ-node along every path: its value is kept for the rest of
// the resolution, so that the chain costs its length, not 2^length. It
// is not kept when a cycle, the depth or the step bound cut it short.
func (r *resolver) phi(v *ssa.Phi, f *frame, depth int, rec func(ssa.Value) *value) *value {
	key := phiKey{v, f}
	if m, ok := r.phis[key]; ok && m.depth <= depth {
		return m.value
	}
	cycles := r.cycles
	out := r.phiEdges(v, f, rec)
	if r.cycles == cycles && r.budget > 0 {
		if r.phis == nil {
			r.phis = map[phiKey]storedValue{}
		}
		r.phis[key] = storedValue{out, depth}
	}
	return out
}

// phiKey is a φ-node in a frame.
type phiKey struct {
	phi *ssa.Phi
	f   *frame
}

// phiEdges merges what the edges of a φ-node hold, but for edges from
// branches that do not run in frame f (if lock { q += " FOR UPDATE" }
// when lock is false).
func (r *resolver) phiEdges(v *ssa.Phi, f *frame, rec func(ssa.Value) *value) *value {
	var live map[*ssa.BasicBlock]bool
	if r.liveIn != nil && f != nil && f.fn == v.Parent() {
		live = r.liveIn(f)
	}
	out := &value{}
	carried := false
	for i, e := range v.Edges {
		if live != nil && !live[v.Block().Preds[i]] {
			continue
		}
		w := rec(e)
		texts := w.texts
		rest := *w
		rest.texts, rest.words = nil, nil
		out.merge(&rest)
		for _, t := range texts {
			if t.loop == v {
				carried = true
			} else {
				out.addText(t)
			}
		}
	}
	if carried {
		out.texts = dynamicAll(out.texts)
	}
	return out
}

// load resolves *addr: what was stored in the global, field or variable.
func (r *resolver) load(addr ssa.Value, f *frame, seen map[ssa.Value]bool, depth int) *value {
	switch a := addr.(type) {
	case *ssa.Global:
		text, ok := r.ix.embedded[a]
		if !ok {
			return r.stored(a, r.ix.globalStores[a], seen, depth)
		}
		out := &value{}
		out.addText(sqlText{text: text})
		out.merge(r.stored(a, r.ix.globalStores[a], seen, depth))
		return out
	case *ssa.FieldAddr:
		if named := r.namedField(a, f, seen, depth); named != nil {
			return named
		}
		cells := r.resolveDepth(a.X, f, seen, depth+1).cells
		if copied := r.copiedField(a, cells, seen, depth); copied != nil {
			return copied
		}
		if len(cells) > 0 && !anyEscapes(cells) {
			return r.fieldOfCells(cells, a, seen, depth)
		}
		out := &value{}
		if len(cells) > 0 && onlyReturned(cells) {
			// A constructor's result (&Queries{db: tx}): what it stored,
			// in its context, and what any code stores in the field later.
			out.merge(r.storedInCells(cells, a, seen, depth))
		}
		if k, ok := fieldKeyOf(a.X.Type(), a.Field); ok {
			out.merge(r.stored(k, r.ix.fieldStores[k], seen, depth))
			if k.strct.Field(a.Field).Embedded() {
				// sqlx.Tx embeds *sql.Tx: a promoted method runs on the
				// same transaction.
				out.origins = append(out.origins, r.resolveDepth(a.X, f, seen, depth+1).origins...)
			}
		}
		return out
	}
	if ia, ok := addr.(*ssa.IndexAddr); ok {
		// for _, q := range []string{...}: every element.
		if sl, ok := ia.X.(*ssa.Slice); ok {
			if alloc, ok := sl.X.(*ssa.Alloc); ok {
				out := &value{}
				for _, e := range arrayValues(alloc) {
					out.merge(r.resolveDepth(e, f, seen, depth+1))
				}
				return out
			}
		}
		// for _, m := range migrations, a package variable: every element
		// of the slice literals stored in it.
		if g, ok := loadedGlobal(ia.X); ok {
			out := &value{}
			for _, e := range globalSliceElems(r.ix.globalStores[g]) {
				out.merge(r.resolveDepth(e, nil, seen, depth+1))
			}
			if !out.empty() {
				return out
			}
		}
	}
	cells := r.resolveDepth(addr, f, seen, depth+1).cells
	var stored values
	for _, c := range cells {
		for _, v := range r.storesInto(c.alloc) {
			stored.add(r.resolveDepth(v, c.frame, seen, depth+1))
		}
	}
	if copiesStruct(addr) {
		out := &value{}
		out.merge(stored.value())
		out.cells = append(out.cells, cells...) // see copiedField
		return out
	}
	return stored.value()
}

// values merges values, making a new one only when there are two: most
// variables are stored to once.
type values struct{ one, merged *value }

func (vs *values) add(w *value) {
	switch {
	case vs.merged != nil:
		vs.merged.merge(w)
	case vs.one == nil:
		vs.one = w
	default:
		vs.merged = &value{}
		vs.merged.merge(vs.one)
		vs.merged.merge(w)
	}
}

func (vs *values) value() *value {
	switch {
	case vs.merged != nil:
		return vs.merged
	case vs.one != nil:
		return vs.one
	}
	return nothing
}

// storesInto returns the values stored into the variable alloc. A
// function registering hundreds of routes has variables with thousands
// of referrers, loaded as often: they are looked through once.
func (r *resolver) storesInto(alloc *ssa.Alloc) []ssa.Value {
	if vals, ok := r.allocStores[alloc]; ok {
		return vals
	}
	var vals []ssa.Value
	for _, ref := range *alloc.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc {
			vals = append(vals, st.Val)
		}
	}
	if r.allocStores == nil {
		r.allocStores = map[*ssa.Alloc][]ssa.Value{}
	}
	r.allocStores[alloc] = vals
	return vals
}

// stored resolves what the stores into a global or a field of a struct
// type (key) put there, in no context. The answer is the same wherever
// the load is, but for how deep the resolution may still go: an answer
// found with as much depth left, and within the step bound, is reused.
// (A cycle through the load cuts a resolution short too, but what the
// cycle would add comes from the same stores.)
func (r *resolver) stored(key any, vals []ssa.Value, seen map[ssa.Value]bool, depth int) *value {
	if m, ok := r.storedMemo[key]; ok && m.depth <= depth {
		return m.value
	}
	out := &value{}
	for _, s := range vals {
		out.merge(r.resolveDepth(s, nil, seen, depth+1))
	}
	if r.budget > 0 {
		r.storedMemo[key] = storedValue{out, depth}
	}
	return out
}

// storedValue is a memoised answer of stored, and the depth it was
// found at.
type storedValue struct {
	value *value
	depth int
}

// fieldOfCells resolves a field of variables crudmap knows
// (&opts{Team: true}): what was stored in it, or its zero value.
func (r *resolver) fieldOfCells(cells []cell, a *ssa.FieldAddr, seen map[ssa.Value]bool, depth int) *value {
	out := &value{}
	for _, c := range cells {
		stored := r.storedInCells([]cell{c}, a, seen, depth)
		if stored == nil {
			stored = zeroValue(a.Type().(*types.Pointer).Elem())
		}
		out.merge(stored)
	}
	return out
}

// storedInCells resolves what the functions declaring cells store in the
// field a addresses, each in its cell's context; nil when they store
// nothing there.
func (r *resolver) storedInCells(cells []cell, a *ssa.FieldAddr, seen map[ssa.Value]bool, depth int) *value {
	var out *value
	for _, c := range cells {
		for _, ref := range *c.alloc.Referrers() {
			fa, ok := ref.(*ssa.FieldAddr)
			if !ok || fa.Field != a.Field {
				continue
			}
			for _, fref := range *fa.Referrers() {
				if st, ok := fref.(*ssa.Store); ok && st.Addr == fa {
					if out == nil {
						out = &value{}
					}
					out.merge(r.resolveDepth(st.Val, c.frame, seen, depth+1))
				}
			}
		}
	}
	return out
}

// anyEscapes reports whether one of cells escapes: its fields may have
// been written where crudmap does not look (db.Get(&c, ...)).
func anyEscapes(cells []cell) bool {
	for _, c := range cells {
		if escapes(c.alloc, true) {
			return true
		}
	}
	return false
}

// onlyReturned reports whether cells escape only by being returned, to
// callers that may store into their fields later.
func onlyReturned(cells []cell) bool {
	for _, c := range cells {
		if escapes(c.alloc, false) {
			return false
		}
	}
	return true
}

// escapes reports whether a variable's address reaches code crudmap does
// not follow (a library call, a store, an interface), which may write it,
// or, when returned is true, is returned.
func escapes(alloc *ssa.Alloc, returned bool) bool {
	for _, ref := range *alloc.Referrers() {
		switch ref := ref.(type) {
		case *ssa.FieldAddr, *ssa.DebugRef:
		case *ssa.Return:
			if returned {
				return true
			}
		case ssa.CallInstruction:
			if callee := ref.Common().StaticCallee(); callee == nil || callee.Blocks == nil {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// zeroValue is what a variable of type t holds before any store.
func zeroValue(t types.Type) *value {
	b, ok := t.Underlying().(*types.Basic)
	switch {
	case !ok:
		return &value{}
	case b.Info()&types.IsBoolean != 0:
		return &value{consts: []constant.Value{constant.MakeBool(false)}}
	case b.Info()&types.IsInteger != 0:
		return &value{consts: []constant.Value{constant.MakeInt64(0)}, texts: []sqlText{{text: "0"}}}
	case b.Info()&types.IsString != 0:
		return &value{texts: []sqlText{{text: ""}}}
	}
	return &value{}
}

// extract resolves one result of a call returning several.
func (r *resolver) extract(v *ssa.Extract, f *frame, seen map[ssa.Value]bool, depth int) *value {
	if l, ok := v.Tuple.(*ssa.Lookup); ok && v.Index == 0 { // x, ok := m[k]
		return r.mapElem(l, seen, depth)
	}
	call, ok := v.Tuple.(*ssa.Call)
	if !ok {
		return &value{}
	}
	c := call.Common()
	if db := r.db.classify(c); db.kind != notDB {
		if v.Index == 0 {
			return r.dbResult(c, db, f)
		}
		return &value{}
	}
	if v.Index == 0 && isPassThrough(c) && len(c.Args) > 0 {
		return r.resolveDepth(c.Args[0], f, seen, depth+1)
	}
	if v.Index == 0 {
		if t := r.libraryResult(c, f, seen, depth); t != nil {
			return t
		}
	}
	return r.returned(c, v.Index, f, seen, depth)
}

// mapElem resolves m[k] for a map a global or a struct field holds: any
// value the module puts in it.
func (r *resolver) mapElem(l *ssa.Lookup, seen map[ssa.Value]bool, depth int) *value {
	if _, ok := l.X.Type().Underlying().(*types.Map); !ok {
		return &value{} // a byte of a string
	}
	k, ok := mapKey(l.X)
	if !ok {
		return &value{}
	}
	return r.stored(mapElemKey{k}, r.ix.mapStores[k], seen, depth)
}

// mapElemKey keys the elements of a map in stored's memo, apart from the
// global or field holding the map.
type mapElemKey struct{ m any }

// call resolves the single result of a call.
func (r *resolver) call(v *ssa.Call, f *frame, seen map[ssa.Value]bool, depth int) *value {
	c := v.Common()
	if db := r.db.classify(c); db.kind != notDB {
		return r.dbResult(c, db, f)
	}
	if t := r.stringCall(c, f, seen, depth); t != nil {
		return t
	}
	if t := r.builtText(v, f, seen, depth); t != nil {
		return t
	}
	if t := r.libraryResult(c, f, seen, depth); t != nil {
		return t
	}
	if rs := r.routerCall(c, f); rs != nil {
		return rs
	}
	return r.returned(c, 0, f, seen, depth)
}

// returned resolves result i of a call of a module function from what its
// return statements give, in a frame for the call's arguments.
func (r *resolver) returned(c *ssa.CallCommon, i int, f *frame, seen map[ssa.Value]bool, depth int) *value {
	callee := c.StaticCallee()
	if callee == nil || callee.Blocks == nil || depth > maxResolveDepth/2 {
		return nothing
	}
	args := make([]*value, len(c.Args))
	for j, a := range c.Args {
		args[j] = r.resolveDepth(a, f, seen, depth+1)
	}
	var free []*value
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		for _, b := range mc.Bindings {
			free = append(free, r.resolveDepth(b, f, seen, depth+1))
		}
	}
	cf := r.newFrame(callee, args, free)
	key := returnKey{cf.key, i}
	if m, ok := r.returns[key]; ok && m.depth <= depth {
		return m.value
	}
	cycles := r.cycles
	var results values
	for _, b := range callee.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && i < len(ret.Results) {
			results.add(r.resolveDepth(ret.Results[i], cf, seen, depth+1))
		}
	}
	out := results.value()
	if r.cycles == cycles && r.budget > 0 {
		r.returns[key] = storedValue{out, depth}
	}
	return out
}

// returnKey is result i of a function in a calling context (a frame's
// key). Handler factories and middleware are called with the same
// arguments at each of hundreds of registrations: what their returns
// give, found with no cycle or step bound cutting it short, is reused
// wherever as much depth is left.
type returnKey struct {
	frame string
	i     int
}

// dbResult is the transaction a Begin returns or the statement a Prepare
// returns; each is one origin per call site and context.
func (r *resolver) dbResult(c *ssa.CallCommon, db dbCall, f *frame) *value {
	switch db.kind {
	case dbBegin:
		key := fmt.Sprintf("%p", c)
		o := r.origins[key]
		if o == nil {
			o = &origin{call: c, fn: r.ix.callerFn[c], begin: true, method: db.method, readOnly: readOnlyTxOptions(db.opts),
				dialect: handleDialect(r.resolve(db.handle, f))}
			r.origins[key] = o
		}
		return &value{origins: []*origin{o}}
	case dbOpen:
		key := fmt.Sprintf("%p", c)
		if r.origins[key] == nil {
			r.origins[key] = &origin{call: c, fn: r.ix.callerFn[c], method: db.method, open: true, dialect: db.dialect}
		}
		return &value{origins: []*origin{r.origins[key]}}
	case dbPrepare, dbStmtOf:
		var texts []sqlText
		var txs []*origin
		handle := r.resolve(db.handle, f)
		if db.kind == dbPrepare {
			texts = r.callTexts(c, db, f)
			txs = beginsOf(handle)
		} else if len(c.Args) > 1 {
			stmt := r.resolve(c.Args[len(c.Args)-1], f)
			for _, o := range stmt.origins {
				texts = append(texts, o.texts...)
			}
			txs = beginsOf(handle)
		}
		key := fmt.Sprintf("%p%v%p", c, texts, txs)
		o := r.origins[key]
		if o == nil {
			o = &origin{call: c, fn: r.ix.callerFn[c], texts: texts, tx: txs, method: db.method}
			r.origins[key] = o
		}
		return &value{origins: []*origin{o}}
	}
	return &value{}
}

// beginsOf returns the transactions among v's origins.
func beginsOf(v *value) []*origin {
	var out []*origin
	for _, o := range v.origins {
		if o.begin {
			out = append(out, o)
		} else {
			out = append(out, o.tx...)
		}
	}
	return out
}

// Values are not changed once resolved (merge changes only the value it
// builds), so the most frequent ones are made once: constants and
// variables.

// constant is constValue(c), made once.
func (r *resolver) constant(c *ssa.Const) *value {
	v, ok := r.consts[c]
	if !ok {
		v = constValue(c)
		if r.consts == nil {
			r.consts = map[*ssa.Const]*value{}
		}
		r.consts[c] = v
	}
	return v
}

// variable is the value pointing to the variable c, made once.
func (r *resolver) variable(c cell) *value {
	v, ok := r.cellValues[c]
	if !ok {
		v = &value{cells: []cell{c}}
		if r.cellValues == nil {
			r.cellValues = map[cell]*value{}
		}
		r.cellValues[c] = v
	}
	return v
}

func constValue(c *ssa.Const) *value {
	if c.Value == nil {
		return &value{}
	}
	switch c.Value.Kind() {
	case constant.String:
		return &value{texts: []sqlText{{text: constant.StringVal(c.Value)}}}
	case constant.Int, constant.Float:
		return &value{texts: []sqlText{{text: c.Value.ExactString()}}, consts: []constant.Value{c.Value}}
	case constant.Bool:
		return &value{consts: []constant.Value{c.Value}}
	}
	return &value{}
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}
