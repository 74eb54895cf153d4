package sqlparse

import (
	"strings"
	"testing"
)

// indexes is a compact form of a table's indexes: "name(a,b)" with
// " PK", " UNIQUE" or " FULLTEXT"/" SPATIAL" after, joined by "; ".
func indexes(t *Table) string {
	var s []string
	for _, ix := range t.Indexes {
		x := ix.Name + "(" + strings.Join(ix.Columns, ",") + ")"
		switch {
		case ix.Primary:
			x += " PK"
		case ix.Unique:
			x += " UNIQUE"
		}
		if ix.Kind != "" {
			x += " " + ix.Kind
		}
		s = append(s, x)
	}
	return strings.Join(s, "; ")
}

// tableWant is a table's expected columns and indexes (see indexes).
type tableWant struct{ table, columns, indexes string }

// checkTables compares the tables of s with wants.
func checkTables(t *testing.T, s *Schema, wants []tableWant) {
	t.Helper()
	for _, tc := range wants {
		tab := s.Table(tc.table)
		if tab == nil {
			t.Errorf("table %s missing", tc.table)
			continue
		}
		if got := strings.Join(tab.Columns, " "); got != tc.columns {
			t.Errorf("%s columns = %s, want %s", tc.table, got, tc.columns)
		}
		if got := indexes(tab); got != tc.indexes {
			t.Errorf("%s indexes = %s,\nwant %s", tc.table, got, tc.indexes)
		}
	}
}

const mysqlSchema = `-- MySQL dump 10.13
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
USE isuports;
DROP TABLE IF EXISTS users;
CREATE TABLE users (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, -- inline primary key
  name VARCHAR(255) NOT NULL UNIQUE,
  email VARCHAR(255) NOT NULL,
  bio TEXT,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

# a comment with a ; in it
CREATE TABLE ` + "`isuports`.`Posts`" + ` (
  ` + "`id`" + ` INT NOT NULL,
  ` + "`user_id`" + ` INT NOT NULL,
  title VARCHAR(100) NOT NULL DEFAULT 'a;b',
  body TEXT,
  PRIMARY KEY (id),
  KEY idx_user_created (user_id, created_at DESC),
  UNIQUE KEY uq_title (title(10)),
  FULLTEXT KEY ft_body (body) WITH PARSER ngram,
  INDEX idx_lower ((lower(title)), body),
  created_at DATETIME NOT NULL
);
CREATE TABLE likes (
  user_id INT NOT NULL,
  post_id INT NOT NULL,
  PRIMARY KEY (user_id, post_id),
  CONSTRAINT fk_post FOREIGN KEY (post_id) REFERENCES posts (id)
);
CREATE INDEX idx_email ON users (email);
ALTER TABLE posts ADD INDEX idx_title_body (title, body), ADD UNIQUE KEY uq_created (created_at);
CREATE TABLE places (id INT PRIMARY KEY, g GEOMETRY NOT NULL SRID 4326, ` + "`pos`" + ` POINT NOT NULL, SPATIAL KEY sp_g (g));
DELIMITER $$
CREATE TRIGGER trg BEFORE INSERT ON users FOR EACH ROW BEGIN SET NEW.name = LOWER(NEW.name); END$$
DELIMITER ;
CREATE TABLE IF NOT EXISTS users (other INT);
LOCK TABLES users WRITE;
INSERT INTO users VALUES (1, 'a', 'b', NULL, NOW());
UNLOCK TABLES;
`

func TestParseSchema(t *testing.T) {
	s, warns := ParseSchema([]SchemaFile{{Name: "sql/schema.sql", Src: []byte(mysqlSchema)}})
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	checkTables(t, s, []tableWant{
		{"users", "id name email bio created_at", "PRIMARY(id) PK; name(name) UNIQUE; idx_email(email)"},
		{"posts", "id user_id title body created_at",
			"PRIMARY(id) PK; idx_user_created(user_id,created_at); uq_title(title) UNIQUE; ft_body(body) FULLTEXT; idx_lower(); idx_title_body(title,body); uq_created(created_at) UNIQUE"},
		{"likes", "user_id post_id", "PRIMARY(user_id,post_id) PK; fk_post(post_id)"},
		{"places", "id g pos", "PRIMARY(id) PK; sp_g(g) SPATIAL"},
	})
	if s.Table("USERS") == nil || s.Table("nosuch") != nil {
		t.Errorf("Table lookup is not case-insensitive or finds unknown tables")
	}
	if tab := s.Table("users"); tab.File != "sql/schema.sql" || tab.Line != 6 {
		t.Errorf("users defined at %s:%d, want sql/schema.sql:6", tab.File, tab.Line)
	}
	var names []string
	for _, tab := range s.Tables {
		names = append(names, tab.Name)
	}
	if got := strings.Join(names, " "); got != "likes places posts users" {
		t.Errorf("Tables = %s, want sorted by name", got)
	}
}

