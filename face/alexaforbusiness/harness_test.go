package alexaforbusiness_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/auth"
	face "github.com/rollcall/rollcall/face/alexaforbusiness"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/operator"
)

// A second AWS account, to show that UserIds are unique per account only.
const (
	otherAccountID = facetest.OtherAccountID
	otherKeyID     = facetest.OtherKeyID
	otherSecret    = facetest.OtherSecret
)

// harness is a real rollcall (facetest: SQLite store in a temp dir, dev seed, real SigV4
// authenticator) serving the Alexa for Business face over HTTP.
type harness struct {
	*facetest.Service
	svc   *rollcall.Service
	store rollcall.Store
	srv   *facetest.Server
	face  *face.Face
	seen  map[string]bool // invitation tokens MustLatestToken returned
}

type harnessOptions struct {
	auth  httpx.Authenticator                 // default: auth.NewAWS(svc, "a4b", nil, MustSign)
	store func(rollcall.Store) rollcall.Store // wraps the real store (to inject failures)
}

// MustHarness starts a server; it stops when tb ends.
func MustHarness(tb testing.TB, opts ...func(*harnessOptions)) *harness {
	tb.Helper()
	var o harnessOptions
	for _, fn := range opts {
		fn(&o)
	}
	svc := facetest.MustService(tb, facetest.Options{Store: o.store,
		Seed: func(sd *operator.Seed) { sd.Accounts = append(sd.Accounts, facetest.OtherAccount()) }})
	authn := o.auth
	if authn == nil {
		authn = auth.NewAWS(svc.Service, "a4b", nil, auth.MustSign(face.MustSign...))
	}
	fc := face.New(svc.Alexa, authn)
	return &harness{Service: svc, svc: svc.Service, store: svc.Store, srv: facetest.MustServe(tb, fc), face: fc, seen: map[string]bool{}}
}

// MustClient returns the official SDK client for the server, signing with keyID/secret
// (test/test when empty). It does not retry, so each call is one request.
func (h *harness) MustClient(tb testing.TB, keyID, secret string) *a4b.AlexaForBusiness {
	tb.Helper()
	return a4b.New(h.srv.AWSSession(tb, keyID, secret))
}

// MustUsers returns the Alexa for Business users of an account, as stored.
func (h *harness) MustUsers(tb testing.TB, accountID string) []*alexa.User {
	tb.Helper()
	return facetest.AllDecoded(tb, h.Service.MustUsers(tb, rollcall.AlexaDirectoryID(accountID)), alexa.UserOf)
}

// MustNoUsers fails unless the dev account has no Alexa for Business users.
func (h *harness) MustNoUsers(tb testing.TB) {
	tb.Helper()
	if users := h.MustUsers(tb, rollcall.DevAccountID); len(users) != 0 {
		tb.Fatalf("%d users were created, want none (first: %q)", len(users), users[0].Key)
	}
}

// raw is a hand-made request (facetest.Request) for this API: POST / with X-Amz-Target.
type raw struct {
	facetest.Request
	Target      string // default AlexaForBusiness.CreateUser
	ContentType string // default application/x-amz-json-1.1; "-" for none
}

// reply is a response as the wire carried it.
type reply struct{ facetest.Reply }

// MustDo sends body as a raw request; the response must be AWS JSON 1.1.
func (h *harness) MustDo(tb testing.TB, body string, opts ...func(*raw)) reply {
	tb.Helper()
	o := raw{Request: facetest.Request{Body: body, Service: "a4b", Header: http.Header{}},
		Target: "AlexaForBusiness.CreateUser", ContentType: httpx.AWSJSONContentType}
	for _, fn := range opts {
		fn(&o)
	}
	if o.Target != "" {
		o.Header.Set("X-Amz-Target", o.Target)
	}
	if o.ContentType != "-" {
		o.Header.Set("Content-Type", o.ContentType)
	}
	rp := reply{h.srv.Send(tb, o.Request)}
	rp.MustJSON(tb, httpx.AWSJSONContentType)
	return rp
}

// MustOK fails unless rp is a CreateUser success, and returns the UserArn.
func (rp reply) MustOK(tb testing.TB) string {
	tb.Helper()
	arn, _ := rp.JSON["UserArn"].(string)
	if rp.Status != http.StatusOK || arn == "" {
		tb.Fatalf("got %d %s, want 200 with a UserArn", rp.Status, rp.Body)
	}
	return arn
}

func withTarget(t string) func(*raw)       { return func(o *raw) { o.Target = t } }
func withContentType(t string) func(*raw)  { return func(o *raw) { o.ContentType = t } }
func withKey(id, secret string) func(*raw) { return func(o *raw) { o.KeyID, o.Secret = id, secret } }
func unsigned(o *raw)                      { o.Unsigned = true }

func httpNopCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
