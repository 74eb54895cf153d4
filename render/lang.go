package render

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/crudmap/crudmap/graph"
)

// Lang is the language of a report's prose: its labels, headings, finding
// messages, fix hints, notes and warnings. SQL, identifiers, file paths,
// routes and finding kinds stay as they are, and so do JSON and SARIF
// (their keys and messages are for tools, and stay English).
type Lang string

// The languages.
const (
	English  Lang = "en"
	Japanese Lang = "ja"
)

// ParseLang parses a -lang value: ja or en.
func ParseLang(s string) (Lang, error) {
	switch l := Lang(strings.ToLower(s)); l {
	case English, Japanese:
		return l, nil
	}
	return "", fmt.Errorf("-lang must be ja or en, not %q", s)
}

// LangFromEnv returns the language the locale asks for: the first set of
// LC_ALL, LC_MESSAGES and LANG, Japanese when it is ja or ja_JP.UTF-8 and
// the like, else English.
func LangFromEnv(getenv func(string) string) Lang {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if v == "ja" || strings.HasPrefix(v, "ja_") || strings.HasPrefix(v, "ja.") {
				return Japanese
			}
			return English
		}
	}
	return English
}

// label returns the Japanese of a fixed label of the reports, or s itself
// in English or when the catalogue lacks it.
func (l Lang) label(s string) string {
	if l != Japanese {
		return s
	}
	if ja, ok := jaLabels[s]; ok {
		return ja
	}
	return s
}

// sentence returns s, a sentence the analysis wrote in English (a finding's
// message or fix, a note, a warning), in l: in Japanese when one of the
// known sentence shapes matches it, else as it is.
func (l Lang) sentence(s string) string {
	if l != Japanese || s == "" {
		return s
	}
	for _, sh := range jaSentences() {
		if m := sh.re.FindStringSubmatch(s); m != nil {
			return sh.ja(m)
		}
	}
	return s
}

// localized returns r with its findings' messages and fixes, its notes and
// its warnings in l; r itself when l is English. The findings are copies:
// r is left as it was.
func localized(r *graph.Report, l Lang) *graph.Report {
	if l != Japanese {
		return r
	}
	c := *r
	c.Findings = make([]*graph.Finding, len(r.Findings))
	for i, f := range r.Findings {
		g := *f
		g.Message, g.Fix = l.sentence(f.Message), l.sentence(f.Fix)
		c.Findings[i] = &g
	}
	c.Notes = make([]string, len(r.Notes))
	for i, n := range r.Notes {
		c.Notes[i] = l.sentence(n)
	}
	c.Warnings = make([]string, len(r.Warnings))
	for i, w := range r.Warnings {
		c.Warnings[i] = l.sentence(w)
	}
	return &c
}

// withoutAddSuggestion returns a finding's message without the "; add:
// DDL" that ends an unindexed one, in English or in Japanese.
func withoutAddSuggestion(msg, ddl string) string {
	for _, add := range []string{"; add: ", "。追加: "} {
		msg = strings.Replace(msg, add+ddl, "", 1)
	}
	return msg
}

// isAddSuggestion reports whether a fix only says to add ddl, in English
// or in Japanese.
func isAddSuggestion(fix, ddl string) bool {
	return fix == "add: "+ddl || fix == "追加: "+ddl
}

// jaLabels are the reports' fixed labels in Japanese.
var jaLabels = map[string]string{
	"no HTTP routes found": "HTTP ルートが見つかりません",
	"; schema: ":           "; スキーマ: ",
	"; WARNING: ":          "; 警告: ",
	"no findings":          "指摘なし",
	"findings: ":           "指摘: ",
	"crudmap: note: ":      "crudmap: 注: ",
	"; unknown SQL at ":    "; SQL 不明: ",
	"n+1 off the request path (no route runs these loops):": "リクエスト外の n+1 (これらのループはどのルートからも実行されません):",
}

