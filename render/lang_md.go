package render

import (
	"bytes"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/crudmap/crudmap/graph"
)

// The Markdown report's own words are in mdWords (markdown.go); its
// Japanese is written in English first and then translated line by line:
// each of mdWords' formats becomes a pattern whose arguments carry over
// into the Japanese format of the same name. Code blocks are left as they
// are. TestMarkdownWordsJapanese checks that every word has its Japanese.

// mdWordsJa are mdWords' formats in Japanese, by field name; %[n]s and
// %[n]d stand for the English format's arguments.
var mdWordsJa = map[string]string{
	"title":             "# crudmap: %[1]s\n\n",
	"noRoutes":          "HTTP ルートが見つかりません。",
	"headline":          "**%[1]s** · 指摘: %[2]s",
	"noFindings":        "指摘なし",
	"warning":           "> **警告:** %[1]s\n",
	"unknownSQL":        "> **SQL 不明**: %[1]s\n\n",
	"findings":          "## 指摘\n\n",
	"background":        "どのルートも実行しません (ワーカー、起動時のコード、または crudmap が解決できなかったルート)",
	"fixLabel":          "修正案: %[1]s",
	"fixAsFor":          "修正案: %[1]s と同じ",
	"andMore":           "ほか %[1]d 件",
	"kindCount":         "%[2]s **%[1]d**件",
	"ddl":               "### 追加するインデックス\n\n",
	"ddlIntro":          "上の指摘が提案するインデックスです。そのままコピーできます:\n\n",
	"matrix":            "## CRUD 表\n\n",
	"matrixSummary":     "<details><summary>ルート %[1]d × テーブル %[2]d</summary>\n\n",
	"noTables":          "テーブルに触れるルートはありません。\n\n",
	"legend":            "C 作成 (INSERT)、R 読み取り (SELECT)、U 更新、D 削除、O その他 (SET, TRUNCATE, DDL など)。文字の後の `*`: ループの1回ごとに実行 (N+1)。\n\n",
	"routesWithoutSQL":  "SQL を実行しないルート: %[1]s。\n\n",
	"cache":             "## キャッシュ候補\n\n",
	"cacheIntro":        "次のテーブルはルートから読まれ、initialize 以外のどのルートも書き込みません: %[1]s。\n\n",
	"notes":             "## 注\n\n",
	"more":              "ルートごとの SQL とスキーマのインデックス: `crudmap -md-full -o report.md` または HTML レポート (`-o report.html`)。\n",
	"routesHeading":     "## ルート\n\n",
	"routeSummary":      "<details><summary>%[1]s — %[2]s — %[3]s</summary>\n\n",
	"registered":        "登録: %[1]s、ハンドラ %[2]s。",
	"middleware":        " ミドルウェア: %[1]s。",
	"missingQuery":      "クエリ %[1]s がレポートにありません。\n\n",
	"queryAt":           "**%[1]s** (%[2]s)",
	"queryIn":           "%[1]s 内",
	"queryVia":          "%[1]s 経由",
	"queryTx":           "%[1]s で始めたトランザクション内",
	"queryLoop":         "**N+1**: %[1]s の1回ごと",
	"queryDynamic":      "動的 (? は実行時に組み立てる部分)",
	"queryError":        "パーサのエラー: %[1]s",
	"indexes":           "## インデックス\n\n",
	"noSchema":          "スキーマファイルを読んでいないため、インデックスはわかりません。\n\n",
	"schemaFiles":       "スキーマ: %[1]s。\n\n",
	"missingFromSchema": "クエリが使うのにスキーマにないもの: %[1]s。\n\n",
	"routeColumn":       "ルート",
	"noIndex":           "インデックスなし",
	"primaryKey":        "主キー",
	"unique":            "ユニーク",
	"route":             "ルート",
	"routes":            "ルート",
	"table":             "テーブル",
	"tables":            "テーブル",
	"query":             "クエリ",
	"queries":           "クエリ",
}

