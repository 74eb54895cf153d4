//go:build ignore

// Command load drives the pgshop sample app for record.sh: a reverse proxy
// in front of the app writes an nginx-style JSON access log (one object a
// line, with the keys alp reads), and a client sends a bounded, seeded mix
// of requests to the routes through it. Loopback only.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

var (
	appURL   = flag.String("app", "http://127.0.0.1:8080", "the app's `url`")
	listen   = flag.String("listen", "127.0.0.1:8081", "the proxy's `address`")
	requests = flag.Int("requests", 300, "requests in the random mix")
	access   = flag.String("access", "access.json", "the access log `file`")
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
	base := startProxy(out)
	waitFor(*appURL + "/healthz")
	drive(base)
}

// startProxy serves a reverse proxy to the app, logging each request as a
// JSON line, and returns its URL.
func startProxy(w io.Writer) string {
	target, err := url.Parse(*appURL)
	if err != nil {
		log.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var mu sync.Mutex
	enc := json.NewEncoder(w)
	handler := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
		proxy.ServeHTTP(rec, r)
		took := fmt.Sprintf("%.3f", time.Since(start).Seconds())
		mu.Lock()
		defer mu.Unlock()
		enc.Encode(map[string]string{
			"time": start.Format(time.RFC3339), "host": "127.0.0.1", "method": r.Method, "uri": r.RequestURI,
			"status": fmt.Sprint(rec.status), "body_bytes": fmt.Sprint(rec.size), "request_time": took,
			"upstream_response_time": took, "user_agent": "pgshop-load",
		})
	})
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, handler)
	return "http://" + ln.Addr().String()
}

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

func waitFor(u string) {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			return
		}
	}
	log.Fatalf("%s does not answer", u)
}

// client is a logged-in user; the session cookie is Secure, which a
// cookie jar keeps from plain http, so it is sent by hand.
type client struct{ cookie string }

func (c *client) do(method, u, body string) (int, string) {
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.Name == "pgshop_session" {
			c.cookie = ck.Name + "=" + ck.Value
		}
	}
	return resp.StatusCode, string(b)
}

func drive(base string) {
	rng := rand.New(rand.NewSource(17))
	deadline := time.Now().Add(2 * time.Minute)
	var users []*client
	for i := 1; i <= 10; i++ {
		c := &client{}
		if code, body := c.do("POST", base+"/api/login", fmt.Sprintf(`{"email":"user%d@example.com","password":"password"}`, i)); code != 200 {
			log.Fatalf("login: %d %s", code, body)
		}
		users = append(users, c)
	}
	var orders []int
	for i := 0; i < *requests && time.Now().Before(deadline); i++ {
		c := users[rng.Intn(len(users))]
		product := 1 + rng.Intn(40)
		switch rng.Intn(10) {
		case 0:
			c.do("GET", base+"/healthz", "")
		case 1:
			c.do("GET", base+"/api/categories", "")
		case 2:
			c.do("GET", fmt.Sprintf("%s/api/categories/cat%d/products", base, 1+rng.Intn(4)), "")
		case 3:
			c.do("GET", fmt.Sprintf("%s/api/products/%d", base, product), "")
		case 4:
			c.do("PUT", fmt.Sprintf("%s/api/cart/items/%d", base, product), fmt.Sprintf(`{"quantity":%d}`, 1+rng.Intn(3)))
		case 5:
			c.do("GET", base+"/api/cart?coupon=save10", "")
		case 6:
			c.do("PUT", fmt.Sprintf("%s/api/cart/items/%d", base, product), `{"quantity":1}`)
			if code, body := c.do("POST", base+"/api/checkout", `{"coupon":"SAVE10","shipping":{"name":"A","address":"1 Road"}}`); code < 300 {
				var o struct {
					ID int `json:"id"`
				}
				if json.Unmarshal([]byte(body), &o) == nil && o.ID > 0 {
					orders = append(orders, o.ID)
				}
			}
		case 7:
			c.do("GET", base+"/api/orders", "")
		case 8:
			if len(orders) > 0 {
				c.do("GET", fmt.Sprintf("%s/api/orders/%d", base, orders[rng.Intn(len(orders))]), "")
			}
		case 9:
			c.do("POST", fmt.Sprintf("%s/api/products/%d/reviews", base, product), `{"rating":4,"body":"fine"}`)
		}
	}
}