func TestParseSchemaSkips(t *testing.T) {
	src := `CREATE TABLE a (id INT PRIMARY KEY);

CREATE TABLE broken (id INT PRIMARY KEY,
  oops NOT A TYPE);
CREATE TABLE b (id INT PRIMARY KEY, a_id INT, KEY (a_id));
CREATE TABLE bad_type (id INT PRIMARY KEY, at NOTATYPE);
ALTER TABLE nosuch ADD INDEX i (x);
`
	s, warns := ParseSchema([]SchemaFile{{Name: "schema.sql", Src: []byte(src)}})
	if s.Table("a") == nil || s.Table("b") == nil || s.Table("broken") != nil || s.Table("bad_type") != nil {
		t.Errorf("tables = %v, want a and b only", s.Tables)
	}
	if got := indexes(s.Table("b")); got != "PRIMARY(id) PK; a_id(a_id)" {
		t.Errorf("b indexes = %s", got)
	}
	want := []string{"schema.sql:4: statement skipped: syntax error at column 11 near \"NOT A TYPE)\"", "schema.sql:6: statement skipped: syntax error at column 54", "schema.sql:7: statement skipped: table nosuch"}
	if len(warns) != len(want) {
		t.Fatalf("warnings = %v, want %d", warns, len(want))
	}
	for i, w := range warns {
		if !strings.HasPrefix(w.String(), want[i]) {
			t.Errorf("warning %d = %q, want prefix %q", i, w.String(), want[i])
		}
	}
}

const sqliteSchema = `-- SQLite schema for the second database
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE,
  token TEXT NOT NULL UNIQUE ON CONFLICT REPLACE,
  created_at DATETIME NOT NULL DEFAULT (datetime('now', 'localtime'))
);
CREATE TABLE IF NOT EXISTS visits (
  user_id INTEGER NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (user_id, day)
) WITHOUT ROWID;
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) STRICT;
CREATE INDEX IF NOT EXISTS visits_day ON visits (day);
CREATE UNIQUE INDEX IF NOT EXISTS users_name ON users (name);
CREATE TRIGGER t AFTER INSERT ON users BEGIN UPDATE users SET name = name; END;
`

func TestParseSchemaSQLite(t *testing.T) {
	s, warns := ParseSchema([]SchemaFile{{Name: "sqlite.sql", Src: []byte(sqliteSchema)}})
	for _, tc := range []struct{ table, indexes string }{
		{"users", "PRIMARY(id) PK; token(token) UNIQUE; users_name(name) UNIQUE"},
		{"visits", "PRIMARY(user_id,day) PK; visits_day(day)"},
		{"kv", "PRIMARY(k) PK"},
	} {
		tab := s.Table(tc.table)
		if tab == nil {
			t.Errorf("table %s missing; warnings %v", tc.table, warns)
			continue
		}
		if got := indexes(tab); got != tc.indexes {
			t.Errorf("%s indexes = %s, want %s", tc.table, got, tc.indexes)
		}
	}
	if len(warns) != 0 {
		t.Errorf("warnings = %v, want none: triggers are not read", warns)
	}
}

const postgresSchema = `-- pg_dump and hand-written Postgres DDL
SET statement_timeout = 0;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE public.users (
    id bigint NOT NULL,
    email citext NOT NULL,
    mood public.mood DEFAULT 'ok'::public.mood NOT NULL,
    tags text[] DEFAULT '{}'::text[],
    name character varying(64) DEFAULT ''::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);
ALTER TABLE public.users OWNER TO app;
ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);
ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email);
CREATE TABLE posts (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    uuid UUID NOT NULL DEFAULT gen_random_uuid(),
    body JSONB,
    n INT GENERATED ALWAYS AS IDENTITY (START WITH 1),
    deleted_at TIMESTAMPTZ
);
CREATE INDEX CONCURRENTLY IF NOT EXISTS posts_user_live ON posts (user_id, id) WHERE deleted_at IS NULL;
CREATE INDEX posts_body ON posts USING gin (body);
`

// TestParseSchemaPostgres checks that Postgres DDL gives its tables and
// indexes: types, casts, arrays, identity columns, index methods, partial
// indexes, and a dump's ALTER TABLE ONLY; statements that change nothing
// crudmap reads are skipped without a warning.
func TestParseSchemaPostgres(t *testing.T) {
	s, warns := ParseSchema([]SchemaFile{{Name: "pg.sql", Src: []byte(postgresSchema)}})
	if len(warns) != 0 {
		t.Errorf("warnings = %v, want none", warns)
	}
	checkTables(t, s, []tableWant{
		{"users", "id email mood tags name created_at", "PRIMARY(id) PK; users_email_key(email) UNIQUE"},
		{"posts", "id user_id uuid body n deleted_at", "PRIMARY(id) PK; posts_user_live(user_id,id); posts_body(body) GIN"},
	})
}

