package sqlparse

import (
	"strings"
	"testing"
)

// pgMigrations is a Postgres schema grown by migrations, in the order they
// run: indexes of every method, constraints added by ALTER TABLE, columns
// added and renamed later, an index dropped, and functions, triggers and
// DO blocks whose bodies hold semicolons and DDL of their own.
var pgMigrations = []SchemaFile{
	{Name: "migrations/001_init.sql", Src: []byte(`-- +goose Up
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE app.role AS ENUM ('admin', 'member');
CREATE TABLE app.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email character varying(320) NOT NULL,
    role app.role DEFAULT 'member'::app.role,
    values text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone DEFAULT now(),
    CONSTRAINT users_email_check CHECK (email ~ '@'),
    UNIQUE (email) DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE ONLY app.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_lower_email ON ONLY app.users USING btree (lower((email)::text));
CREATE TABLE "app"."Documents" (
    "id" bigserial PRIMARY KEY,
    "ownerId" uuid NOT NULL,
    data jsonb NOT NULL,
    tags text[],
    token text,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz
);
CREATE INDEX documents_data ON app."Documents" USING gin (data jsonb_path_ops);
CREATE INDEX documents_tags ON app."Documents" USING gist (tags);
CREATE INDEX documents_token ON app."Documents" USING hash (token);
CREATE INDEX documents_created ON app."Documents" USING brin (created_at);
CREATE INDEX ON app."Documents" ("ownerId") WHERE deleted_at IS NULL;
CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at = now();
    CREATE TABLE bogus (id int);
    RETURN NEW;
END;
$$;
CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
DO $body$ BEGIN IF NOT EXISTS (SELECT 1) THEN CREATE TABLE bogus2 (id int); END IF; END $body$;
-- +goose Down
DROP TABLE app.users;
`)},
	{Name: "migrations/002_more.sql", Src: []byte(`-- +goose Up
ALTER TABLE app.users ADD COLUMN IF NOT EXISTS team_id uuid;
ALTER TABLE IF EXISTS app.users ADD COLUMN nickname text;
ALTER TABLE app.users RENAME COLUMN nickname TO display_name;
ALTER TABLE app.users ADD CONSTRAINT users_team_name UNIQUE (team_id, display_name);
CREATE INDEX users_created ON app.users (created_at DESC NULLS LAST);
DROP INDEX IF EXISTS app.users_created;
ALTER TABLE app."Documents" DROP COLUMN token;
`)},
}

func TestParseSchemaPostgresMigrations(t *testing.T) {
	s, warns := ParseSchemaDialect(pgMigrations, Postgres)
	if len(warns) > 0 {
		t.Errorf("warnings: %v", warns)
	}
	checkTables(t, s, []tableWant{
		{"users", "id email role values created_at team_id display_name",
			"email(email) UNIQUE; PRIMARY(id) PK; users_lower_email() UNIQUE; users_team_name(team_id,display_name) UNIQUE"},
		{"documents", "id ownerid data tags created_at deleted_at",
			"PRIMARY(id) PK; documents_data(data) GIN; documents_tags(tags) GIST; documents_created(created_at) BRIN; Documents_ownerId_idx(ownerid)"},
	})
	for _, name := range []string{"bogus", "bogus2"} {
		if s.Table(name) != nil {
			t.Errorf("table %s from a function body", name)
		}
	}
	if ix := s.Table("users").Indexes[2]; ix.Expr != "lower(email)" {
		t.Errorf("users_lower_email expression = %q, want lower(email)", ix.Expr)
	}
	if ix := s.Table("documents").Indexes[4]; ix.Where != "deleted_atisnull" {
		t.Errorf("partial index predicate = %q", ix.Where)
	}
}