// mdIndexHeaderJa is mdWords.indexHeader in Japanese.
var mdIndexHeaderJa = [4]string{"テーブル", "インデックス", "カラム", "種類"}

// writeMarkdownIn writes the Markdown report in opt.Lang.
func writeMarkdownIn(w io.Writer, r *graph.Report, opt Options) error {
	if opt.Lang != Japanese {
		return writeMarkdown(w, r, opt.MarkdownFull)
	}
	var en bytes.Buffer
	if err := writeMarkdown(&en, localized(r, opt.Lang), opt.MarkdownFull); err != nil {
		return err
	}
	_, err := w.Write(markdownJa(en.Bytes()))
	return err
}

// mdLine is one of mdWords' formats as a pattern over a line, and its
// Japanese.
type mdLine struct {
	re      *regexp.Regexp
	ja      string
	literal int // the length of the format's own words
}

// mdLinesJa are the patterns of mdWords' formats, those with the most
// words of their own first, so that a format never matches inside a more
// specific one.
var mdLinesJa = sync.OnceValue(buildMDLines)

// mdFormatArg is a format verb taking an argument by index.
var mdFormatArg = regexp.MustCompile(`%\[(\d)\][sd]`)

// buildMDLines makes mdLinesJa from mdWords and mdWordsJa.
func buildMDLines() []mdLine {
	var lines []mdLine
	v := reflect.ValueOf(mdWords)
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() != reflect.String {
			continue
		}
		en := strings.TrimRight(f.String(), "\n")
		ja, ok := mdWordsJa[v.Type().Field(i).Name]
		if !ok || en == "" || !strings.ContainsAny(en, " :") || en == mdWords.kindCount {
			continue // single words and the counts: see markdownLineJa
		}
		name := v.Type().Field(i).Name
		ja = mdFormatArg.ReplaceAllString(strings.TrimRight(ja, "\n"), "$${a$1}")
		if mdFragments[name] {
			ja += "${end}"
		}
		lines = append(lines, mdLine{mdFormatPattern(en, mdFragments[name]), ja, len(mdFormatArg.ReplaceAllString(en, ""))})
	}
	sortByOwnWords(lines)
	return lines
}

// mdFragments are the formats of parts of a line, between " · " and
// parentheses: their last argument ends before the next part.
var mdFragments = map[string]bool{"queryIn": true, "queryVia": true, "queryTx": true, "queryLoop": true}

// mdFormatPattern turns a format into a pattern whose group an is the
// argument %[n]: a number for %d, the rest of the line for a last %s (for
// a fragment's, up to the next part: the group end), else up to the
// format's next words, code spans taken whole.
func mdFormatPattern(format string, fragment bool) *regexp.Regexp {
	var b strings.Builder
	last := 0
	for _, m := range mdFormatArg.FindAllStringSubmatchIndex(format, -1) {
		b.WriteString(regexp.QuoteMeta(format[last:m[0]]))
		arg := "(?:`[^`]*`|[^`])+?" // up to the format's next words; code spans whole
		switch {
		case format[m[1]-1] == 'd':
			arg = `\d+`
		case m[1] == len(format) && fragment:
			arg = "(?:`[^`]*`|[^·()`]+?))(?P<end> ·|\\)|$"
		case m[1] == len(format):
			arg = ".+" // the rest of the line
		}
		b.WriteString("(?P<a" + format[m[2]:m[3]] + ">" + arg + ")")
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(format[last:]))
	return regexp.MustCompile(b.String())
}

// sortByOwnWords sorts lines by the length of their own words, the
// longest first.
func sortByOwnWords(lines []mdLine) {
	slices.SortStableFunc(lines, func(a, b mdLine) int { return b.literal - a.literal })
}

// mdCountsJa matches the headline's counts: "14 routes · 6 tables · 23
// queries".
var mdCountsJa = regexp.MustCompile(`\b(\d+) (?:routes?|tables?|quer(?:y|ies))\b`)

