package amazonbusiness_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/face/amazonbusiness"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/internal/testlog"
	"github.com/rollcall/rollcall/operator"
)

// The fixtures every test starts with: the dev business (dev-group tagged "default",
// default role Requisitioner) with a second group, and a business without defaults.
const (
	devToken     = rollcall.DevAccessToken
	devBusiness  = rollcall.DevBusinessID
	devGroup     = rollcall.DevGroupID
	otherGroup   = "grp-purchasing"
	otherTag     = "purchasing"
	bareBusiness = "bare-business"
	bareGroup    = "bare-group"
	bareToken    = "Atza|bare-business-token"
)

func testSeed() operator.Seed {
	sd := operator.DevSeed()
	sd.Businesses[0].Groups = append(sd.Businesses[0].Groups, operator.SeedGroup{ID: otherGroup, Tag: otherTag, Name: "Purchasing"})
	sd.Businesses = append(sd.Businesses, operator.SeedBusiness{
		ID:           bareBusiness,
		Name:         "Business without defaults",
		Groups:       []operator.SeedGroup{{ID: bareGroup, Tag: "bare"}},
		AccessTokens: []string{bareToken},
	})
	return sd
}

// harness is the face served over a real SQLite store (facetest) by an httptest server.
type harness struct {
	svc  *rollcall.Service
	face *amazonbusiness.Face
	srv  *facetest.Server
	log  *testlog.Buffer
}

// harnessOption adjusts the harness before it starts: wrap the store, set the face up.
type harnessOption struct {
	wrapStore func(rollcall.Store) rollcall.Store
	face      func(*amazonbusiness.Face)
}

func MustHarness(tb testing.TB, opts ...harnessOption) *harness {
	tb.Helper()
	svc := facetest.MustService(tb, facetest.Options{
		Seed: func(sd *operator.Seed) { *sd = testSeed() },
		Store: func(s rollcall.Store) rollcall.Store {
			for _, o := range opts {
				if o.wrapStore != nil {
					s = o.wrapStore(s)
				}
			}
			return s
		},
	})
	f := amazonbusiness.New(svc.Business, token.BusinessAuthenticator{Tokens: token.New(svc.Service, operator.TokenAttrs)})
	for _, o := range opts {
		if o.face != nil {
			o.face(f)
		}
	}
	h := &harness{svc: svc.Service, face: f, srv: facetest.MustServe(tb, f)}
	h.log = h.srv.Log
	return h
}

// reqOption changes the request a test sends.
type reqOption func(*http.Request)

func withToken(token string) reqOption {
	return func(r *http.Request) { r.Header.Set("x-amz-access-token", token) }
}

func withoutToken() reqOption { return func(r *http.Request) { r.Header.Del("x-amz-access-token") } }

func withHeader(k, v string) reqOption { return func(r *http.Request) { r.Header.Set(k, v) } }

func withoutHeader(k string) reqOption { return func(r *http.Request) { r.Header.Del(k) } }

func withMethod(m string) reqOption { return func(r *http.Request) { r.Method = m } }

// chunked sends the body without a Content-Length.
func chunked() reqOption {
	return func(r *http.Request) {
		body := r.Body
		r.Body = io.NopCloser(struct{ io.Reader }{body})
		r.ContentLength = -1
	}
}

// result is a response, read whole.
type result struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request to the face's server: by default POST to the operation's path, with
// the dev business's token and Content-Type application/json.
func (h *harness) do(tb testing.TB, path, body string, opts ...reqOption) *result {
	tb.Helper()
	return h.doBytes(tb, path, []byte(body), opts...)
}

func (h *harness) doBytes(tb testing.TB, path string, body []byte, opts ...reqOption) *result {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("x-amz-access-token", devToken)
	req.Header.Set("Content-Type", "application/json")
	for _, o := range opts {
		o(req)
	}
	rp := h.srv.Do(tb, req)
	return &result{status: rp.Status, header: rp.Header, body: rp.Body}
}

// create posts a createBusinessUserAccount request.
func (h *harness) create(tb testing.TB, body string, opts ...reqOption) *result {
	tb.Helper()
	return h.do(tb, amazonbusiness.CreatePath, body, opts...)
}

// apiError is one entry of an ErrorList, as a client reads it.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
}

// MustErrors decodes an ErrorList body strictly: the only member is "errors", and every
// entry has a code and a message.
func (res *result) MustErrors(tb testing.TB) []apiError {
	tb.Helper()
	var list struct {
		Errors []apiError `json:"errors"`
	}
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		tb.Fatalf("status %d: body is not an ErrorList: %v: %s", res.status, err, res.body)
	}
	if len(list.Errors) == 0 {
		tb.Fatalf("status %d: empty ErrorList: %s", res.status, res.body)
	}
	for _, e := range list.Errors {
		if e.Code == "" || e.Message == "" {
			tb.Fatalf("status %d: error without code or message: %s", res.status, res.body)
		}
	}
	return list.Errors
}

