package workdocs_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/face/facetest"
	face "github.com/rollcall/rollcall/face/workdocs"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/internal/testlog"
	"github.com/rollcall/rollcall/operator"
	workdocssvc "github.com/rollcall/rollcall/workdocs"
)

// More AWS accounts beside the dev one (000000000000 with d-0000000000): one with two
// organizations (so OrganizationId cannot be left out), one with none.
const (
	otherAccountID = "111111111111"
	otherKeyID     = "AKIAOTHERACCOUNT0001"
	otherSecret    = "other-account-secret"
	otherOrgA      = "d-1111111111"
	otherOrgB      = "d-1111111112"

	emptyAccountID = "222222222222"
	emptyKeyID     = "AKIAEMPTYACCOUNT0001"
	emptySecret    = "empty-account-secret"
)

// testPasswords keeps argon2id cheap in tests.
var testPasswords = facetest.Passwords

// harness is a real rollcall (facetest: SQLite store in a temp dir, dev seed, real
// SigV4 authenticator) serving the WorkDocs face over HTTP.
type harness struct {
	*facetest.Service
	svc    *rollcall.Service
	store  rollcall.Store
	srv    *facetest.Server
	log    *testlog.Buffer // the request log, text format
	tokens *token.Tokens

	seeded map[string]bool // IDs of the users the seed created (the dev org's admin)
}

type harnessOptions struct {
	auth      httpx.Authenticator                 // default: auth.NewAWS(svc, "workdocs", nil)
	store     func(rollcall.Store) rollcall.Store // wraps the real store (to inject failures)
	passwords rollcall.PasswordHasher             // default: testPasswords
}

// MustHarness starts a server; it stops when tb ends.
func MustHarness(tb testing.TB, opts ...func(*harnessOptions)) *harness {
	tb.Helper()
	var o harnessOptions
	for _, fn := range opts {
		fn(&o)
	}
	svc := facetest.MustService(tb, facetest.Options{Store: o.store, Passwords: o.passwords, Seed: func(sd *operator.Seed) {
		other := facetest.OtherAccount()
		other.WorkDocsOrganizations = []operator.SeedOrganization{{ID: otherOrgA}, {ID: otherOrgB}}
		sd.Accounts = append(sd.Accounts, other, operator.SeedAccount{ID: emptyAccountID, Name: "empty",
			AccessKeys: []operator.SeedAccessKey{{ID: emptyKeyID, Secret: emptySecret}}})
	}})
	authn := o.auth
	if authn == nil {
		authn = auth.NewAWS(svc.Service, "workdocs", nil)
	}
	h := &harness{Service: svc, svc: svc.Service, store: svc.Store, tokens: token.New(svc.Service, operator.TokenAttrs), seeded: map[string]bool{}}
	for _, u := range h.allUsers(tb, rollcall.DevOrganizationID) {
		h.seeded[u.ID] = true
	}
	h.srv = facetest.MustServe(tb, face.New(svc.WorkDocs, authn, h.tokens))
	h.log = h.srv.Log
	return h
}

// MustClient returns the official SDK client for the server, signing with keyID/secret
// (test/test when empty). It does not retry, so each call is one request.
func (h *harness) MustClient(tb testing.TB, keyID, secret string) *workdocs.WorkDocs {
	tb.Helper()
	return workdocs.New(h.srv.AWSSession(tb, keyID, secret))
}

// anonClient returns the official SDK client for the server with no AWS credentials: it
// does not sign, as a WorkDocs user's client that authenticates with a token only.
func (h *harness) anonClient(tb testing.TB) *workdocs.WorkDocs {
	tb.Helper()
	return workdocs.New(h.srv.AWSSessionWith(tb, credentials.AnonymousCredentials))
}

// MustUsers returns the users that requests created in an organization, as stored (the
// seed's users are left out).
func (h *harness) MustUsers(tb testing.TB, orgID string) []*rollcall.User {
	tb.Helper()
	var created []*rollcall.User
	for _, u := range h.allUsers(tb, orgID) {
		if !h.seeded[u.ID] {
			created = append(created, u)
		}
	}
	return created
}

func (h *harness) allUsers(tb testing.TB, orgID string) []*rollcall.User {
	tb.Helper()
	return h.Service.MustUsers(tb, orgID)
}

