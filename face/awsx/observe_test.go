package awsx_test

import (
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
)

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
