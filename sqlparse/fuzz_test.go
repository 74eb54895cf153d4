package sqlparse

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, tc := range checkCases {
		f.Add(tc.sql)
	}
	for _, s := range []string{
		"INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET a = excluded.a RETURNING id",
		"INSERT OR REPLACE INTO t VALUES (:a, ?1, '$2')",
		`SELECT "a" FROM "t" WHERE "b" = ?`,
		"SELECT * FROM a WHERE x = ? /* ; */; -- x\nUPDATE b SET y = 1",
	} {
		f.Add(s)
	}
	for _, tc := range postgresCases {
		f.Add(tc.sql)
	}
	for _, sql := range corpus(f, "postgres_corpus.sql") {
		f.Add(sql)
	}
	schema, _ := ParseSchema([]SchemaFile{{Name: "schema.sql", Src: []byte(checkSchema)}})
	f.Fuzz(func(t *testing.T, sql string) {
		if st, err := ParseDialect(sql, Postgres); err == nil {
			for _, to := range st.Tables {
				if to.Table == "" || to.Table != strings.ToLower(to.Table) {
					t.Errorf("ParseDialect(%q, Postgres): table %q", sql, to.Table)
				}
			}
		}
		st, err := Parse(sql)
		if err != nil {
			return
		}
		for _, to := range st.Tables {
			if to.Table == "" || to.Table != strings.ToLower(to.Table) {
				t.Errorf("Parse(%q): table %q", sql, to.Table)
			}
		}
		for _, p := range schema.Check(st) {
			if p.Kind == "unindexed" && p.Suggestion != "" && !strings.HasPrefix(p.Suggestion, "ALTER TABLE ") {
				t.Errorf("Parse(%q): suggestion %q", sql, p.Suggestion)
			}
		}
	})
}

func FuzzParseSchema(f *testing.F) {
	f.Add(mysqlSchema)
	f.Add(sqliteSchema)
	f.Add(postgresSchema)
	f.Add(checkSchema)
	f.Add("DELIMITER //\nCREATE TABLE a (id INT)//\nDELIMITER ;\nALTER TABLE a ADD KEY (id);")
	for _, m := range pgMigrations {
		f.Add(string(m.Src))
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, warns := ParseSchema([]SchemaFile{{Name: "f.sql", Src: []byte(src)}})
		for _, w := range warns {
			if w.Line < 1 || w.Line > strings.Count(src, "\n")+1 {
				t.Errorf("warning %v: line out of range", w)
			}
		}
		for i, tab := range s.Tables {
			if i > 0 && s.Tables[i-1].Name > tab.Name {
				t.Errorf("tables not sorted: %s before %s", s.Tables[i-1].Name, tab.Name)
			}
			if s.Table(tab.Name) == nil {
				t.Errorf("Table(%q) = nil", tab.Name)
			}
		}
		LooksLikeSchema([]byte(src))
	})
}

// FuzzRewriteDDL checks that rewriting a statement for the parser never
// panics, whatever the statement.
func FuzzRewriteDDL(f *testing.F) {
	for _, src := range []string{mysqlSchema, sqliteSchema, postgresSchema, string(pgMigrations[0].Src), string(pgMigrations[1].Src)} {
		for _, pc := range split(src) {
			f.Add(pc.text)
		}
	}
	custom := map[string]bool{"mood": true}
	f.Fuzz(func(t *testing.T, s string) {
		rewriteDDL(s, custom)
		pgCreateIndex(s)
	})
}