// MustHeaders checks what every response of the face carries: x-amzn-RequestId,
// Content-Type application/json, and x-amzn-RateLimit-Limit exactly on 201, 400 and 404.
func (res *result) MustHeaders(tb testing.TB, rateLimit string) {
	tb.Helper()
	if res.header.Get("x-amzn-RequestId") == "" {
		tb.Errorf("status %d: no x-amzn-RequestId", res.status)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json" {
		tb.Errorf("status %d: Content-Type %q, want application/json", res.status, ct)
	}
	got, has := res.header.Get("x-amzn-RateLimit-Limit"), len(res.header.Values("x-amzn-RateLimit-Limit")) > 0
	switch res.status {
	case 201, 400, 404:
		if got != rateLimit {
			tb.Errorf("status %d: x-amzn-RateLimit-Limit = %q, want %q", res.status, got, rateLimit)
		}
	default:
		if has {
			tb.Errorf("status %d: x-amzn-RateLimit-Limit %q set; the page lists it only for 201, 400 and 404", res.status, got)
		}
	}
}

// MustError checks a response with exactly one error.
func (res *result) MustError(tb testing.TB, status int, code, message string) {
	tb.Helper()
	res.MustErrorList(tb, status, apiError{Code: code, Message: message})
}

// MustErrorList checks the status, the headers and the whole ErrorList.
func (res *result) MustErrorList(tb testing.TB, status int, want ...apiError) {
	tb.Helper()
	if res.status != status {
		tb.Fatalf("status %d, want %d: %s", res.status, status, res.body)
	}
	res.MustHeaders(tb, amazonbusiness.DefaultRateLimit)
	got := res.MustErrors(tb)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		tb.Fatalf("errors:\n got %+v\nwant %+v", got, want)
	}
}

// MustCreated checks a 201 with body {}.
func (res *result) MustCreated(tb testing.TB) {
	tb.Helper()
	if res.status != http.StatusCreated {
		tb.Fatalf("status %d, want 201: %s", res.status, res.body)
	}
	res.MustHeaders(tb, amazonbusiness.DefaultRateLimit)
	if string(res.body) != "{}" {
		tb.Fatalf("body %q, want {}", res.body)
	}
}

const codeInvalid = "INVALID_REQUEST_PARAMETER"

func missing(param string) apiError {
	return apiError{Code: codeInvalid, Message: "The required request parameter is missing: " + param + "."}
}

func invalid(message string) apiError { return apiError{Code: codeInvalid, Message: message} }

// MustUsers lists the users of a business.
func (h *harness) MustUsers(tb testing.TB, biz string) []*business.User {
	tb.Helper()
	return facetest.AllDecoded(tb, (&facetest.Service{Service: h.svc, Store: h.svc.Store}).MustUsers(tb, biz), business.UserOf)
}

// MustUser returns the user of the dev business with this email.
func (h *harness) MustUser(tb testing.TB, biz, email string) *business.User {
	tb.Helper()
	return facetest.Decoded(tb, (&facetest.Service{Service: h.svc, Store: h.svc.Store}).MustUserByKey(tb, biz, email), business.UserOf)
}

// MustMessages lists a business's outbox.
func (h *harness) MustMessages(tb testing.TB, business string) []*rollcall.Message {
	tb.Helper()
	ms, err := operator.New(h.svc).Messages(context.Background(), rollcall.MessageFilter{TenantID: business})
	if err != nil {
		tb.Fatal(err)
	}
	return ms
}

// snapshot counts the users and messages of both businesses.
type snapshot [4]int

func (h *harness) snapshot(tb testing.TB) snapshot {
	tb.Helper()
	return snapshot{
		len(h.MustUsers(tb, devBusiness)), len(h.MustMessages(tb, devBusiness)),
		len(h.MustUsers(tb, bareBusiness)), len(h.MustMessages(tb, bareBusiness)),
	}
}

// MustUnchanged checks that a rejected request created nothing: no user, no message.
func (h *harness) MustUnchanged(tb testing.TB, before snapshot) {
	tb.Helper()
	if after := h.snapshot(tb); after != before {
		tb.Fatalf("a rejected request wrote: users/messages (dev, bare) before %v, after %v", before, after)
	}
}

var emailSeq atomic.Int64

// uniqueEmail returns an email no other test uses.
func uniqueEmail() string { return fmt.Sprintf("user%d@example.com", emailSeq.Add(1)) }

// request is a createBusinessUserAccount body as a map, so tests can remove members or
// give them any JSON value.
type request map[string]any

// validRequest is the smallest valid request: the holder and a region.
func validRequest(email string) request {
	return request{
		"accountHolder": map[string]any{"email": email, "givenName": "Ada", "familyName": "Lovelace"},
		"region":        "US",
	}
}

func (r request) holder() map[string]any { return r["accountHolder"].(map[string]any) }

func (r request) String() string {
	b, err := json.Marshal(map[string]any(r))
	if err != nil {
		panic(err)
	}
	return string(b)
}