// routesTablesQueries is the summary's counts in l: "14 routes, 6 tables,
// 23 queries" or "ルート 14・テーブル 6・クエリ 23".
func (l Lang) routesTablesQueries(routes, tables, queries int) string {
	if l == Japanese {
		return fmt.Sprintf("ルート %d・テーブル %d・クエリ %d", routes, tables, queries)
	}
	return fmt.Sprintf("%s, %s, %s", plural(routes, "route", "routes"), plural(tables, "table", "tables"), plural(queries, "query", "queries"))
}

// kindCount is one kind's count in the summary: "3 n+1" or "n+1 3件".
func (l Lang) kindCount(n int, kind string) string {
	if l == Japanese {
		return fmt.Sprintf("%s %d件", kind, n)
	}
	return fmt.Sprintf("%d %s", n, kind)
}

// listSep separates the items of a list in l's prose.
func (l Lang) listSep() string {
	if l == Japanese {
		return "、"
	}
	return ", "
}

// jaSentence is one English sentence shape and its Japanese.
type jaSentence struct {
	re *regexp.Regexp
	ja func(m []string) string
}

// sentenceShape makes a jaSentence whose Japanese is a template with $1,
// $2, ... for the submatches.
func sentenceShape(en, ja string) jaSentence {
	re := regexp.MustCompile("^" + en + "$")
	return jaSentence{re, func(m []string) string {
		return re.ReplaceAllString(m[0], ja)
	}}
}

// runBy is the suffix index.go puts after a finding run by several routes.
const runBy = `(?: \(run by (\d+) routes\))?`

// jaRunBy is runBy's Japanese, from its submatch.
func jaRunBy(n string) string {
	if n == "" {
		return ""
	}
	return "（" + n + " ルートで実行）"
}

