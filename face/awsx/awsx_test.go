package awsx_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/internal/testlog"
	"github.com/rollcall/rollcall/ratelimit"
)

// recorder notes the steps of the pipeline in the order they run.
type recorder struct{ steps []string }

func (rec *recorder) pipeline(authBeforeBody bool, authErr error) *awsx.Pipeline {
	return &awsx.Pipeline{
		Name: "test", AuthBeforeBody: authBeforeBody, ContentType: "application/test",
		Limits: ratelimit.New(map[string]ratelimit.Limit{"test.Throttled": {PerSecond: 0.001, Burst: 1}}),
		Auth: awsx.AuthFunc(func(r *http.Request, body []byte) (rollcall.Caller, error) {
			rec.steps = append(rec.steps, "auth:"+string(body))
			return rollcall.Caller{TenantID: "t1"}, authErr
		}),
		Check: func(r *http.Request) error { rec.steps = append(rec.steps, "check"); return nil },
		Ready: func(r *http.Request, c rollcall.Caller) error {
			rec.steps = append(rec.steps, "ready:"+c.TenantID)
			return nil
		},
		Errors: func(r *http.Request, err error) awsx.Wire {
			return awsx.RESTJSON(http.StatusTeapot, "Shape", err.Error(), nil)
		},
	}
}

func serve(p *awsx.Pipeline, op string, h awsx.Handler, req *http.Request) (*httptest.ResponseRecorder, string) {
	var log testlog.Buffer
	w := httptest.NewRecorder()
	httpx.Middleware(slog.New(slog.NewTextHandler(&log, nil)), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.Serve(w, r, op, h)
	})).ServeHTTP(w, req)
	return w, log.String()
}

// TestPipelineOrder: SigV4 faces read the body before authenticating (the signature
// covers it); bearer-token faces authenticate first and never read a refused body.
func TestPipelineOrder(t *testing.T) {
	for _, tc := range []struct {
		authBeforeBody bool
		want           string
	}{
		{false, "check auth:{} ready:t1 handler"},
		{true, "auth: check ready:t1 handler"},
	} {
		rec := &recorder{}
		w, log := serve(rec.pipeline(tc.authBeforeBody, nil), "Op", func(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
			rec.steps = append(rec.steps, "handler")
			return awsx.Created(map[string]string{"Got": string(body)}), nil
		}, httptest.NewRequest("POST", "/", strings.NewReader("{}")))
		if got := strings.Join(rec.steps, " "); got != tc.want {
			t.Errorf("AuthBeforeBody %v: steps %q, want %q", tc.authBeforeBody, got, tc.want)
		}
		if w.Code != http.StatusCreated || w.Body.String() != `{"Got":"{}"}` || w.Header().Get("Content-Type") != "application/test" {
			t.Errorf("response %d %q %q", w.Code, w.Header().Get("Content-Type"), w.Body)
		}
		if !strings.Contains(log, "face=test op=Op tenant=t1 status=201") {
			t.Errorf("log %q", log)
		}
	}
}