// MustNoUsers fails unless no organization has a user.
func (h *harness) MustNoUsers(tb testing.TB) {
	tb.Helper()
	for _, org := range []string{rollcall.DevOrganizationID, otherOrgA, otherOrgB} {
		if users := h.MustUsers(tb, org); len(users) != 0 {
			tb.Fatalf("%d users were created in %s, want none (first: %q)", len(users), org, users[0].Key)
		}
	}
}

// MustUser returns the one stored user of org with the (lower-cased) username.
func (h *harness) MustUser(tb testing.TB, org, username string) *workdocssvc.User {
	tb.Helper()
	return facetest.Decoded(tb, h.MustUserByKey(tb, org, username), workdocssvc.UserOf)
}

// raw is a hand-made request (facetest.Request); by default POST /api/v1/users.
type raw struct{ facetest.Request }

// reply is a response as the wire carried it.
type reply struct{ facetest.Reply }

// MustDo sends body as a raw request; the response must be JSON.
func (h *harness) MustDo(tb testing.TB, body string, opts ...func(*raw)) reply {
	tb.Helper()
	rp := reply{h.send(tb, body, opts...)}
	rp.MustJSON(tb, face.ContentType)
	return rp
}

// MustSend sends body as a raw request and returns the response and its body.
func (h *harness) MustSend(tb testing.TB, body string, opts ...func(*raw)) (*http.Response, []byte) {
	tb.Helper()
	rp := h.send(tb, body, opts...)
	return &http.Response{StatusCode: rp.Status, Header: rp.Header}, rp.Body
}

func (h *harness) send(tb testing.TB, body string, opts ...func(*raw)) facetest.Reply {
	tb.Helper()
	o := raw{facetest.Request{Path: face.UsersPath, Body: body, Service: "workdocs", Header: http.Header{"Content-Type": {"application/json"}}}}
	for _, fn := range opts {
		fn(&o)
	}
	return h.srv.Send(tb, o.Request)
}

// MustError fails unless rp is the error shape with the status (and, when msg is not
// empty, exactly that message).
func (rp reply) MustError(tb testing.TB, status int, shape, msg string) {
	tb.Helper()
	rp.Reply.MustError(tb, status, shape, msg)
	if len(rp.JSON) != 1 {
		tb.Fatalf("error body %s: want exactly {\"Message\": ...}", rp.Body)
	}
}

// MustCreated fails unless rp is a CreateUser success, and returns the User.
func (rp reply) MustCreated(tb testing.TB) map[string]any {
	tb.Helper()
	u, _ := rp.JSON["User"].(map[string]any)
	if rp.Status != http.StatusCreated || u == nil || u["Id"] == nil {
		tb.Fatalf("got %d %s, want 201 with a User", rp.Status, rp.Body)
	}
	if rp.Type != "" {
		tb.Fatalf("a success carries X-Amzn-ErrorType %q", rp.Type)
	}
	return u
}

func withKey(id, secret string) func(*raw) { return func(o *raw) { o.KeyID, o.Secret = id, secret } }
func withHeader(k, v string) func(*raw) {
	return func(o *raw) {
		if o.Header == nil {
			o.Header = http.Header{}
		}
		o.Header[http.CanonicalHeaderKey(k)] = []string{v}
	}
}
func withRoute(method, path string) func(*raw) {
	return func(o *raw) { o.Method, o.Path = method, path }
}
func unsigned(o *raw) { o.Unsigned = true }

// validUser is a CreateUser body that passes every check; tests change one member.
func validUser(username string) map[string]any {
	return map[string]any{
		"OrganizationId": rollcall.DevOrganizationID,
		"Username":       username,
		"EmailAddress":   "ada@example.com",
		"GivenName":      "Ada",
		"Surname":        "Lovelace",
		"Password":       "correct-horse-1",
		"TimeZoneId":     "Europe/London",
		"StorageRule":    map[string]any{"StorageAllocatedInBytes": 1024, "StorageType": "QUOTA"},
	}
}

// failWith fails every write of the harness's store with err; reads work.
func failWith(err error) func(*harnessOptions) {
	return func(o *harnessOptions) {
		o.store = facetest.FailUpdates(err)
	}
}