// mdLoopJa matches loopPhrase's English in a query's line.
var mdLoopJa = regexp.MustCompile(`the loops? at ([^ ]+(?:, [^ ]+)*(?: and [^ ]+)?)`)

// mdKindCount matches one kind's count in the headline: mdWords.kindCount.
var mdKindCount = regexp.MustCompile(`\*\*(\d+)\*\* ([^\s,]+)`)

// markdownJa translates the Markdown report's own words, line by line,
// outside code blocks.
func markdownJa(md []byte) []byte {
	lines := strings.Split(string(md), "\n")
	inCode := false
	for i, line := range lines {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if inCode {
			continue
		}
		lines[i] = markdownLineJa(line)
	}
	return []byte(strings.Join(lines, "\n"))
}

// markdownLineJa translates one line.
func markdownLineJa(line string) string {
	for _, l := range mdLinesJa() {
		line = l.re.ReplaceAllStringFunc(line, func(s string) string {
			m := l.re.FindStringSubmatch(s)
			out := l.ja
			for n, name := range l.re.SubexpNames() {
				if name != "" {
					out = strings.ReplaceAll(out, "${"+name+"}", m[n])
				}
			}
			return out
		})
	}
	if head, kinds, ok := strings.Cut(line, " · 指摘: "); ok && strings.HasPrefix(line, "**") {
		head = mdCountsJa.ReplaceAllStringFunc(head, func(s string) string {
			n, word, _ := strings.Cut(s, " ")
			return mdWordsJa[word] + " " + n
		})
		kinds = mdKindCount.ReplaceAllString(kinds, "$2 **$1**件")
		line = strings.ReplaceAll(head, " · ", "・") + " · 指摘: " + strings.ReplaceAll(kinds, ", ", "、")
	}
	line = mdLoopJa.ReplaceAllString(line, "ループ $1")
	if strings.HasPrefix(line, "<details><summary>") {
		line = mdCountsJa.ReplaceAllStringFunc(line, func(s string) string {
			n, word, _ := strings.Cut(s, " ")
			return mdWordsJa[word] + " " + n
		})
	}
	if rest, ok := strings.CutPrefix(line, "> **SQL 不明**: "); ok {
		line = "> **SQL 不明**: " + unknownShareJa(rest)
	}
	if strings.HasPrefix(line, "| "+mdWords.routeColumn+" |") {
		line = "| " + mdWordsJa["routeColumn"] + strings.TrimPrefix(line, "| "+mdWords.routeColumn)
	}
	if strings.HasPrefix(line, "| ") {
		for _, cell := range []string{"unique", "noIndex", "primaryKey"} {
			en := reflect.ValueOf(mdWords).FieldByName(cell).String()
			line = strings.ReplaceAll(line, "| "+en+" |", "| "+mdWordsJa[cell]+" |")
		}
	}
	if line == "| "+strings.Join(mdWords.indexHeader[:], " | ")+" |" {
		line = "| " + strings.Join(mdIndexHeaderJa[:], " | ") + " |"
	}
	return line
}

// mdUnknownShare matches unknownShare's English: "3 of 40 queries (8 %):
// 2 a map element, 1 the result of os.ReadFile".
var mdUnknownShare = regexp.MustCompile(`^(\d+) of (\d+) quer(?:y|ies) \(([^()]+)\): (.+)$`)

// unknownShareJa is unknownShare's line in Japanese, its causes too.
func unknownShareJa(s string) string {
	m := mdUnknownShare.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	var causes []string
	for _, c := range strings.Split(m[4], ", ") {
		n, cause, _ := strings.Cut(c, " ")
		causes = append(causes, Japanese.sentence(cause)+" "+n+" 箇所")
	}
	return "クエリ " + m[2] + " 個中 " + m[1] + " 個 (" + m[3] + "): " + strings.Join(causes, "、")
}