// TestCheckPostgresIndexes checks Postgres index semantics: an expression
// index serves only its expression, GIN and GiST indexes containment
// tests and not =, a hash index = only, a partial index only the queries
// with its predicate; suggestions are CREATE INDEX.
func TestCheckPostgresIndexes(t *testing.T) {
	s, _ := ParseSchemaDialect(pgMigrations, Postgres)
	for _, tc := range []struct{ sql, want string }{
		{"SELECT id FROM app.users WHERE lower(email) = lower($1)", ""},
		{"SELECT id FROM app.users u WHERE lower(u.email) = $1", ""},
		{"SELECT id FROM app.users WHERE upper(email) = $1", "unindexed users [email] WHERE upper(email) = ?"},
		{"SELECT id FROM app.users WHERE team_id = $1", ""},
		{"SELECT id FROM app.users WHERE display_name = $1", "unindexed users [display_name] WHERE display_name = ? | CREATE INDEX idx_users_display_name ON users (display_name);"},
		{`SELECT id FROM app."Documents" WHERE data @> $1::jsonb`, ""},
		{`SELECT id FROM app."Documents" WHERE tags && $1`, ""},
		{`SELECT id FROM app."Documents" WHERE data = $1`, `unindexed documents [data] WHERE data = ? | CREATE INDEX idx_documents_data ON documents (data);`},
		{`SELECT id FROM app."Documents" WHERE created_at > $1`, ""},
		{`SELECT id FROM app."Documents" WHERE "ownerId" = $1 AND deleted_at IS NULL`, ""},
		{`SELECT id FROM app."Documents" WHERE "ownerId" = $1`, `unindexed documents [ownerid] WHERE "ownerId" = ? | CREATE INDEX idx_documents_ownerid ON documents (ownerid);`},
		{`SELECT id FROM app."Documents" WHERE ("ownerId", data) = ($1, $2)`, `unindexed documents [ownerid,data] WHERE ("ownerId", data) = (?, ?)`},
	} {
		st, err := ParseDialect(tc.sql, Postgres)
		if err != nil {
			t.Fatal(err)
		}
		if got := problems(s.Check(st)); got != tc.want {
			t.Errorf("Check(%q) =\n %s, want\n %s", tc.sql, got, tc.want)
		}
	}
}

// TestHashIndex checks that a hash index serves = and not a range.
func TestHashIndex(t *testing.T) {
	s, warns := ParseSchemaDialect([]SchemaFile{{Name: "s.sql", Src: []byte(`CREATE TABLE tokens (id bigint PRIMARY KEY, token text);
CREATE INDEX tokens_token ON tokens USING hash (token);`)}}, Postgres)
	if len(warns) > 0 {
		t.Fatal(warns)
	}
	for sql, want := range map[string]string{
		"SELECT id FROM tokens WHERE token = $1":    "",
		"SELECT id FROM tokens WHERE token > $1":    "unindexed tokens [token] WHERE token > ? | CREATE INDEX idx_tokens_token ON tokens (token);",
		"SELECT id FROM tokens WHERE token IN ($1)": "",
	} {
		st, _ := ParseDialect(sql, Postgres)
		if got := problems(s.Check(st)); got != want {
			t.Errorf("Check(%q) = %s, want %s", sql, got, want)
		}
	}
}

// TestSchemaDialectSuggestions checks that the dialect given to
// ParseSchemaDialect decides the suggestion's form.
func TestSchemaDialectSuggestions(t *testing.T) {
	src := []byte("CREATE TABLE books (id INT PRIMARY KEY, author_id INT);")
	st, _ := Parse("SELECT id FROM books WHERE author_id = ?")
	for d, want := range map[Dialect]string{
		Postgres: "CREATE INDEX idx_books_author_id ON books (author_id);",
		SQLite:   "CREATE INDEX idx_books_author_id ON books (author_id);",
		MySQL:    "ALTER TABLE books ADD INDEX idx_books_author_id (author_id);",
		Unknown:  "ALTER TABLE books ADD INDEX idx_books_author_id (author_id);",
	} {
		s, _ := ParseSchemaDialect([]SchemaFile{{Name: "s.sql", Src: src}}, d)
		ps := s.Check(st)
		if len(ps) != 1 || ps[0].Suggestion != want {
			t.Errorf("%q: %s, want %s", d, problems(ps), want)
		}
		if tab := s.Table("books"); d != Unknown && tab.Dialect != d {
			t.Errorf("%q: table dialect %q", d, tab.Dialect)
		}
	}
}

