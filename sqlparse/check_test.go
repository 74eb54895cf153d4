package sqlparse

import (
	"strings"
	"testing"
)

const checkSchema = `
CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, email VARCHAR(255), ` + "`rank`" + ` INT, created_at DATETIME,
  UNIQUE KEY uq_name (name));
CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, title TEXT, body TEXT, status INT, created_at DATETIME,
  KEY idx_user_created (user_id, created_at), FULLTEXT KEY ft_body (body));
CREATE TABLE comments (id BIGINT PRIMARY KEY, post_id BIGINT NOT NULL, user_id BIGINT NOT NULL, comment TEXT, created_at DATETIME);
CREATE TABLE estate (id INT PRIMARY KEY, rent INT, door_height INT, popularity INT, latitude DOUBLE, longitude DOUBLE,
  KEY idx_pop (popularity DESC, id));
CREATE TABLE tags (id INT PRIMARY KEY, name VARCHAR(32), ` + "`condition`" + ` TEXT, KEY idx_lower ((lower(name))));
`

// problems is a compact form of Check's result, one line per problem.
func problems(ps []Problem) string {
	var s []string
	for _, p := range ps {
		x := p.Kind + " " + p.Table
		if len(p.Columns) > 0 {
			x += " [" + strings.Join(p.Columns, ",") + "]"
		}
		if p.Clause != "" {
			x += " " + p.Clause
		}
		if p.Suggestion != "" {
			x += " | " + p.Suggestion
		}
		s = append(s, x)
	}
	return strings.Join(s, "\n")
}