// jaSentences are the sentence shapes of the analysis, in Japanese. The
// shapes are those analyzer writes (nplusone.go, index.go, tx.go,
// suppress.go, schema.go, hollow.go); TestJapaneseSentences checks that
// every sample app's findings match one.
var jaSentences = sync.OnceValue(func() []jaSentence {
	return []jaSentence{
		// n+1 (nplusone.go: nplusOneFinding, loopName)
		{regexp.MustCompile(`^(.+?) runs once per (iteration of the loop|iteration of the bounded loop|job of the loop|recursive call) at (\S+)(?: \(([^()]*)\))?` + runBy + `$`), jaNPlusOne},
		// unindexed, schema, sql-error (index.go)
		{regexp.MustCompile(`^(.+?) (?:has|have) no index \((.*)\); add: (.+?)` + runBy + `$`), func(m []string) string {
			return fmt.Sprintf("%s にインデックスがありません (%s)。追加: %s%s", m[1], m[2], m[3], jaRunBy(m[4]))
		}},
		{regexp.MustCompile(`^(.+?) (?:has|have) no usable index \((.*)\): the predicate cannot use one` + runBy + `$`), func(m []string) string {
			return fmt.Sprintf("%s に使えるインデックスがありません (%s): この条件ではインデックスが効きません%s", m[1], m[2], jaRunBy(m[3]))
		}},
		{regexp.MustCompile(`^unknown table (\S+)` + runBy + `$`), func(m []string) string {
			return fmt.Sprintf("テーブル %s がスキーマにありません%s", m[1], jaRunBy(m[2]))
		}},
		{regexp.MustCompile(`^unknown column (.+?)` + runBy + `$`), func(m []string) string {
			return fmt.Sprintf("カラム %s がスキーマにありません%s", m[1], jaRunBy(m[2]))
		}},
		sentenceShape(`SQL not understood: (.*)`, "SQL を解析できません: $1"),
		// readonly-tx (tx.go)
		sentenceShape(`transaction only reads \((\d+) SELECTs? on (.+)\)`, "読み取りのみのトランザクション (${2} への SELECT ${1}件)"),
		sentenceShape(`read-only transaction \((.+?)\) runs (\d+) SELECTs? on (.+)`, "読み取り専用トランザクション ($1) で ${3} への SELECT を ${2}件実行しています"),
		sentenceShape(`transaction runs no statement`, "文を1つも実行しないトランザクションです"),
		// ignore (suppress.go)
		sentenceShape(`unused suppression: no (.+) finding on this line`, "使われていない抑制: この行に $1 の指摘はありません"),
		sentenceShape(`unused suppression: no (.+) finding on the next line`, "使われていない抑制: 次の行に $1 の指摘はありません"),
		sentenceShape(`suppression names no kind: want (.+)`, "抑制コメントに種類がありません: $1 と書いてください"),
		sentenceShape(`suppression names unknown kind (".*") \(want (.+)\)`, "抑制コメントの種類 $1 は不明です ($2 のいずれか)"),
		sentenceShape(`suppression of (\S+) gives no reason: want (.+)`, "$1 の抑制に理由がありません: $2 と書いてください"),
		sentenceShape(`delete the comment, or move it to the finding's line or the line above`, "コメントを消すか、指摘の行かその上の行に移してください"),
		sentenceShape(`write (.+) with KIND one of (.+)`, "$1 と書いてください (KIND は $2 のいずれか)"),

		// Fix hints (nplusone.go: nplusOneFix; index.go; tx.go)
		sentenceShape(`add: (.+)`, "追加: $1"),
		sentenceShape(`the loop is bounded: a few queries per request; merge them only if the route is hot`,
			"上限のあるループです。1リクエストあたり数回のクエリなので、ホットなルートのときだけまとめてください"),
		sentenceShape(`the recursion follows one link per level \(a parent, then its parent\): as many queries as levels; fetch the chain in one WITH RECURSIVE query if it can be deep`,
			"再帰で1段ずつリンクをたどっています (親、その親…)。段数だけクエリが出るので、深くなり得るなら WITH RECURSIVE の1クエリでまとめて取得してください"),
		sentenceShape(`one query per job is expected; batch only if jobs arrive in bursts and the query shows up in profiles`,
			"ジョブごとに1クエリは想定どおりです。ジョブがまとめて届き、このクエリがプロファイルに出るときだけバッチ化してください"),
		sentenceShape(`nothing the query uses changes in the loop: run it once before the loop and reuse the result`,
			"クエリが使う値はループ内で変わりません。ループの前に1回だけ実行して結果を使い回してください"),
		sentenceShape(`move the query out of the loop: fetch what every iteration needs in one query before it`,
			"クエリをループの外に出してください。各回で必要なものをループの前に1クエリで取得します"),
		sentenceShape(`batch the INSERTs into one multi-row INSERT \(sqlx\.NamedExec with a slice\), or insert after the loop`,
			"INSERT を複数行の INSERT 1本にまとめる (sqlx.NamedExec にスライスを渡す) か、ループの後で挿入してください"),
		sentenceShape(`update all rows in one statement \(WHERE (.+), or (.+) / CASE\)`, "1つの UPDATE で全行を更新してください (WHERE $1、または $2 / CASE)"),
		sentenceShape(`delete all rows in one statement with WHERE (.+)`, "WHERE $1 の1つの DELETE で全行を削除してください"),
		sentenceShape(`compute the aggregate for every element in one query with WHERE (.+) GROUP BY (\S+) before the loop \(or keep a counter column\)`,
			"ループの前に WHERE $1 GROUP BY $2 の1クエリで全要素の集計を取ってください (またはカウンタ列を持つ)"),
		sentenceShape(`collect the (\S+) values and fetch (\S+) once with WHERE (.+) \((.+)\), or JOIN it into the outer query; a per-process cache helps for rows that rarely change`,
			"$1 を集めて WHERE $3 ($4) で $2 を1回で取得するか、外側のクエリに JOIN してください。めったに変わらない行ならプロセス内キャッシュも効きます"),
		sentenceShape(`rewrite the predicate so the bare column is compared \(a range instead of DATE\(col\), a prefix LIKE\), or use a generated column with an index`,
			"カラムをそのまま比較する条件に書き換える (DATE(col) ではなく範囲、前方一致の LIKE) か、生成カラムにインデックスを張ってください"),
		sentenceShape(`the schema files define no such table: fix the name or the schema`, "スキーマファイルにこのテーブルはありません。名前かスキーマを直してください"),
		sentenceShape(`the table has no such column in the schema files: fix the name or the schema`, "スキーマファイルのこのテーブルにこのカラムはありません。名前かスキーマを直してください"),
		sentenceShape(`check the statement; crudmap reads MySQL syntax and skips what it cannot parse`, "文を確認してください。crudmap は解析できない部分を飛ばします"),
		sentenceShape(`drop the transaction`, "トランザクションをやめてください"),
		sentenceShape(`it buys one consistent snapshot; if the reads do not need one, run them on the DB handle and drop the transaction`,
			"一貫したスナップショットは得られます。不要なら読み取りを DB ハンドルで実行し、トランザクションをやめてください"),
		sentenceShape(`run the reads on the DB handle and drop BEGIN/COMMIT, or keep it only if the reads need one snapshot`,
			"読み取りを DB ハンドルで実行して BEGIN/COMMIT をやめてください。同じスナップショットが必要なときだけ残します"),

		// Causes of unknown SQL text (unknown.go)
		sentenceShape(`the result of (.+)`, "$1 の結果"),
		sentenceShape(`a map element`, "map の要素"),
		sentenceShape(`a text built in a loop`, "ループで組み立てた文字列"),
		sentenceShape(`a variable captured by a closure`, "クロージャが捕まえた変数"),
		sentenceShape(`a value crudmap cannot resolve`, "crudmap が解決できない値"),
		sentenceShape(`a parameter no caller crudmap followed sets`, "crudmap がたどった呼び出し元のどれも設定しない引数"),

		// Notes and warnings (schema.go, hollow.go, tx.go, suppress.go, ci.go)
		sentenceShape(`no schema file found \(\*\.sql with CREATE TABLE\): index check skipped; give one with -schema FILE`,
			"スキーマファイル (CREATE TABLE を含む *.sql) が見つからないため、インデックスの検査を省きました。-schema FILE で指定してください"),
		sentenceShape(`(.+): no schema file matches; check the -schema path`, "$1: 一致するスキーマファイルがありません。-schema のパスを確認してください"),
		sentenceShape(`(\d+) findings? suppressed by //crudmap:ignore comments`, "//crudmap:ignore コメントで $1 件の指摘を抑制しました"),
		sentenceShape(`(\d+) findings? accepted by the baseline (.+)`, "ベースライン $2 で $1 件の指摘を受け入れ済みです"),
		sentenceShape(`(\S+): transaction not judged: the SQL at (\S+) is built at run time and could write`,
			"$1: トランザクションを判定していません。$2 の SQL は実行時に組み立てられ、書き込む可能性があります"),
		sentenceShape(`(\S+): (\d+) declarations? (?:does|do) not type-check and (?:was|were) left out of the analysis: (.+)`,
			"$1: 型検査を通らない宣言 $2 個を解析から外しました: $3"),
		sentenceShape(`(\S+): statement skipped: (.+)`, "$1: 文を飛ばしました: $2"),
		sentenceShape(`(\S+): (\d+) or more SQL texts reach this call: only (\d+) are read for their tables, so tables may be missing`,
			"$1: この呼び出しには $2 個以上の SQL 文字列が届きます。テーブルを読んだのは $3 個だけなので、テーブルが欠けている可能性があります"),
		sentenceShape(`(\S+): more than (\d+) SQL texts may reach this call: the index check covers (\d+) of them; the tables of the others are counted`,
			"$1: この呼び出しには $2 個を超える SQL 文字列が届き得ます。インデックスの検査は $3 個だけで、残りはテーブルだけ数えています"),
		sentenceShape(`(\S+): (\S+) is called more than (\d+) calls deep: it and what it calls were not followed, so their queries are missing`,
			"$1: $2 は呼び出しの深さ $3 を超えるため、それ以降をたどっていません。そこから先のクエリは抜けています"),
		sentenceShape(`(\S+): working out this value takes more than (\d+) steps: what it holds past them is unknown, so queries or tables may be missing`,
			"$1: この値を求めるのに $2 ステップを超えるため、その先は不明です。クエリやテーブルが欠けている可能性があります"),
		sentenceShape(`also analysed module (\S+) in (\S+) \((.+)\): (\d+) of its packages`, "モジュール $1 ($2、$3) も解析しました: パッケージ $4 個"),
		sentenceShape(`schema files of a database the app does not use left out: (.+)`, "アプリが使わないデータベースのスキーマファイルを外しました: $1"),
		sentenceShape(`schema search left out asset directories: (.+)`, "スキーマの探索でアセットのディレクトリを外しました: $1"),
		sentenceShape(`-schema (.+) gave no table \(see the notes\): the index check ran without a schema`,
			"-schema $1 からテーブルを1つも読めませんでした (注を参照)。インデックスの検査はスキーマなしで行いました"),
		sentenceShape(`the schema files (.+) gave no table \(see the notes\): the index check ran without a schema`,
			"スキーマファイル $1 からテーブルを1つも読めませんでした (注を参照)。インデックスの検査はスキーマなしで行いました"),
		sentenceShape(`(\d+) of (\d+) packages did not load or type-check \((.+)\): the map is incomplete; see the notes`,
			"$2 個中 $1 個のパッケージが読み込みか型検査に失敗しました ($3)。マップは不完全です。注を参照してください"),
		sentenceShape(`no route reaches any of the (\d+) queries found \((.+)\): the map is incomplete`,
			"見つかった $1 個のクエリにどのルートも届きません ($2)。マップは不完全です"),
	}
})

