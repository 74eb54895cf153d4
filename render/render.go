// Package render writes a graph.Report in the formats crudmap offers: a text
// summary for the terminal, Markdown for a team note, JSON and SARIF for
// tools, GitHub Actions annotations, Graphviz DOT and SVG, and a
// self-contained HTML page.
package render

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// Format names an output format.
type Format string

// The formats.
const (
	Text     Format = "text"
	Markdown Format = "md"
	JSON     Format = "json"
	DOT      Format = "dot"
	SVG      Format = "svg"
	HTML     Format = "html"
	SARIF    Format = "sarif"
	GitHub   Format = "github"
)

// Options tune the renderers.
type Options struct {
	// Graph is "compact" (drop pass-through helpers) or "full".
	Graph string
	// MarkdownFull adds every route's SQL and the schema's indexes to the
	// Markdown report, which otherwise stops after the CRUD matrix.
	MarkdownFull bool
	// Version is crudmap's version, for SARIF's tool.driver.version.
	Version string
	// PathPrefix is the module root's path in its repository ("webapp/go/"),
	// put before file paths in the formats repository tools read (SARIF,
	// GitHub annotations); positions are otherwise relative to the module.
	PathPrefix string
	// Layout lays out a DOT graph as SVG, for the SVG and HTML reports
	// (svg.Render, or a command running it). The renderers do not link
	// Graphviz themselves: see package render/svg.
	Layout func(dot []byte) ([]byte, error)
	// NotesApart leaves the notes out of the text report: the caller
	// prints them apart with WriteNotes (crudmap, on stderr).
	NotesApart bool
	// Lang is the language of the text, Markdown and HTML reports' prose
	// (see Lang); "" is English.
	Lang Lang
}

// FormatOf returns the format named by a file's extension.
func FormatOf(filename string) (Format, error) {
	switch ext := strings.ToLower(filepath.Ext(filename)); ext {
	case ".md", ".markdown":
		return Markdown, nil
	case ".json":
		return JSON, nil
	case ".dot", ".gv":
		return DOT, nil
	case ".svg":
		return SVG, nil
	case ".html", ".htm":
		return HTML, nil
	case ".sarif":
		return SARIF, nil
	case ".txt":
		return Text, nil
	default:
		return "", fmt.Errorf("%s: unknown report format %q (use .md, .json, .dot, .svg, .html, .sarif or .txt)", filename, ext)
	}
}

// Write renders r to w in format f.
func Write(w io.Writer, f Format, r *graph.Report, opt Options) error {
	switch f {
	case Text:
		return writeText(w, r, opt)
	case Markdown:
		return writeMarkdownIn(w, r, opt)
	case JSON:
		return writeJSON(w, r)
	case DOT:
		return writeDOT(w, r, opt)
	case SVG:
		return writeSVG(w, r, opt)
	case HTML:
		return writeHTMLIn(w, r, opt)
	case SARIF:
		return writeSARIF(w, r, opt)
	case GitHub:
		return writeGitHub(w, r, opt)
	}
	return fmt.Errorf("unknown format %q", f)
}