func TestParseSchemaFiles(t *testing.T) {
	files := []SchemaFile{
		{Name: "mysql/1_schema.sql", Src: []byte("CREATE TABLE users (id INT PRIMARY KEY, name TEXT);\nCREATE TABLE posts (id INT PRIMARY KEY, user_id INT);")},
		{Name: "mysql/2_index.sql", Src: []byte("ALTER TABLE posts ADD INDEX idx_user (user_id);\nCREATE INDEX idx_name ON users (name(20));")},
		{Name: "sqlite/schema.sql", Src: []byte("DROP TABLE IF EXISTS users;\nCREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT);\nCREATE INDEX idx_email ON users (email);")},
	}
	s, warns := ParseSchema(files)
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	if got := indexes(s.Table("posts")); got != "PRIMARY(id) PK; idx_user(user_id)" {
		t.Errorf("posts indexes = %s", got)
	}
	var users []string
	for _, tab := range s.Tables {
		if tab.Name == "users" {
			users = append(users, tab.File+": "+strings.Join(tab.Columns, ",")+": "+indexes(tab))
		}
	}
	want := []string{
		"mysql/1_schema.sql: id,name: PRIMARY(id) PK; idx_name(name)",
		"sqlite/schema.sql: id,email: PRIMARY(id) PK; idx_email(email)",
	}
	if strings.Join(users, "\n") != strings.Join(want, "\n") {
		t.Errorf("users definitions =\n%s\nwant\n%s", strings.Join(users, "\n"), strings.Join(want, "\n"))
	}
	if s.Table("users").File != "mysql/1_schema.sql" {
		t.Errorf("Table(users) is not the first definition")
	}
}

func TestParseSchemaReplace(t *testing.T) {
	src := "CREATE TABLE t (a INT);\nDROP TABLE IF EXISTS t;\nCREATE TABLE t (b INT, KEY (b));\nALTER TABLE t DROP INDEX b, ADD PRIMARY KEY (b);"
	s, _ := ParseSchema([]SchemaFile{{Name: "x.sql", Src: []byte(src)}})
	tab := s.Table("t")
	if len(s.Tables) != 1 || strings.Join(tab.Columns, ",") != "b" || indexes(tab) != "PRIMARY(b) PK" || tab.Line != 3 {
		t.Errorf("t = %v %s line %d, want the second definition", tab.Columns, indexes(tab), tab.Line)
	}
}

func TestLooksLikeSchema(t *testing.T) {
	for src, want := range map[string]bool{
		"create table x (id int)":                              true,
		"-- x\nCREATE TEMPORARY TABLE t (a int);":              true,
		"INSERT INTO x VALUES (1);\nINSERT INTO x VALUES (2);": false,
		"CREATE INDEX i ON t (a)":                              false,
	} {
		if got := LooksLikeSchema([]byte(src)); got != want {
			t.Errorf("LooksLikeSchema(%q) = %v, want %v", src, got, want)
		}
	}
}

func TestSplit(t *testing.T) {
	src := "SELECT ';';\n-- c;\n/* a; b */ SELECT `x;y`\n  FROM t; # tail;\nDELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nSELECT \"q\\\";\" ;last"
	var got []string
	for _, p := range split(src) {
		got = append(got, strings.TrimSpace(p.text)+"@"+string(rune('0'+p.line)))
	}
	want := []string{"SELECT ';'@1", "SELECT `x;y`\n  FROM t@3", "CREATE PROCEDURE p() BEGIN SELECT 1; END@6", "SELECT \"q\\\";\"@8", "last@8"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("split =\n%q\nwant\n%q", got, want)
	}
}

// TestParseSchemaMigrations checks migration files holding both
// directions: only the up parts define the schema.
func TestParseSchemaMigrations(t *testing.T) {
	files := []SchemaFile{
		{Name: "migrations/001_users.sql", Src: []byte("-- +goose Up\nCREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT);\n-- +goose StatementBegin\n-- +goose StatementEnd\n\n-- +goose Down\nDROP TABLE users;\n")},
		{Name: "migrations/002_posts.sql", Src: []byte("-- +migrate Up\nCREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT);\nCREATE INDEX posts_user ON posts (user_id);\n-- +migrate Down\nDROP INDEX posts_user;\nDROP TABLE posts;\n")},
		{Name: "db/migrations/003_tags.sql", Src: []byte("-- migrate:up\nCREATE TABLE tags (id BIGINT PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE tags;\n")},
	}
	s, warns := ParseSchema(files)
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	for _, name := range []string{"users", "posts", "tags"} {
		if s.Table(name) == nil {
			t.Errorf("table %s missing: its migration's down part was applied", name)
		}
	}
	if got := indexes(s.Table("posts")); got != "PRIMARY(id) PK; posts_user(user_id)" {
		t.Errorf("posts indexes = %s", got)
	}
	if tab := s.Table("users"); tab == nil || tab.Line != 2 {
		t.Errorf("users defined at line %v, want 2", tab)
	}
}
