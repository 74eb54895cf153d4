package analyzer

import (
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/crudmap/crudmap/sqlparse"
)

// maxSchemaBytes bounds a schema file crudmap reads: larger .sql files are
// data dumps.
const maxSchemaBytes = 8 << 20

// indexDDL finds statements that add indexes, which schema files kept
// apart from the CREATE TABLEs hold (sql/indexes.sql).
var indexDDL = regexp.MustCompile("(?i)\\b(create\\s+(unique\\s+|fulltext\\s+|spatial\\s+)?index|alter\\s+table\\s+[`\\w.]+\\s+add\\s+(unique|fulltext|spatial|primary|index|key|constraint))\\b")

// schemaResult is what reading the schema gave.
type schemaResult struct {
	schema *sqlparse.Schema
	files  []string // relative to the module root
	notes  []string
}

// readNamedSchema reads the files the -schema patterns match. The user
// named them: a symbolic link is followed, but only to a regular file.
func readNamedSchema(root string, patterns []string) ([]sqlparse.SchemaFile, []string) {
	var files []sqlparse.SchemaFile
	var notes []string
	for _, p := range patterns {
		matches, err := filepath.Glob(p)
		if err != nil || len(matches) == 0 {
			notes = append(notes, fmt.Sprintf("%s: no schema file matches; check the -schema path", p))
		}
		for _, m := range matches {
			src, err := readRegularTarget(m, maxSchemaBytes)
			if err != nil {
				notes = append(notes, fmt.Sprintf("%s: %s, skipped", relPathOf(root, m), skipReason(err, maxSchemaBytes)))
				continue
			}
			files = append(files, sqlparse.SchemaFile{Name: m, Src: src})
		}
	}
	return files, notes
}

