package chime_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	chimev1 "github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	chimesvc "github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/chime"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/operator"
)

// A second AWS account, for tenant isolation.
const (
	otherAccount = facetest.OtherAccountID
	otherKey     = facetest.OtherKeyID
	otherSecret  = facetest.OtherSecret
)

// Chime accounts of the dev tenant declared in the seed.
const (
	lwaAccount       = "5f0e0000-0000-4000-8000-00000000e1aa" // EnterpriseLWA
	suspendedAccount = "5f0e0000-0000-4000-8000-0000000005d0" // Team, Suspended
)

type harness struct {
	*facetest.Service
	svc *rollcall.Service
	srv *facetest.Server
}

// MustHarness serves the Chime face over a real SQLite store with the dev seed and a
// second account, behind the real SigV4 authenticator.
func MustHarness(tb testing.TB) *harness {
	tb.Helper()
	svc := facetest.MustService(tb, facetest.Options{Seed: func(seed *operator.Seed) {
		seed.Accounts[0].ChimeAccounts = []operator.SeedChimeAccount{
			{ID: lwaAccount, Name: "Acme LWA", Type: chimesvc.EnterpriseLWA},
			{ID: suspendedAccount, Name: "Acme old", Status: chimesvc.Suspended},
		}
		seed.Accounts = append(seed.Accounts, facetest.OtherAccount())
	}})
	srv := facetest.MustServe(tb, newFace(svc))
	return &harness{Service: svc, svc: svc.Service, srv: srv}
}

// newFace is the Chime face over svc as the server wires it: behind the real SigV4
// authenticator, no fault injector.
func newFace(svc *facetest.Service) *chime.Face {
	return chime.New(svc.Chime, auth.NewAWS(svc.Service, "chime", nil))
}

// client returns an official aws-sdk-go v1 Chime client for key/secret.
func (h *harness) client(tb testing.TB, key, secret string) *chimev1.Chime {
	tb.Helper()
	return chimev1.New(h.srv.AWSSession(tb, key, secret))
}

// MustAccount creates a Chime account for the dev tenant and returns its ID.
func (h *harness) MustAccount(tb testing.TB) string {
	tb.Helper()
	out, err := h.client(tb, "test", "test").CreateAccount(&chimev1.CreateAccountInput{Name: aws.String("Acme")})
	if err != nil {
		tb.Fatal(err)
	}
	return aws.StringValue(out.Account.AccountId)
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// do sends a raw request signed for chime with the dev key.
func (h *harness) do(tb testing.TB, method, path string, body []byte) response {
	tb.Helper()
	return h.doWith(tb, method, path, body, signing{})
}

// signing says how doWith signs: the zero value signs now, for us-east-1.
type signing struct {
	region string      // default us-east-1
	at     time.Time   // default now
	header http.Header // set before signing
	after  http.Header // set after signing: sent, not signed
}

// doWith sends a raw request signed for chime with the dev key, as s says.
func (h *harness) doWith(tb testing.TB, method, path string, body []byte, s signing) response {
	tb.Helper()
	header := http.Header{"Content-Type": {"application/json"}}
	for k, v := range s.header {
		header[k] = v
	}
	rp := h.srv.Send(tb, facetest.Request{Method: method, Path: path, Body: string(body), Header: header,
		Service: "chime", Region: s.region, SignedAt: s.at, After: func(req *http.Request) {
			for k, v := range s.after {
				req.Header[k] = v
			}
		}})
	return response{status: rp.Status, header: rp.Header, body: rp.JSON, raw: string(rp.Body)}
}

// send sends a request as it is and reads the response.
func (h *harness) send(tb testing.TB, req *http.Request) response {
	tb.Helper()
	rp := h.srv.Do(tb, req)
	return response{status: rp.Status, header: rp.Header, body: rp.JSON, raw: string(rp.Body)}
}

// wantError checks a Chime error response: status, X-Amzn-ErrorType, Code and message.
func (r response) wantError(tb testing.TB, status int, shape, code, message string) {
	tb.Helper()
	if r.status != status || r.header.Get("X-Amzn-ErrorType") != shape || r.body["Code"] != code {
		tb.Fatalf("got %d %s %s, want %d %s with Code %s", r.status, r.header.Get("X-Amzn-ErrorType"), r.raw, status, shape, code)
	}
	if message != "" && r.body["Message"] != message {
		tb.Fatalf("message %q\nwant    %q", r.body["Message"], message)
	}
}

func (h *harness) countUsers(tb testing.TB, accountID string) int {
	tb.Helper()
	return len(h.MustUsers(tb, accountID))
}
