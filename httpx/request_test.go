package httpx_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/httpx"
)

// TestNewRequestID: a request ID is a random version-4 UUID in lower-case hex.
func TestNewRequestID(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		id := httpx.NewRequestID()
		if !uuid.MatchString(id) || seen[id] {
			t.Fatalf("NewRequestID() = %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
	}
}

// TestMiddlewareLog: the request log line carries the request's ID, status and what the
// face annotated; at a level that drops it, the response is the same.
func TestMiddlewareLog(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelWarn} {
		var log bytes.Buffer
		h := httpx.Middleware(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: level})), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			httpx.Annotate(r, "chime", "CreateUser")
			httpx.SetTenant(r, "000000000000")
			w.WriteHeader(http.StatusCreated)
		}))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("POST", "/accounts", nil))
		id := w.Header().Get(httpx.RequestIDHeader)
		if w.Code != http.StatusCreated || len(id) != 36 || len(w.Header()["X-Amzn-Requestid"]) != 1 {
			t.Fatalf("level %v: status %d, header %v", level, w.Code, w.Header())
		}
		line := log.String()
		if level == slog.LevelWarn {
			if line != "" {
				t.Errorf("level %v: logged %q", level, line)
			}
			continue
		}
		for _, want := range []string{"id=" + id, "method=POST", "face=chime", "op=CreateUser", "tenant=000000000000", "status=201"} {
			if !strings.Contains(line, want) {
				t.Errorf("level %v: log line %q lacks %q", level, line, want)
			}
		}
	}
}

// TestMiddlewareAllocations: with its log line off, Middleware allocates for the request
// ID, its header, the Info and the context that carries it, and no more.
func TestMiddlewareAllocations(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := httpx.Middleware(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	r := httptest.NewRequest("POST", "/accounts", nil)
	w := httptest.NewRecorder()
	n := testing.AllocsPerRun(100, func() {
		clear(w.Header())
		h.ServeHTTP(w, r)
	})
	// the ID string, one for Info, the statusWriter, the context and the header's value,
	// and the request's shallow copy
	if n > 3 {
		t.Errorf("Middleware allocates %v times per request, want at most 3", n)
	}
}

// TestMiddlewareContext: the request's context carries its Info and the server's values
// and cancelation; a context derived from it is canceled with the server's without a
// goroutine of its own (context finds the parent's cancelation through it).
func TestMiddlewareContext(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "server"))
	var derived context.Context
	var goroutines int
	h := httpx.Middleware(slog.New(slog.DiscardHandler), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.Annotate(r, "chime", "CreateUser")
		if in := httpx.InfoFrom(r.Context()); in.Face != "chime" || in.RequestID != w.Header().Get(httpx.RequestIDHeader) {
			t.Errorf("InfoFrom = %+v", in)
		}
		if v := r.Context().Value(key{}); v != "server" {
			t.Errorf("the server's value: %v", v)
		}
		before := runtime.NumGoroutine()
		var stop context.CancelFunc
		derived, stop = context.WithCancel(r.Context())
		goroutines = runtime.NumGoroutine() - before
		t.Cleanup(stop)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/accounts", nil).WithContext(parent))
	if goroutines != 0 {
		t.Errorf("a derived context started %d goroutines", goroutines)
	}
	cancel()
	select {
	case <-derived.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the derived context was not canceled with the server's")
	}
}

// endObserver is an Observer whose end keeps what it was told.
type endObserver struct {
	status int
	face   string
	d      time.Duration
	end    func(in *httpx.Info, status int, d time.Duration)
}

func newEndObserver() *endObserver {
	o := &endObserver{}
	o.end = func(in *httpx.Info, status int, d time.Duration) { o.face, o.status, o.d = in.Face, status, d }
	return o
}

func (o *endObserver) Begin(r *http.Request) (*http.Request, func(*httpx.Info, int, time.Duration)) {
	return r, o.end
}

// TestObserveInsideMiddleware: inside Middleware, Observe reports the status written,
// the face's annotations and the time taken, and allocates nothing of its own (it
// reads Middleware's status writer and start time; it made a status writer of its own).
func TestObserveInsideMiddleware(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	serve := func(w http.ResponseWriter, r *http.Request) {
		httpx.Annotate(r, "chime", "CreateUser")
		time.Sleep(time.Millisecond)
		w.WriteHeader(http.StatusCreated)
	}
	o := newEndObserver()
	observed := httpx.Middleware(log, httpx.Observe(o, http.HandlerFunc(serve)))
	observed.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/accounts", nil))
	if o.status != http.StatusCreated || o.face != "chime" || o.d < time.Millisecond {
		t.Fatalf("observed status %d, face %q, duration %v", o.status, o.face, o.d)
	}

	fast := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) }
	r := httptest.NewRequest("POST", "/accounts", nil)
	w := httptest.NewRecorder()
	allocs := func(h http.Handler) float64 {
		return testing.AllocsPerRun(100, func() { clear(w.Header()); h.ServeHTTP(w, r) })
	}
	bare, with := allocs(httpx.Middleware(log, http.HandlerFunc(fast))), allocs(httpx.Middleware(log, httpx.Observe(o, http.HandlerFunc(fast))))
	if with > bare {
		t.Errorf("Observe adds %v allocations per request, want none", with-bare)
	}
}