// checkCases are statements checked against checkSchema and the
// problems expected.
var checkCases = []struct{ name, sql, want string }{
	// Served: the leading column of a PRIMARY, UNIQUE or plain key.
	{"primary key", "SELECT * FROM users WHERE id = ?", ""},
	{"unique", "SELECT * FROM users WHERE name = ?", ""},
	{"leftmost prefix", "SELECT * FROM posts WHERE user_id = ? AND created_at > ?", ""},
	{"second column is not a prefix", "SELECT * FROM posts WHERE created_at > ?",
		"unindexed posts [created_at] WHERE created_at > ? | ALTER TABLE posts ADD INDEX idx_posts_created_at (created_at);"},
	{"unindexed equality", "SELECT * FROM comments WHERE post_id = ?",
		"unindexed comments [post_id] WHERE post_id = ? | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"and: one served conjunct is enough", "SELECT * FROM users WHERE email = ? AND id = ?", ""},
	{"composite: equality first, then one range", "SELECT * FROM comments WHERE created_at >= ? AND user_id = ? AND post_id IN (?) AND id + 0 > ?",
		"unindexed comments [user_id,post_id,created_at] WHERE created_at >= ? AND user_id = ? AND post_id IN (?) | ALTER TABLE comments ADD INDEX idx_comments_user_id_post_id_created_at (user_id, post_id, created_at);"},
	{"in list", "SELECT * FROM users WHERE id IN (?, ?)", ""},
	{"between", "SELECT * FROM users WHERE id BETWEEN ? AND ?", ""},
	{"between unindexed", "SELECT * FROM users WHERE created_at BETWEEN ? AND ? ",
		"unindexed users [created_at] WHERE created_at BETWEEN ? AND ? | ALTER TABLE users ADD INDEX idx_users_created_at (created_at);"},
	{"LIKE CONCAT(?, '%') is a prefix", "SELECT * FROM users WHERE name LIKE CONCAT(?, '%')", ""},
	{"a range with ORDER BY ... LIMIT wants the order's index", "SELECT * FROM estate WHERE door_height > 0 ORDER BY rent, id LIMIT 10",
		"unindexed estate [door_height] WHERE door_height > 0 ORDER BY rent, id LIMIT 10 | ALTER TABLE estate ADD INDEX idx_estate_rent_id (rent, id);"},
	{"a range with ORDER BY ... LIMIT an index reads in order", "SELECT * FROM estate WHERE door_height > 0 ORDER BY popularity DESC, id LIMIT 10", ""},
	{"equalities under a nested AND with ORDER BY ... LIMIT", "SELECT * FROM estate WHERE 1=1 AND door_height = ? AND latitude = ? ORDER BY id LIMIT 5",
		"unindexed estate [door_height,latitude] WHERE door_height = ? AND latitude = ? | ALTER TABLE estate ADD INDEX idx_estate_door_height_latitude_id (door_height, latitude, id);"},
	{"IS NOT NULL alone is no predicate", "SELECT * FROM comments WHERE created_at IS NOT NULL", ""},
	{"an OR with an equality and ORDER BY ... LIMIT", "SELECT * FROM comments WHERE (post_id = ? OR user_id = ?) ORDER BY id DESC LIMIT 1",
		"unindexed comments [post_id,user_id] WHERE (post_id = ? OR user_id = ?) | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id), ADD INDEX idx_comments_user_id (user_id);"},
	{"null-safe equal and IS NULL", "SELECT * FROM users WHERE name <=> ? OR name IS NULL", ""},
	{"like prefix", "SELECT * FROM users WHERE name LIKE 'ab%'", ""},
	{"like placeholder", "SELECT * FROM users WHERE name LIKE ?", ""},
	{"like infix cannot use the index", "SELECT * FROM users WHERE name LIKE '%ab%' AND email = ?",
		"unindexed users [email] WHERE email = ? | ALTER TABLE users ADD INDEX idx_users_email (email);"},
	{"function around the column", "SELECT * FROM users WHERE DATE(id) = ? AND email = ?",
		"unindexed users [email] WHERE email = ? | ALTER TABLE users ADD INDEX idx_users_email (email);"},
	{"not equal", "SELECT * FROM users WHERE id != ? AND email = ?",
		"unindexed users [email] WHERE email = ? | ALTER TABLE users ADD INDEX idx_users_email (email);"},
	{"not in", "SELECT * FROM users WHERE id NOT IN (?) AND email = ?",
		"unindexed users [email] WHERE email = ? | ALTER TABLE users ADD INDEX idx_users_email (email);"},
	{"only unusable predicates: no suggestion", "SELECT * FROM users WHERE name LIKE '%x' ORDER BY id LIMIT 1", "unindexed users [name] WHERE name LIKE '%x'"},
	{"only a function around the column", "SELECT * FROM posts WHERE DATE(created_at) = ? AND LOWER(title) = LOWER(?)",
		"unindexed posts [created_at,title] WHERE DATE(created_at) = ? AND LOWER(title) = LOWER(?)"},
	{"only not equal", "SELECT * FROM users WHERE id <> ?", "unindexed users [id] WHERE id <> ?"},
	{"column compared with its own table", "SELECT * FROM posts WHERE id = user_id AND status = ?",
		"unindexed posts [status] WHERE status = ? | ALTER TABLE posts ADD INDEX idx_posts_status (status);"},
	{"fulltext does not serve =", "SELECT * FROM posts WHERE body = ?",
		"unindexed posts [body] WHERE body = ? | ALTER TABLE posts ADD INDEX idx_posts_body (body);"},
	{"functional key part serves nothing", "SELECT * FROM tags WHERE name = ?",
		"unindexed tags [name] WHERE name = ? | ALTER TABLE tags ADD INDEX idx_tags_name (name);"},
	{"reserved word quoted", "SELECT * FROM tags WHERE `condition` = ?",
		"unindexed tags [condition] WHERE `condition` = ? | ALTER TABLE tags ADD INDEX idx_tags_condition (`condition`);"},
	{"or: both sides served", "SELECT * FROM users WHERE id = ? OR name = ?", ""},
	{"or: one side unserved", "SELECT * FROM users WHERE id = ? OR email = ?",
		"unindexed users [email] WHERE id = ? OR email = ? | ALTER TABLE users ADD INDEX idx_users_email (email);"},
	{"or: both sides unserved", "SELECT * FROM users WHERE (email = ? OR created_at > ?) AND id > 0 OR `rank` = 1",
		"unindexed users [rank] WHERE (email = ? OR created_at > ?) AND id > 0 OR `rank` = 1 | ALTER TABLE users ADD INDEX idx_users_rank (`rank`);"},
	{"or: two indexes", "SELECT * FROM comments WHERE post_id = ? OR user_id = ?",
		"unindexed comments [post_id,user_id] WHERE post_id = ? OR user_id = ? | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id), ADD INDEX idx_comments_user_id (user_id);"},
	{"or: a side on another table", "SELECT * FROM users u JOIN posts p ON p.user_id = u.id WHERE u.id = ? OR p.status = ?", ""},
	{"placeholders and literals alike", "SELECT * FROM comments WHERE post_id = 3",
		"unindexed comments [post_id] WHERE post_id = 3 | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"postgres placeholder", "SELECT * FROM comments WHERE post_id = $1",
		"unindexed comments [post_id] WHERE post_id = ? | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"no predicate: deliberate full scan", "SELECT * FROM comments", ""},
	{"order by limit with no index", "SELECT * FROM estate ORDER BY rent ASC, id LIMIT ?",
		"unindexed estate [rent,id] ORDER BY rent ASC, id LIMIT ? | ALTER TABLE estate ADD INDEX idx_estate_rent_id (rent, id);"},
	{"order by limit served", "SELECT * FROM estate ORDER BY popularity DESC, id ASC LIMIT ? OFFSET ?", ""},
	{"order by without limit", "SELECT * FROM estate ORDER BY rent", ""},
	{"order by alias", "SELECT rent * 2 AS r FROM estate ORDER BY r LIMIT 1", ""},
	{"order by columns join the composite", "SELECT * FROM estate WHERE door_height >= ? AND rent = ? ORDER BY latitude LIMIT 20",
		"unindexed estate [rent,door_height] WHERE door_height >= ? AND rent = ? | ALTER TABLE estate ADD INDEX idx_estate_rent_door_height_latitude (rent, door_height, latitude);"},
	{"served predicate with order by", "SELECT * FROM posts WHERE user_id = ? ORDER BY id DESC LIMIT 10", ""},
	// Joins.
	{"inner join: on columns serve", "SELECT * FROM users u JOIN posts p ON p.user_id = u.id WHERE u.name = ?", ""},
	{"inner join: lookup needs its on column", "SELECT * FROM posts p JOIN comments c ON c.post_id = p.id WHERE p.user_id = ?",
		"unindexed comments [post_id] ON c.post_id = p.id | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"inner join: driving table is read in full", "SELECT * FROM comments c JOIN posts p ON p.id = c.post_id", ""},
	{"inner join: where served by the other side", "SELECT * FROM comments c JOIN users u ON u.id = c.user_id WHERE c.post_id = ?",
		"unindexed comments [post_id] WHERE c.post_id = ? | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"inner join: table served by its on column despite where", "SELECT * FROM posts p JOIN users u ON u.id = p.user_id WHERE u.email = ? AND p.user_id = ?", ""},
	{"inner join: neither served", "SELECT * FROM comments c JOIN estate e ON e.rent = c.user_id",
		"unindexed estate [rent] ON e.rent = c.user_id | ALTER TABLE estate ADD INDEX idx_estate_rent (rent);"},
	{"comma join in where", "SELECT * FROM posts p, comments c WHERE c.post_id = p.id AND p.id = ?",
		"unindexed comments [post_id] WHERE c.post_id = p.id | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"using", "SELECT * FROM posts JOIN comments USING (user_id) WHERE posts.id = ?",
		"unindexed comments [user_id] USING (user_id) | ALTER TABLE comments ADD INDEX idx_comments_user_id (user_id);"},
	{"left join: right side needs its on column", "SELECT * FROM posts p LEFT JOIN comments c ON c.post_id = p.id",
		"unindexed comments [post_id] ON c.post_id = p.id | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"left join: right side served", "SELECT * FROM comments c LEFT JOIN posts p ON p.id = c.post_id", ""},
	{"left join: left side needs a served where", "SELECT * FROM comments c LEFT JOIN posts p ON p.id = c.post_id WHERE c.user_id = ?",
		"unindexed comments [user_id] WHERE c.user_id = ? | ALTER TABLE comments ADD INDEX idx_comments_user_id (user_id);"},
	{"left join: on column does not serve the left side", "SELECT * FROM users u LEFT JOIN comments c ON c.user_id = u.email WHERE u.created_at > ?",
		"unindexed users [created_at] WHERE u.created_at > ? | ALTER TABLE users ADD INDEX idx_users_created_at (created_at);\nunindexed comments [user_id] ON c.user_id = u.email | ALTER TABLE comments ADD INDEX idx_comments_user_id (user_id);"},
	{"right join", "SELECT * FROM comments c RIGHT JOIN posts p ON c.post_id = p.id",
		"unindexed comments [post_id] ON c.post_id = p.id | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"unqualified columns resolve through the schema; no table is found by an index, so the filtered one needs one",
		"SELECT * FROM posts p JOIN users u ON u.id = p.user_id WHERE email = ?",
		"unindexed users [email] WHERE email = ? | ALTER TABLE users ADD INDEX idx_users_email (email);"},
	{"a filter served on one table lets the other be looked up by its join column",
		"SELECT * FROM posts p JOIN users u ON u.id = p.user_id WHERE email = ? AND p.id = ?", ""},
	{"unqualified column in two tables is not guessed", "SELECT * FROM posts p JOIN comments c ON c.post_id = p.id WHERE created_at > ? AND p.id = ?",
		"unindexed comments [post_id] ON c.post_id = p.id | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	// Subqueries are judged on their own WHERE.
	{"in subquery", "SELECT * FROM posts WHERE id IN (SELECT post_id FROM comments WHERE user_id = ?)",
		"unindexed comments [user_id] WHERE user_id = ? | ALTER TABLE comments ADD INDEX idx_comments_user_id (user_id);"},
	{"correlated subquery", "SELECT p.*, (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id) AS n FROM posts p WHERE p.user_id = ?",
		"unindexed comments [post_id] WHERE c.post_id = p.id | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"exists", "SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM posts p WHERE p.user_id = u.id)", ""},
	{"derived table", "SELECT * FROM (SELECT * FROM comments WHERE user_id = ?) AS t WHERE t.id = ?",
		"unindexed comments [user_id] WHERE user_id = ? | ALTER TABLE comments ADD INDEX idx_comments_user_id (user_id);"},
	{"cte", "WITH c AS (SELECT * FROM comments WHERE post_id = ?) SELECT * FROM c JOIN users u ON u.id = c.user_id",
		"unindexed comments [post_id] WHERE post_id = ? | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"union", "SELECT id FROM users WHERE id = ? UNION SELECT id FROM comments WHERE user_id = ?",
		"unindexed comments [user_id] WHERE user_id = ? | ALTER TABLE comments ADD INDEX idx_comments_user_id (user_id);"},
	// Writes.
	{"update", "UPDATE comments SET comment = ? WHERE user_id = ?",
		"unindexed comments [user_id] WHERE user_id = ? | ALTER TABLE comments ADD INDEX idx_comments_user_id (user_id);"},
	{"delete", "DELETE FROM users WHERE id = ?", ""},
	{"multi-table delete", "DELETE c FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.status = ?",
		"unindexed posts [status] WHERE p.status = ? | ALTER TABLE posts ADD INDEX idx_posts_status (status);\n" +
			"unindexed comments [post_id] ON p.id = c.post_id | ALTER TABLE comments ADD INDEX idx_comments_post_id (post_id);"},
	{"plain insert is not index-checked", "INSERT INTO comments (post_id, user_id) VALUES (?, ?)", ""},
	{"insert select source is", "INSERT INTO comments (post_id, user_id) SELECT id, user_id FROM posts WHERE status = ?",
		"unindexed posts [status] WHERE status = ? | ALTER TABLE posts ADD INDEX idx_posts_status (status);"},
	// Names.
	{"unknown table", "SELECT * FROM nosuch WHERE x = ?", "unknown-table nosuch"},
	{"unknown column qualified", "SELECT u.nme FROM users u WHERE u.id = ?", "unknown-column users [nme]"},
	{"unknown column unqualified", "SELECT id FROM users WHERE emial = ?", "unknown-column users [emial]"},
	{"unknown column of a join is not guessed", "SELECT nosuch FROM users u JOIN posts p ON p.user_id = u.id WHERE u.id = ?", ""},
	{"select alias in order by and having", "SELECT COUNT(*) AS cnt, user_id FROM comments GROUP BY user_id HAVING cnt > 1 ORDER BY cnt", ""},
	{"insert columns", "INSERT INTO users (id, nick) VALUES (?, ?) ON DUPLICATE KEY UPDATE nick2 = VALUES(nick)",
		"unknown-column users [nick]\nunknown-column users [nick2]"},
	{"update set column", "UPDATE users SET nick = ? WHERE id = ?", "unknown-column users [nick]"},
	{"cte name is not a table", "WITH x AS (SELECT 1 AS a) SELECT a FROM x", ""},
	{"system tables", "SELECT * FROM information_schema.tables WHERE table_name = ?", ""},
	{"derived columns are not checked", "SELECT t.whatever FROM (SELECT id FROM users) t", ""},
	{"correlated outer column", "SELECT * FROM users u WHERE (SELECT COUNT(*) FROM comments WHERE user_id = u.id AND u.name = ?) > 0",
		"unindexed comments [user_id] WHERE user_id = u.id | ALTER TABLE comments ADD INDEX idx_comments_user_id (user_id);"},
	{"ddl is not checked", "TRUNCATE TABLE nosuch", ""},
}

func TestCheck(t *testing.T) {
	schema, warns := ParseSchema([]SchemaFile{{Name: "schema.sql", Src: []byte(checkSchema)}})
	if len(warns) > 0 {
		t.Fatal(warns)
	}
	for _, tc := range checkCases {
		st, err := Parse(tc.sql)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := problems(schema.Check(st)); got != tc.want {
			t.Errorf("%s: Check(%q) =\n%s\nwant\n%s", tc.name, tc.sql, got, tc.want)
		}
	}
}

// TestSuggestionRoundTrip applies each suggested index to the schema, as
// a file of its own, and checks that the finding goes away.
func TestSuggestionRoundTrip(t *testing.T) {
	schema, _ := ParseSchema([]SchemaFile{{Name: "schema.sql", Src: []byte(checkSchema)}})
	n := 0
	for _, tc := range checkCases {
		st, err := Parse(tc.sql)
		if err != nil {
			continue
		}
		for _, p := range schema.Check(st) {
			if p.Kind != "unindexed" || p.Suggestion == "" {
				continue
			}
			n++
			fixed, warns := ParseSchema([]SchemaFile{
				{Name: "schema.sql", Src: []byte(checkSchema)},
				{Name: "fix.sql", Src: []byte(p.Suggestion)},
			})
			if len(warns) > 0 {
				t.Errorf("%s: suggestion %q: %v", tc.name, p.Suggestion, warns)
			}
			for _, q := range fixed.Check(st) {
				if q.Kind == p.Kind && q.Table == p.Table {
					t.Errorf("%s: after %s, still %s", tc.name, p.Suggestion, problems([]Problem{q}))
				}
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d suggestions tried", n)
	}
}

func TestCheckTwoDatabases(t *testing.T) {
	schema, _ := ParseSchema([]SchemaFile{
		{Name: "mysql.sql", Src: []byte("CREATE TABLE users (id INT PRIMARY KEY, name TEXT);")},
		{Name: "sqlite.sql", Src: []byte("CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT);\nCREATE INDEX users_email ON users (email);")},
	})
	for sql, want := range map[string]string{
		"SELECT * FROM users WHERE email = ?":               "",
		"SELECT * FROM users WHERE name = ?":                "unindexed users [name] WHERE name = ? | ALTER TABLE users ADD INDEX idx_users_name (name);",
		"SELECT name, email, phone FROM users WHERE id = ?": "unknown-column users [phone]",
	} {
		st, err := Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		if got := problems(schema.Check(st)); got != want {
			t.Errorf("Check(%q) = %s, want %s", sql, got, want)
		}
	}
}

// TestSuggestionDialects checks that a table from a Postgres or SQLite
// schema gets a CREATE INDEX, which those databases take, and that the
// index it adds serves the query.
func TestSuggestionDialects(t *testing.T) {
	for _, tc := range []struct{ name, schema, want string }{
		{"postgres", "CREATE TABLE books (id BIGSERIAL PRIMARY KEY, author_id BIGINT, \"order\" INT);",
			`CREATE INDEX idx_books_author_id_order ON books (author_id, "order");`},
		{"sqlite", "CREATE TABLE books (id INTEGER PRIMARY KEY AUTOINCREMENT, author_id INTEGER, `order` INTEGER);",
			"CREATE INDEX idx_books_author_id_order ON books (author_id, `order`);"},
		{"mysql", "CREATE TABLE books (id BIGINT AUTO_INCREMENT PRIMARY KEY, author_id BIGINT, `order` INT);",
			"ALTER TABLE books ADD INDEX idx_books_author_id_order (author_id, `order`);"},
	} {
		schema, warns := ParseSchema([]SchemaFile{{Name: "schema.sql", Src: []byte(tc.schema)}})
		if len(warns) > 0 {
			t.Fatalf("%s: %v", tc.name, warns)
		}
		st, err := Parse("SELECT id FROM books WHERE author_id = ? ORDER BY `order` LIMIT 10")
		if err != nil {
			t.Fatal(err)
		}
		ps := schema.Check(st)
		if len(ps) != 1 || ps[0].Suggestion != tc.want {
			t.Errorf("%s: problems %s, want the suggestion %s", tc.name, problems(ps), tc.want)
			continue
		}
		fixed, warns := ParseSchema([]SchemaFile{{Name: "schema.sql", Src: []byte(tc.schema + "\n" + ps[0].Suggestion)}})
		if got := fixed.Check(st); len(warns) > 0 || len(got) > 0 {
			t.Errorf("%s: after the suggestion, %s (warnings %v)", tc.name, problems(got), warns)
		}
	}
}

func TestCheckNil(t *testing.T) {
	st, _ := Parse("SELECT * FROM t")
	var s *Schema
	if got := s.Check(st); got != nil {
		t.Errorf("nil schema: %v", got)
	}
	empty, _ := ParseSchema(nil)
	if got := empty.Check(st); got != nil {
		t.Errorf("empty schema: %v", got)
	}
}

// TestPartialIndex checks that a partial index serves only the queries
// whose WHERE has its predicate.
func TestPartialIndex(t *testing.T) {
	schema, warns := ParseSchema([]SchemaFile{{Name: "pg.sql", Src: []byte(`CREATE TABLE products (id BIGSERIAL PRIMARY KEY, category_id BIGINT, deleted_at TIMESTAMPTZ);
CREATE INDEX products_live ON products USING btree (category_id) WHERE deleted_at IS NULL;`)}})
	if len(warns) > 0 {
		t.Fatal(warns)
	}
	for sql, want := range map[string]string{
		"SELECT id FROM products WHERE category_id = $1 AND deleted_at IS NULL":       "",
		"SELECT id FROM products p WHERE p.category_id = $1 AND p.deleted_at IS NULL": "",
		"SELECT id FROM products WHERE category_id = $1 ORDER BY id":                  "unindexed products [category_id] WHERE category_id = ? | CREATE INDEX idx_products_category_id ON products (category_id);",
	} {
		st, err := Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		if got := problems(schema.Check(st)); got != want {
			t.Errorf("Check(%q) = %s, want %s", sql, got, want)
		}
	}
}
