package httpx_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

// face is a stand-in API face that answers 200 unless CheckSite refuses.
type face struct{}

func (face) Match(r *http.Request) bool { return r.URL.Path == "/api" }
func (face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := httpx.CheckSite(r); err != nil {
		if rollcall.ErrorKind(err) != rollcall.Forbidden || rollcall.ErrorReason(err) != rollcall.ReasonCrossSite {
			panic(err)
		}
		w.WriteHeader(http.StatusForbidden)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// TestSites: browsers' requests to an API face are refused unless they come from the
// server's own origin or an allowed one; allowed origins get CORS answers.
func TestSites(t *testing.T) {
	const allowed = "http://localhost:3000"
	h := httpx.Router(&httpx.Sites{Allowed: []string{allowed}, Faces: []httpx.Face{face{}}})
	cases := []struct {
		name   string
		method string
		header map[string]string
		status int
		acao   string
	}{
		{"an SDK", "POST", nil, 200, ""},
		{"a page of this server", "POST", map[string]string{"Origin": "http://rollcall.test", "Sec-Fetch-Site": "same-origin"}, 200, ""},
		{"a navigation typed in", "GET", map[string]string{"Sec-Fetch-Site": "none"}, 200, ""},
		{"cross-site", "POST", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, ""},
		{"same-site", "POST", map[string]string{"Sec-Fetch-Site": "same-site", "Origin": "http://rollcall.test:8080"}, 403, ""},
		{"another origin", "POST", map[string]string{"Origin": "http://evil.test"}, 403, ""},
		{"Origin null", "POST", map[string]string{"Origin": "null"}, 403, ""},
		{"own host claimed cross-site", "POST", map[string]string{"Origin": "http://rollcall.test", "Sec-Fetch-Site": "cross-site"}, 403, ""},
		{"allowed origin", "POST", map[string]string{"Origin": allowed, "Sec-Fetch-Site": "cross-site"}, 200, allowed},
		{"allowed origin's preflight", "OPTIONS", map[string]string{"Origin": allowed, "Access-Control-Request-Method": "POST",
			"Access-Control-Request-Headers": "authorization,x-amz-date,x-amz-target"}, 204, allowed},
		{"another origin's preflight", "OPTIONS", map[string]string{"Origin": "http://evil.test", "Access-Control-Request-Method": "POST"}, 403, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(c.method, "http://rollcall.test/api", nil)
			for k, v := range c.header {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != c.status || w.Header().Get("Access-Control-Allow-Origin") != c.acao {
				t.Fatalf("%d, Access-Control-Allow-Origin %q; want %d, %q", w.Code, w.Header().Get("Access-Control-Allow-Origin"), c.status, c.acao)
			}
			if c.method == "OPTIONS" && c.status == 204 && w.Header().Get("Access-Control-Allow-Headers") != "authorization,x-amz-date,x-amz-target" {
				t.Errorf("preflight headers: %v", w.Header())
			}
		})
	}
	t.Run("without Sites, no origin is allowed", func(t *testing.T) {
		r := httptest.NewRequest("POST", "http://rollcall.test/api", nil)
		r.Header.Set("Origin", allowed)
		w := httptest.NewRecorder()
		face{}.ServeHTTP(w, r)
		if w.Code != 403 {
			t.Fatalf("%d", w.Code)
		}
	})
}

// countingFace claims path and counts the times it is asked.
type countingFace struct {
	path    string
	matches *int
}

func (f countingFace) Match(r *http.Request) bool { *f.matches++; return r.URL.Path == f.path }
func (f countingFace) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

// TestSitesMatchOnce: behind Router, Sites asks each of its faces once per request (it
// asked them once for Router's Match and again to pick the one to serve), and a request
// none claims goes on to Router's 404.
func TestSitesMatchOnce(t *testing.T) {
	var first, second int
	h := httpx.Router(&httpx.Sites{Faces: []httpx.Face{countingFace{"/a", &first}, countingFace{"/b", &second}}})
	for _, c := range []struct {
		path          string
		status        int
		first, second int
	}{
		{"/a", http.StatusNoContent, 1, 0},
		{"/b", http.StatusNoContent, 1, 1},
		{"/c", http.StatusNotFound, 1, 1},
	} {
		first, second = 0, 0
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("POST", c.path, nil))
		if w.Code != c.status || first != c.first || second != c.second {
			t.Errorf("%s: status %d, faces asked %d and %d times; want %d, %d and %d", c.path, w.Code, first, second, c.status, c.first, c.second)
		}
	}
}