// TestPipelineFailures: a refused caller never reaches the handler, a throttled one
// neither, and each failure is written through the face's table and logged.
func TestPipelineFailures(t *testing.T) {
	never := func(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
		t.Fatal("the handler ran")
		return awsx.Response{}, nil
	}
	rec := &recorder{}
	w, log := serve(rec.pipeline(true, errors.New("no such token")), "Op", never, httptest.NewRequest("POST", "/", strings.NewReader("{}")))
	if got := strings.Join(rec.steps, " "); got != "auth:" {
		t.Errorf("steps after a refused bearer token: %q", got)
	}
	if w.Code != http.StatusTeapot || w.Header().Get("X-Amzn-ErrorType") != "Shape" || !strings.Contains(log, `error="no such token"`) {
		t.Errorf("got %d %v %q; log %q", w.Code, w.Header(), w.Body, log)
	}

	rec = &recorder{}
	p := rec.pipeline(false, nil)
	ok := func(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
		return awsx.NoContent(), nil
	}
	if w, _ := serve(p, "Throttled", ok, httptest.NewRequest("POST", "/", nil)); w.Code != http.StatusNoContent || w.Body.Len() != 0 {
		t.Fatalf("first request: %d %q", w.Code, w.Body)
	}
	if w, log := serve(p, "Throttled", never, httptest.NewRequest("POST", "/", nil)); w.Code != http.StatusTeapot || !strings.Contains(log, "op=Throttled") {
		t.Errorf("second request: %d; log %q", w.Code, log)
	}

	big := httptest.NewRequest("POST", "/", io.LimitReader(zeros{}, httpx.MaxBodyBytes+1))
	big.ContentLength = -1
	rec = &recorder{}
	if w, _ := serve(rec.pipeline(false, nil), "Op", never, big); w.Code != http.StatusTeapot || len(rec.steps) != 1 {
		t.Errorf("a body over the limit: %d, steps %q", w.Code, rec.steps)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// lastInfo is an httpx.Observer that keeps what the last request reported.
type lastInfo struct {
	info   httpx.Info
	status int
}

func (o *lastInfo) Begin(r *http.Request) (*http.Request, func(*httpx.Info, int, time.Duration)) {
	return r, func(in *httpx.Info, status int, _ time.Duration) { o.info, o.status = *in, status }
}

// TestPipelineReportsAuthAndThrottle: the pipeline's authentication step reports a
// refused credential with its scheme and reason, and its throttle step a rate-limit
// refusal, to the request's observers; a request that passes reports neither.
func TestPipelineReportsAuthAndThrottle(t *testing.T) {
	ok := func(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
		return awsx.NoContent(), nil
	}
	observe := func(p *awsx.Pipeline, op string, req *http.Request) *lastInfo {
		var log testlog.Buffer
		o := &lastInfo{}
		httpx.Middleware(slog.New(slog.NewTextHandler(&log, nil)), httpx.Observe(o, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p.Serve(w, r, op, ok)
		}))).ServeHTTP(httptest.NewRecorder(), req)
		return o
	}
	badSig := &rollcall.Error{Kind: rollcall.Forbidden, Reason: rollcall.ReasonBadSignature, Message: "no"}
	o := observe((&recorder{}).pipeline(false, badSig), "Op", httptest.NewRequest("POST", "/", strings.NewReader("{}")))
	if a := o.info.AuthFailure; a == nil || *a != (httpx.AuthFailure{Scheme: httpx.SchemeSigV4, Reason: rollcall.ReasonBadSignature}) || o.status != http.StatusTeapot {
		t.Errorf("a refused signature reported %+v, status %d", a, o.status)
	}
	expired := &rollcall.Error{Kind: rollcall.Forbidden, Reason: rollcall.ReasonExpiredToken, Message: "no"}
	o = observe((&recorder{}).pipeline(true, expired), "Op", httptest.NewRequest("POST", "/", nil))
	if a := o.info.AuthFailure; a == nil || *a != (httpx.AuthFailure{Scheme: httpx.SchemeToken, Reason: rollcall.ReasonExpiredToken}) {
		t.Errorf("an expired bearer token reported %+v", a)
	}
	down := &rollcall.Error{Kind: rollcall.Unavailable, Message: "the store is down"}
	if o = observe((&recorder{}).pipeline(false, down), "Op", httptest.NewRequest("POST", "/", nil)); o.info.AuthFailure != nil {
		t.Errorf("a store outage during authentication reported an auth failure %+v", o.info.AuthFailure)
	}

	p := (&recorder{}).pipeline(false, nil)
	if o = observe(p, "Throttled", httptest.NewRequest("POST", "/", nil)); o.info.RateLimited || o.info.AuthFailure != nil || o.status != http.StatusNoContent {
		t.Errorf("a request within its limit reported %+v, status %d", o.info, o.status)
	}
	if o = observe(p, "Throttled", httptest.NewRequest("POST", "/", nil)); !o.info.RateLimited || o.info.Operation != "Throttled" || o.info.Tenant != "t1" {
		t.Errorf("a throttled request reported %+v", o.info)
	}
}

// appended is a body that writes its own JSON.
type appended struct{}

func (appended) AppendJSON(b []byte) []byte { return append(b, `{"ok":true}`...) }

// discard is a ResponseWriter whose header is reused and whose body goes nowhere.
type discard struct{ h http.Header }

func (d discard) Header() http.Header       { return d.h }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// TestWriteAllocations: writing a response allocates its body's buffer, with its
// Content-Length value in the same allocation, and nothing for a face's Content-Type
// (Header.Set made a []string for each on every response).
func TestWriteAllocations(t *testing.T) {
	for _, ct := range []string{"application/json", httpx.AWSJSONContentType} {
		p := &awsx.Pipeline{ContentType: ct}
		w := discard{h: http.Header{}}
		n := testing.AllocsPerRun(100, func() {
			clear(w.h)
			p.Write(w, awsx.OK(appended{}))
		})
		if w.h.Get("Content-Type") != ct || w.h.Get("Content-Length") != "11" {
			t.Fatalf("%s: header %v", ct, w.h)
		}
		if n > 1 {
			t.Errorf("%s: %v allocations per response, want at most 1 (the body's buffer and its length)", ct, n)
		}
	}
}
