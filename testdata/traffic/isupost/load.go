//go:build ignore

// Command load drives the isupost sample app for record.sh: it serves a
// reverse proxy in front of the app that writes an nginx-style LTSV access
// log (the fields of alp's LTSV format), then sends a bounded, seeded mix of
// requests to every route through it. Loopback only.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
)

var (
	appURL   = flag.String("app", "http://127.0.0.1:8080", "the app's `url`")
	listen   = flag.String("listen", "127.0.0.1:8081", "the proxy's `address`")
	requests = flag.Int("requests", 400, "requests in the random mix")
	access   = flag.String("access", "access.ltsv", "the access log `file`")
	admin    = flag.String("admin", "", "a `command` reading SQL on stdin, to make one user an admin")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("load: ")
	out, err := os.Create(*access)
	if err != nil {
		log.Fatal(err)
	}
	defer out.Close()
	proxyURL := startProxy(out)
	waitFor(*appURL + "/login")
	drive(proxyURL)
}

// startProxy serves a reverse proxy to the app on *listen, logging each
// request in LTSV, and returns its URL.
func startProxy(w io.Writer) string {
	target, err := url.Parse(*appURL)
	if err != nil {
		log.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	handler := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
		proxy.ServeHTTP(rec, r)
		took := time.Since(start).Seconds()
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "time:%s\thost:127.0.0.1\tforwardedfor:-\treq:%s %s %s\tstatus:%d\tmethod:%s\turi:%s\tsize:%d\treferer:-\tua:isupost-load\treqtime:%.3f\tcache:-\truntime:-\tapptime:%.3f\tvhost:%s\n",
			start.Format("02/Jan/2006:15:04:05 -0700"), r.Method, r.RequestURI, r.Proto,
			rec.status, r.Method, r.RequestURI, rec.size, took, took, r.Host)
	})
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, handler)
	return "http://" + ln.Addr().String()
}

// recorder keeps the status and body size a handler wrote.
type recorder struct {
	http.ResponseWriter
	status, size int
}

func (r *recorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }
func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.size += n
	return n, err
}

// waitFor polls url until the app answers, for at most 30 seconds.
func waitFor(u string) {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			return
		}
	}
	log.Fatalf("%s does not answer", u)
}

// user is a logged-in client.
type user struct {
	name string
	c    *http.Client
	csrf string
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// drive registers users, posts images and comments, then sends the random
// mix of page and API requests.
func drive(base string) {
	rng := rand.New(rand.NewSource(17))
	deadline := time.Now().Add(2 * time.Minute)
	get(newClient(), base+"/initialize")
	var users []*user
	for i := range 12 {
		u := &user{name: fmt.Sprintf("user%03d", i), c: newClient()}
		form(u.c, base+"/register", url.Values{"account_name": {u.name}, "password": {"password"}})
		u.csrf = token(get(u.c, base+"/"))
		users = append(users, u)
	}
	if *admin != "" {
		cmd := exec.Command("sh", "-c", *admin)
		cmd.Stdin = strings.NewReader("UPDATE users SET authority = 1 WHERE account_name = 'user000';\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			log.Fatalf("admin: %v: %s", err, out)
		}
	}
	posts := 0
	for _, u := range users {
		for range 3 {
			upload(u, base)
			posts++
		}
	}
	for i := 0; i < *requests && time.Now().Before(deadline); i++ {
		u := users[rng.Intn(len(users))]
		pid := 1 + rng.Intn(posts)
		other := users[rng.Intn(len(users))].name
		switch rng.Intn(14) {
		case 0, 1:
			get(u.c, base+"/")
		case 2:
			get(u.c, base+"/posts?max_created_at="+url.QueryEscape(time.Now().Format("2006-01-02T15:04:05-07:00")))
		case 3:
			get(u.c, fmt.Sprintf("%s/posts/%d", base, pid))
		case 4:
			get(u.c, base+"/@"+other)
		case 5:
			get(u.c, fmt.Sprintf("%s/image/%d.jpg", base, pid))
		case 6:
			form(u.c, base+"/comment", url.Values{"post_id": {fmt.Sprint(pid)}, "comment": {"nice " + other}, "csrf_token": {u.csrf}})
		case 7:
			get(u.c, base+"/api/posts")
		case 8:
			get(u.c, fmt.Sprintf("%s/api/posts/%d", base, pid))
		case 9:
			form(u.c, fmt.Sprintf("%s/api/posts/%d/like", base, pid), nil)
		case 10:
			get(u.c, base+"/api/users/"+other+"/stats")
		case 11:
			get(u.c, base+"/login")
			get(u.c, base+"/register")
		case 12:
			u = users[0] // the admin
			get(u.c, base+"/admin/banned")
			form(u.c, base+"/admin/banned", url.Values{"uid[]": {fmt.Sprint(2 + rng.Intn(5)), fmt.Sprint(7 + rng.Intn(5))}, "csrf_token": {u.csrf}})
		case 13:
			get(u.c, base+"/logout")
			form(u.c, base+"/login", url.Values{"account_name": {u.name}, "password": {"password"}})
			u.csrf = token(get(u.c, base+"/"))
		}
	}
}

// newClient is a client with its own cookies that does not follow
// redirects.
func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(c *http.Client, u string) string {
	resp, err := c.Get(u)
	return body(resp, err)
}

func form(c *http.Client, u string, v url.Values) string {
	resp, err := c.PostForm(u, v)
	return body(resp, err)
}

// upload posts a small image as u.
func upload(u *user, base string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="a.jpg"`}
	h["Content-Type"] = []string{"image/jpeg"}
	part, _ := mw.CreatePart(h)
	part.Write(bytes.Repeat([]byte{0xff, 0xd8, 0x00, 0x41}, 64))
	mw.WriteField("body", "a post by "+u.name)
	mw.WriteField("csrf_token", u.csrf)
	mw.Close()
	resp, err := u.c.Post(base+"/", mw.FormDataContentType(), &buf)
	body(resp, err)
}

func body(resp *http.Response, err error) string {
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func token(page string) string {
	if m := csrfRe.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return ""
}
