package main

import (
	"database/sql"
	"errors"
	"net/http"
	"regexp"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"
)

var (
	accountNameRe = regexp.MustCompile(`\A[0-9a-zA-Z_]{3,}\z`)
	passwordRe    = regexp.MustCompile(`\A[0-9a-zA-Z_]{6,}\z`)
)

func validateUser(accountName, password string) bool {
	return accountNameRe.MatchString(accountName) && passwordRe.MatchString(password)
}

// tryLogin looks the account up by account_name (UNIQUE: served; del_flg
// is a residual filter on the one row).
func tryLogin(accountName, password string) *User {
	u := User{}
	err := db.Get(&u, "SELECT * FROM users WHERE account_name = ? AND del_flg = 0", accountName)
	if err != nil {
		return nil
	}

	if calculatePasshash(u.AccountName, password) == u.Passhash {
		return &u
	}
	return nil
}

func getLogin(w http.ResponseWriter, r *http.Request) {
	me := getSessionUser(r)
	if isLogin(me) {
		http.Redirect(w, r, "/", http.StatusFound)
		return
	}
	render(w, "login", map[string]any{"Me": me, "Flash": getFlash(w, r)})
}

func postLogin(w http.ResponseWriter, r *http.Request) {
	u := tryLogin(r.FormValue("account_name"), r.FormValue("password"))
	if u == nil {
		setFlash(w, "アカウント名かパスワードが間違っています")
		http.Redirect(w, r, "/login", http.StatusFound)
		return
	}
	if err := createSession(w, u.ID); err != nil {
		serverError(w, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusFound)
}

func getRegister(w http.ResponseWriter, r *http.Request) {
	if isLogin(getSessionUser(r)) {
		http.Redirect(w, r, "/", http.StatusFound)
		return
	}
	render(w, "register", map[string]any{"Flash": getFlash(w, r)})
}

func postRegister(w http.ResponseWriter, r *http.Request) {
	accountName, password := r.FormValue("account_name"), r.FormValue("password")

	if !validateUser(accountName, password) {
		setFlash(w, "アカウント名は3文字以上、パスワードは6文字以上である必要があります")
		http.Redirect(w, r, "/register", http.StatusFound)
		return
	}

	exists := 0
	// ユーザーが存在しない場合はエラーになるのでエラーチェックはしない
	_ = db.Get(&exists, "SELECT 1 FROM users WHERE `account_name` = ?", accountName)
	if exists == 1 {
		setFlash(w, "アカウント名がすでに使われています")
		http.Redirect(w, r, "/register", http.StatusFound)
		return
	}

	query := "INSERT INTO `users` (`account_name`, `passhash`) VALUES (?,?)"
	result, err := db.Exec(query, accountName, calculatePasshash(accountName, password))
	if err != nil {
		serverError(w, err)
		return
	}
	uid, err := result.LastInsertId()
	if err != nil {
		serverError(w, err)
		return
	}
	if err := createSession(w, int(uid)); err != nil {
		serverError(w, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusFound)
}

func getLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionName); err == nil {
		if _, err := db.Exec("DELETE FROM `sessions` WHERE `id` = ?", c.Value); err != nil {
			serverError(w, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionName, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/", http.StatusFound)
}

// GET /@{accountName} — a user's page: their posts (posts.user_id has no
// index), how many comments they wrote (served by idx_user_created), and how
// many comments their posts received: the post ids are fetched first and
// the count is one query with IN (?) expanded by sqlx.In, not a loop.
func getAccountName(w http.ResponseWriter, r *http.Request) {
	accountName := chi.URLParam(r, "accountName")
	user := User{}

	err := db.Get(&user, "SELECT * FROM `users` WHERE `account_name` = ? AND `del_flg` = 0", accountName)
	if errors.Is(err, sql.ErrNoRows) {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if err != nil {
		serverError(w, err)
		return
	}

	results := []Post{}
	err = db.Select(&results, "SELECT `id`, `user_id`, `body`, `mime`, `created_at` FROM `posts` WHERE `user_id` = ? ORDER BY `created_at` DESC", user.ID) // want "unindexed: posts.user_id"
	if err != nil {
		serverError(w, err)
		return
	}

	me := getSessionUser(r)
	posts, err := makePosts(results, me.CSRFToken, false)
	if err != nil {
		serverError(w, err)
		return
	}

	commentCount := 0
	err = db.Get(&commentCount, "SELECT COUNT(*) AS count FROM `comments` WHERE `user_id` = ?", user.ID)
	if err != nil {
		serverError(w, err)
		return
	}

	postIDs := []int{}
	err = db.Select(&postIDs, "SELECT `id` FROM `posts` WHERE `user_id` = ?", user.ID) // want "unindexed: posts.user_id"
	if err != nil {
		serverError(w, err)
		return
	}
	postCount := len(postIDs)

	commentedCount := 0
	if postCount > 0 {
		q, args, err := sqlx.In("SELECT COUNT(*) AS count FROM `comments` WHERE `post_id` IN (?)", postIDs)
		if err != nil {
			serverError(w, err)
			return
		}
		err = db.Get(&commentedCount, db.Rebind(q), args...) // want "unindexed: comments.post_id"
		if err != nil {
			serverError(w, err)
			return
		}
	}

	render(w, "user", map[string]any{
		"Posts":          posts,
		"User":           user,
		"PostCount":      postCount,
		"CommentCount":   commentCount,
		"CommentedCount": commentedCount,
		"Me":             me,
	})
}