// relPathOf names path relative to the module root, as reports name files
// (../sql/schema.sql beside the module), or as given when it has no
// relative form.
func relPathOf(root, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

// maxSchemaUp is how many directories above the module crudmap looks for
// the schema.
const maxSchemaUp = 2

// schemaSearch finds the schema files near a module. It lists directories
// and reads files through its two functions, so that tests can make a
// directory or a file fail as they would for a user who is not root.
type schemaSearch struct {
	openDir  func(path string) (dirReader, error)
	readFile func(path string, max int64) ([]byte, error)
}

// dirReader reads a directory's entries in batches, as *os.File does.
type dirReader interface {
	ReadDir(n int) ([]fs.DirEntry, error)
	Close() error
}

// osSchemaSearch searches the real file system.
var osSchemaSearch = schemaSearch{
	openDir:  func(path string) (dirReader, error) { return openDirectory(path) },
	readFile: readRegular,
}

// find returns the *.sql files holding schema DDL in the tree of the
// module rooted at root or, when it has none, in the tree of the nearest
// parent that has some, up to maxSchemaUp levels, never above a project's
// top (a repository root, a directory with a LICENSE) and never in a home
// or temporary directory: ISUCON apps keep webapp/sql beside webapp/go, or
// db/ further up. Above the module, the trees of other projects are not
// searched: their schema is not this app's. The notes name what was
// skipped (unreadable directories and files, special files, the walk's
// cap) and, when nothing was found, the asset trees left out.
func (s schemaSearch) find(root string) ([]sqlparse.SchemaFile, []string) {
	var notes, assets []string
	dir, searched := root, ""
	for up := 0; ; up++ {
		w := &schemaWalk{search: s, root: root, dir: dir, searched: searched}
		files := w.run()
		notes = append(notes, w.notes...)
		if len(files) > 0 {
			return files, notes
		}
		for _, rel := range w.assets {
			assets = append(assets, w.name(rel))
		}
		if up == maxSchemaUp || isProjectTop(dir) {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir || filepath.Dir(parent) == parent || sharedDir(parent) {
			break // never search a file system root, a home or /tmp
		}
		dir, searched = parent, dir
	}
	if len(assets) > 0 {
		notes = append(notes, "schema search left out asset directories: "+listSome(assets, 5))
	}
	return nil, notes
}

// sharedDir reports whether dir is the temporary directory, the user's
// home or above it: their trees hold unrelated projects.
func sharedDir(dir string) bool {
	if tmp, err := filepath.Abs(os.TempDir()); err == nil && tmp == dir {
		return true
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return false
	}
	home, err = filepath.Abs(home)
	return err == nil && (home == dir || strings.HasPrefix(home, dir+string(filepath.Separator)))
}

// isProjectTop reports whether dir is the top of a project: a repository
// root, or a directory holding the project's licence.
func isProjectTop(dir string) bool {
	entries, _ := os.ReadDir(dir)
	return hasProjectMark(entries)
}

// hasProjectMark reports whether a directory of these entries is the top
// of a project: it holds .git, or a LICENSE or COPYING file.
func hasProjectMark(entries []fs.DirEntry) bool {
	for _, e := range entries {
		name := strings.ToUpper(e.Name())
		if name == ".GIT" || !e.IsDir() && (strings.HasPrefix(name, "LICENSE") || strings.HasPrefix(name, "LICENCE") || strings.HasPrefix(name, "COPYING")) {
			return true
		}
	}
	return false
}

// maxSchemaWalk bounds the directory entries one walk looks at.
const maxSchemaWalk = 20000

// assetProbe is how many first entries of a directory tell it is an asset
// directory: when they all are images, fonts, media or archives, the rest
// is not read.
const assetProbe = 64

// schemaWalk searches one directory tree for the *.sql files that hold
// the schema.
type schemaWalk struct {
	search   schemaSearch
	root     string // the module root, which notes are relative to
	dir      string // the tree searched
	searched string // the subtree searched already (the level below), or "" at the module

	entries    int               // directory entries looked at
	stoppedIn  string            // the directory the walk stopped in at maxSchemaWalk entries
	sqlFiles   []string          // *.sql files found, relative to dir
	modules    []string          // other modules found above the module, relative to dir
	unreadable map[string]string // directories that could not be read, relative to dir → why
	assets     []string          // asset directories left out, relative to dir
	notes      []string
}

// run walks the tree and returns its schema files, sorted, in the order
// the parser reads them. Other projects' files, found above the module,
// are neither read nor named in notes.
func (w *schemaWalk) run() []sqlparse.SchemaFile {
	if !w.walkDir(".") {
		w.notes = append(w.notes, fmt.Sprintf("schema search stopped after %d entries, in %s; give the schema with -schema FILE", maxSchemaWalk, w.name(w.stoppedIn)))
	}
	tops := w.otherTops()
	w.noteUnreadable(tops)
	w.assets = w.ours(w.assets, tops)
	var files []sqlparse.SchemaFile
	for _, rel := range w.ours(w.sqlFiles, tops) {
		src, err := w.read(rel)
		if err != nil {
			w.notes = append(w.notes, fmt.Sprintf("%s: %s, skipped", w.name(rel), skipReason(err, maxSchemaBytes)))
			continue
		}
		if sqlparse.LooksLikeSchema(src) || indexDDL.Match(src) {
			files = append(files, sqlparse.SchemaFile{Name: filepath.Join(w.dir, filepath.FromSlash(rel)), Src: src})
		}
	}
	return files
}

// noteUnreadable names in a note the directories of this app's tree the
// walk could not read.
func (w *schemaWalk) noteUnreadable(tops map[string]bool) {
	var dirs []string
	for _, rel := range w.ours(slices.Sorted(maps.Keys(w.unreadable)), tops) {
		dirs = append(dirs, fmt.Sprintf("%s (%s)", w.name(rel), w.unreadable[rel]))
	}
	if len(dirs) > 0 {
		w.notes = append(w.notes, "schema search skipped directories it cannot read: "+listSome(dirs, 5))
	}
}

// above reports whether the walk is above the module, where other
// projects sit.
func (w *schemaWalk) above() bool { return w.searched != "" }

// name names rel, a path below the walked tree, relative to the module
// root.
func (w *schemaWalk) name(rel string) string {
	return relPathOf(w.root, filepath.Join(w.dir, filepath.FromSlash(rel)))
}

// walkDir walks the directory rel. It reports false when the walk must
// stop: maxSchemaWalk entries were looked at.
func (w *schemaWalk) walkDir(rel string) bool {
	entries, asset, err := w.list(rel)
	switch {
	case err != nil:
		if w.unreadable == nil {
			w.unreadable = map[string]string{}
		}
		w.unreadable[rel] = skipReason(err, 0)
		return true
	case asset:
		w.assets = append(w.assets, rel)
		return true
	case rel != "." && w.otherProject(rel, entries):
		return true
	}
	for _, e := range entries {
		if w.entries++; w.entries > maxSchemaWalk {
			w.stoppedIn = rel
			return false
		}
		child := path.Join(rel, e.Name())
		switch {
		case e.IsDir() && filepath.Join(w.dir, filepath.FromSlash(child)) == w.searched:
			// searched already
		case e.IsDir() && assetDirName(e.Name()):
			w.assets = append(w.assets, child)
		case e.IsDir() && !skippedDir(e.Name()):
			if !w.walkDir(child) {
				return false
			}
		case !e.IsDir() && isSchemaName(e.Name()):
			w.sqlFiles = append(w.sqlFiles, child)
		}
	}
	return true
}

// list reads the entries of directory rel, sorted by name. An asset
// directory (its first assetProbe entries are all asset files) is not
// read further: asset is true and entries nil.
func (w *schemaWalk) list(rel string) (entries []fs.DirEntry, asset bool, err error) {
	d, err := w.search.openDir(filepath.Join(w.dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, false, err
	}
	defer d.Close()
	first, err := d.ReadDir(assetProbe)
	if err != nil && err != io.EOF {
		return nil, false, err
	}
	if len(first) == assetProbe && allAssets(first) {
		return nil, true, nil
	}
	rest, err := d.ReadDir(-1)
	if err != nil {
		return nil, false, err
	}
	entries = append(first, rest...)
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return entries, false, nil
}

// otherProject reports whether the directory rel, of these entries, is
// not this app's: another module anywhere (its go.mod), and above the
// module, another project's top (.git, a licence) or a directory of Go
// files (a GOPATH-style app). Modules found above the module are kept:
// their parents are other projects' tops (webapp/go/go.mod).
func (w *schemaWalk) otherProject(rel string, entries []fs.DirEntry) bool {
	for _, e := range entries {
		if !e.IsDir() && e.Name() == "go.mod" {
			if w.above() {
				w.modules = append(w.modules, rel)
			}
			return true
		}
	}
	if !w.above() {
		return false
	}
	if hasProjectMark(entries) {
		return true
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") {
			return true
		}
	}
	return false
}

// otherTops returns the tops of the other projects found above the
// module: a directory that holds another module one or two levels down
// (webapp/go/go.mod) is that project's top.
func (w *schemaWalk) otherTops() map[string]bool {
	tops := map[string]bool{}
	for _, m := range w.modules {
		for i, dir := 0, path.Dir(m); i < 2 && dir != "."; i, dir = i+1, path.Dir(dir) {
			tops[dir] = true
		}
	}
	return tops
}

// ours returns the paths that are not below one of the other projects'
// tops.
func (w *schemaWalk) ours(paths []string, tops map[string]bool) []string {
	var out []string
	for _, p := range paths {
		if !underAny(p, tops) {
			out = append(out, p)
		}
	}
	return out
}

// underAny reports whether the slash path f is below one of dirs.
func underAny(f string, dirs map[string]bool) bool {
	for dir := path.Dir(f); dir != "."; dir = path.Dir(dir) {
		if dirs[dir] {
			return true
		}
	}
	return false
}

// read reads the candidate rel. A symbolic link is followed only to a file
// inside the walked tree; whatever is read must be a regular file.
func (w *schemaWalk) read(rel string) ([]byte, error) {
	file := filepath.Join(w.dir, filepath.FromSlash(rel))
	info, err := os.Lstat(file)
	if err != nil {
		return nil, err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(file)
		if err != nil {
			return nil, err
		}
		if !w.inTree(target) {
			return nil, fmt.Errorf("%w (symbolic link out of the tree searched)", errNotRegular)
		}
		file = target
	}
	return w.search.readFile(file, maxSchemaBytes)
}

// inTree reports whether file, free of symbolic links, is inside the
// walked tree.
func (w *schemaWalk) inTree(file string) bool {
	dir, err := filepath.EvalSymlinks(w.dir)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(dir, file)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// isSchemaName reports whether a file of this name may hold the schema:
// a .sql file that is not a migration's undoing (golang-migrate's
// *.down.sql).
func isSchemaName(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".sql") && !strings.HasSuffix(lower, ".down.sql")
}

// skippedDir reports whether a directory of this name never holds the
// app's schema: vendored code, test data, hidden and underscore
// directories.
func skippedDir(name string) bool {
	return name == "vendor" || name == "node_modules" || name == "bower_components" || name == "testdata" ||
		strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// assetDirName reports whether a directory of this name holds front-end
// assets, uploads or build output, never the schema.
func assetDirName(name string) bool {
	switch name {
	case "public", "static", "assets", "images", "img", "uploads", "dist", "build", "target":
		return true
	}
	return false
}

// allAssets reports whether the entries are all asset files: images,
// fonts, audio and video, archives.
func allAssets(entries []fs.DirEntry) bool {
	for _, e := range entries {
		if e.IsDir() || !assetExt[strings.ToLower(path.Ext(e.Name()))] {
			return false
		}
	}
	return true
}

// assetExt lists the extensions of asset files.
var assetExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true,
	".svg": true, ".ico": true, ".bmp": true, ".tif": true, ".tiff": true, ".heic": true,
	".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true,
	".mp3": true, ".wav": true, ".ogg": true, ".mp4": true, ".webm": true, ".mov": true,
	".zip": true, ".gz": true, ".tgz": true, ".bz2": true, ".xz": true, ".zst": true, ".tar": true,
	".pdf": true, ".bin": true, ".wasm": true,
}

// listSome joins the first max items, saying how many more there are.
func listSome(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:max], ", "), len(items)-max)
}
