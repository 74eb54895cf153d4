package main

import (
	"html/template"
	"log"
	"net/http"
	"net/url"
	"time"
)

// The pages are tiny inline templates: enough for a browser, none of it
// touches the database.
const layoutTmpl = `{{define "layout"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Isupost</title>
<link href="/css/style.css" media="screen" rel="stylesheet" type="text/css"></head>
<body><div class="container">
<div class="header"><h1><a href="/">Isupost</a></h1>
{{if .Me}}{{if .Me.ID}}<a href="/@{{.Me.AccountName}}">{{.Me.AccountName}}</a> <a href="/logout">logout</a>
{{if eq .Me.Authority 1}}<a href="/admin/banned">admin</a>{{end}}{{else}}<a href="/login">login</a>{{end}}{{end}}
</div>
{{if .Flash}}<div class="flash">{{.Flash}}</div>{{end}}
{{template "content" .}}
</div><script src="/js/timeago.min.js"></script><script src="/js/main.js"></script></body></html>{{end}}`

const postsTmpl = `{{define "postlist"}}<div class="posts">{{range .}}{{template "post1" .}}{{end}}</div>{{end}}
{{define "post1"}}<div class="post" id="pid_{{.ID}}" data-created-at="{{.CreatedAt.Format "2006-01-02T15:04:05-07:00"}}">
<div class="post-head"><a href="/@{{.User.AccountName}}">{{.User.AccountName}}</a>
<a href="/posts/{{.ID}}"><time class="timeago">{{.CreatedAt}}</time></a></div>
<div class="post-image"><img src="{{imageURL .}}"></div>
<div class="post-text">{{.Body}}</div>
<div class="post-comment-count">comments: {{.CommentCount}}</div>
<div class="post-comments">{{range .Comments}}<div class="comment"><a href="/@{{.User.AccountName}}">{{.User.AccountName}}</a> {{.Comment}}</div>{{end}}</div>
<form method="post" action="/comment"><input type="text" name="comment"><input type="hidden" name="post_id" value="{{.ID}}">
<input type="hidden" name="csrf_token" value="{{.CSRFToken}}"><input type="submit" value="submit"></form>
</div>{{end}}`

var pages = map[string]string{
	"index": `{{define "content"}}<form method="post" action="/" enctype="multipart/form-data">
<input type="file" name="file"><textarea name="body"></textarea>
<input type="hidden" name="csrf_token" value="{{.Me.CSRFToken}}"><input type="submit" value="submit"></form>
{{template "postlist" .Posts}}{{end}}`,
	"posts": `{{define "content"}}{{template "postlist" .Posts}}{{end}}`,
	"post":  `{{define "content"}}{{template "post1" .Post}}{{end}}`,
	"user": `{{define "content"}}<div class="user"><h2>{{.User.AccountName}}</h2>
<p>posts {{.PostCount}} / comments {{.CommentCount}} / commented {{.CommentedCount}}</p></div>
{{template "postlist" .Posts}}{{end}}`,
	"login": `{{define "content"}}<form method="post" action="/login"><input type="text" name="account_name">
<input type="password" name="password"><input type="submit" value="login"></form>{{end}}`,
	"register": `{{define "content"}}<form method="post" action="/register"><input type="text" name="account_name">
<input type="password" name="password"><input type="submit" value="register"></form>{{end}}`,
	"banned": `{{define "content"}}<form method="post" action="/admin/banned">
{{range .Users}}<label><input type="checkbox" name="uid[]" value="{{.ID}}">{{.AccountName}}</label>{{end}}
<input type="hidden" name="csrf_token" value="{{.CSRFToken}}"><input type="submit" value="ban"></form>{{end}}`,
}

var templates = func() map[string]*template.Template {
	fm := template.FuncMap{"imageURL": imageURL}
	out := map[string]*template.Template{}
	for name, body := range pages {
		t := template.Must(template.New("layout").Funcs(fm).Parse(layoutTmpl))
		template.Must(t.Parse(postsTmpl))
		out[name] = template.Must(t.Parse(body))
	}
	return out
}()

func render(w http.ResponseWriter, name string, data map[string]any) {
	if _, ok := data["Me"]; !ok {
		data["Me"] = nil
	}
	if _, ok := data["Flash"]; !ok {
		data["Flash"] = ""
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := templates[name].ExecuteTemplate(w, "layout", data); err != nil {
		log.Print(err)
	}
}

func serverError(w http.ResponseWriter, err error) {
	log.Print(err)
	w.WriteHeader(http.StatusInternalServerError)
}

// The flash message lives in a short cookie, not in the database.
func setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: "isupost_flash", Value: url.QueryEscape(msg), Path: "/",
		Expires: time.Now().Add(time.Minute)})
}

func getFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie("isupost_flash")
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: "isupost_flash", Value: "", Path: "/", MaxAge: -1})
	msg, _ := url.QueryUnescape(c.Value)
	return msg
}