// TestSplitDollarQuotes checks that a function body is one statement.
func TestSplitDollarQuotes(t *testing.T) {
	src := "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql;\nDO $x$ BEGIN PERFORM 1; END $x$;\nSELECT $1;"
	var got []string
	for _, pc := range split(src) {
		got = append(got, strings.Fields(pc.text)[0])
	}
	if strings.Join(got, " ") != "CREATE DO SELECT" {
		t.Errorf("split = %q", got)
	}
}

// TestParseSchemaVersionsAndTemplates checks a SQLite migration set as an
// app embeds it: file names are versions applied in version order, table
// names are template actions the app fills in, and columns are named with
// words MySQL reserves.
func TestParseSchemaVersionsAndTemplates(t *testing.T) {
	files := []SchemaFile{
		{Name: "schemas/1.21.0.sql", Src: []byte(`ALTER TABLE {{ tenant "tags" }} RENAME TO _{{ tenant "tags" }}_old;
CREATE TABLE {{ tenant "tags" }} (Key INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, Name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS {{ tenant "idx_tags_name" }} ON {{ tenant "tags" }} (Name);
DROP TABLE _{{ tenant "tags" }}_old;`)},
		{Name: "schemas/1.4.0.sql", Src: []byte(`CREATE TABLE IF NOT EXISTS {{ tenant "tags" }} (ID TEXT, Name TEXT);`)},
		{Name: "schemas/1.10.0.sql", Src: []byte(`CREATE TABLE {{ tenant "settings" }} (Key TEXT, Read INTEGER);
CREATE UNIQUE INDEX {{ tenant "idx_settings_key" }} ON {{ tenant "settings" }} (Key);
CREATE INDEX {{ tenant "idx_settings_read" }} ON {{ tenant "settings" }} (Read);`)},
	}
	s, warns := ParseSchema(files)
	if len(warns) > 0 {
		t.Errorf("warnings: %v", warns)
	}
	checkTables(t, s, []tableWant{
		{"tags", "key name", "PRIMARY(key) PK; idx_tags_name(name)"},
		{"settings", "key read", "idx_settings_key(key) UNIQUE; idx_settings_read(read)"},
	})
}

// TestMigrationSetDialect checks that a migration adding a column, which
// says nothing of its dialect, is of its set's, and a standalone file of
// its own.
func TestMigrationSetDialect(t *testing.T) {
	s, warns := ParseSchema([]SchemaFile{
		{Name: "migrations/001_init.sql", Src: []byte("CREATE TABLE feeds (id BIGSERIAL PRIMARY KEY, url TEXT);")},
		{Name: "migrations/002_title.sql", Src: []byte("CREATE TABLE entries (id BIGINT PRIMARY KEY, feed_id BIGINT);")},
		{Name: "mysql.sql", Src: []byte("CREATE TABLE users (id INT PRIMARY KEY, name TEXT);")},
	})
	if len(warns) > 0 {
		t.Fatal(warns)
	}
	for table, want := range map[string]Dialect{"feeds": Postgres, "entries": Postgres, "users": MySQL} {
		if got := s.Table(table).Dialect; got != want {
			t.Errorf("%s dialect = %q, want %q", table, got, want)
		}
	}
}

func TestVersionCompare(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"1.4.0.sql", "1.21.8.sql"},
		{"9_init.sql", "10_more.sql"},
		{"20230823231942_create.sql", "20240331222006_update.sql"},
		{"001_a.sql", "2_b.sql"},
	} {
		if versionCompare(tc.a, tc.b) >= 0 || versionCompare(tc.b, tc.a) <= 0 {
			t.Errorf("versionCompare(%q, %q) not < 0", tc.a, tc.b)
		}
	}
}

func TestLooksLikeSchemaMigrations(t *testing.T) {
	for src, want := range map[string]bool{
		"ALTER TABLE thunderdome.retro ADD COLUMN phase_auto_advance BOOLEAN;": true,
		"ALTER TABLE users RENAME COLUMN a TO b;":                              true,
		"ALTER TABLE users OWNER TO app;":                                      false,
		"INSERT INTO t VALUES (1); ALTER TABLE x ADD INDEX (a);":               false,
	} {
		if got := LooksLikeSchema([]byte(src)); got != want {
			t.Errorf("LooksLikeSchema(%q) = %v, want %v", src, got, want)
		}
	}
}