// jaNPlusOne is an n+1 message in Japanese: "ループ (ride.go:198:2) の1回
// ごとに SELECT chairs を実行しています（fillRide → getChair 経由）".
func jaNPlusOne(m []string) string {
	ops, loop, pos, notes, routes := m[1], m[2], m[3], m[4], m[5]
	if ops == "a query" {
		ops = "クエリ"
	}
	var where string
	switch loop {
	case "iteration of the loop":
		where = "ループ (" + pos + ") の1回ごと"
	case "iteration of the bounded loop":
		where = "上限のあるループ (" + pos + ") の1回ごと"
	case "job of the loop":
		where = "ループ (" + pos + ") のジョブ1件ごと"
	default:
		where = "再帰呼び出し (" + pos + ") の1回ごと"
	}
	var ja []string
	for _, n := range strings.Split(notes, "; ") {
		var depth int
		switch {
		case n == "":
		case n == "off the request path":
			ja = append(ja, "リクエスト外")
		case strings.HasPrefix(n, "via "):
			ja = append(ja, strings.TrimPrefix(n, "via ")+" 経由")
		case fmtScan(n, "%d loops deep", &depth):
			ja = append(ja, fmt.Sprintf("%d重ループ", depth))
		default:
			ja = append(ja, n)
		}
	}
	s := where + "に " + ops + " を実行しています"
	if len(ja) > 0 {
		s += "（" + strings.Join(ja, "、") + "）"
	}
	return s + jaRunBy(routes)
}

// fmtScan reports whether s is format with its verb filled in.
func fmtScan(s, format string, arg *int) bool {
	n, err := fmt.Sscanf(s, format, arg)
	return err == nil && n == 1 && fmt.Sprintf(format, *arg) == s
}
