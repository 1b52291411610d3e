package workdocs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/auth/password"
	face "github.com/rollcall/rollcall/face/workdocs"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/internal/testlog"
	"github.com/rollcall/rollcall/store/sqlite"
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
var testPasswords = password.Argon2id{Time: 1, Memory: 1024, Threads: 1}

// harness is a real rollcall (SQLite store in a temp dir, dev seed, real SigV4
// authenticator) serving the WorkDocs face over HTTP.
type harness struct {
	svc   *rollcall.Service
	store rollcall.Store
	srv   *httptest.Server
	log   *testlog.Buffer // the request log, text format

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
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "rollcall.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	svc := &rollcall.Service{Store: st, Passwords: testPasswords}
	if o.passwords != nil {
		svc.Passwords = o.passwords
	}
	seed := rollcall.DevSeed()
	seed.Accounts = append(seed.Accounts,
		rollcall.SeedAccount{ID: otherAccountID, Name: "other",
			AccessKeys:            []rollcall.SeedAccessKey{{ID: otherKeyID, Secret: otherSecret}},
			WorkDocsOrganizations: []rollcall.SeedOrganization{{ID: otherOrgA}, {ID: otherOrgB}}},
		rollcall.SeedAccount{ID: emptyAccountID, Name: "empty",
			AccessKeys: []rollcall.SeedAccessKey{{ID: emptyKeyID, Secret: emptySecret}}},
	)
	if err := svc.Apply(context.Background(), seed); err != nil {
		tb.Fatalf("apply seed: %v", err)
	}
	if o.store != nil {
		svc.Store = o.store(st) // after the seed, so injected failures hit requests only
	}
	authn := o.auth
	if authn == nil {
		authn = auth.NewAWS(svc, "workdocs", nil)
	}
	h := &harness{svc: svc, store: st, log: &testlog.Buffer{}, seeded: map[string]bool{}}
	for _, u := range h.allUsers(tb, rollcall.DevOrganizationID) {
		h.seeded[u.ID] = true
	}
	log := slog.New(slog.NewTextHandler(h.log, nil))
	h.srv = httptest.NewServer(httpx.Middleware(log, httpx.Router(face.New(svc, authn))))
	tb.Cleanup(h.srv.Close)
	return h
}

// MustClient returns the official SDK client for the server, signing with keyID/secret
// (test/test when empty). It does not retry, so each call is one request.
func (h *harness) MustClient(tb testing.TB, keyID, secret string) *workdocs.WorkDocs {
	tb.Helper()
	if keyID == "" {
		keyID, secret = rollcall.DevAccessKeyID, rollcall.DevSecretKey
	}
	return h.mustClient(tb, credentials.NewStaticCredentials(keyID, secret, ""))
}

func (h *harness) mustClient(tb testing.TB, creds *credentials.Credentials) *workdocs.WorkDocs {
	tb.Helper()
	sess, err := session.NewSession(&aws.Config{
		Endpoint:    aws.String(h.srv.URL),
		Region:      aws.String("us-east-1"),
		Credentials: creds,
		HTTPClient:  h.srv.Client(),
		MaxRetries:  aws.Int(0),
	})
	if err != nil {
		tb.Fatalf("session: %v", err)
	}
	return workdocs.New(sess)
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
	var users []*rollcall.User
	err := h.store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		users, err = tx.Users(rollcall.UserFilter{DirectoryID: orgID})
		return err
	})
	if err != nil {
		tb.Fatalf("list users: %v", err)
	}
	return users
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
func (h *harness) MustUser(tb testing.TB, org, username string) *rollcall.User {
	tb.Helper()
	var u *rollcall.User
	err := h.store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		u, err = tx.UserByKey(org, strings.ToLower(username))
		return err
	})
	if err != nil {
		tb.Fatalf("user %s in %s: %v", username, org, err)
	}
	return u
}

// raw is a hand-made request, signed with the SDK's own SigV4 signer unless Unsigned.
type raw struct {
	Method   string // default POST
	Path     string // default /api/v1/users (raw, as it goes on the wire)
	KeyID    string // default test
	Secret   string // default test
	Service  string // default workdocs
	Region   string // default us-east-1
	SignedAt time.Time
	Unsigned bool
	Header   http.Header           // extra headers, set before signing
	After    func(r *http.Request) // runs after signing (to tamper)
}

// reply is a response as the wire carried it.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
	Type   string // X-Amzn-ErrorType of an error
	Msg    string // the Message of an error body
	JSON   map[string]any
}

// MustDo sends body as a raw request; the response must be JSON.
func (h *harness) MustDo(tb testing.TB, body string, opts ...func(*raw)) reply {
	tb.Helper()
	resp, b := h.MustSend(tb, body, opts...)
	rp := reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if id := resp.Header.Get("x-amzn-RequestId"); id == "" {
		tb.Errorf("response %d has no x-amzn-RequestId", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != face.ContentType {
		tb.Errorf("Content-Type = %q, want %q", ct, face.ContentType)
	}
	if err := json.Unmarshal(b, &rp.JSON); err != nil {
		tb.Fatalf("response body %q is not a JSON object: %v", b, err)
	}
	rp.Type = resp.Header.Get("X-Amzn-ErrorType")
	rp.Msg, _ = rp.JSON["Message"].(string)
	return rp
}

// MustSend sends body as a raw request and returns the response and its body.
func (h *harness) MustSend(tb testing.TB, body string, opts ...func(*raw)) (*http.Response, []byte) {
	tb.Helper()
	o := raw{Method: http.MethodPost, Path: face.UsersPath, KeyID: rollcall.DevAccessKeyID, Secret: rollcall.DevSecretKey,
		Service: "workdocs", Region: "us-east-1", SignedAt: time.Now()}
	for _, fn := range opts {
		fn(&o)
	}
	req, err := http.NewRequest(o.Method, h.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	path, query, _ := strings.Cut(o.Path, "?")
	req.URL.Opaque = "//" + req.URL.Host + path // send the path exactly as given
	req.URL.RawQuery = query
	req.Header.Set("Content-Type", "application/json")
	for k, v := range o.Header {
		req.Header[k] = v
	}
	if !o.Unsigned {
		signer := v4.NewSigner(credentials.NewStaticCredentials(o.KeyID, o.Secret, ""))
		if _, err := signer.Sign(req, bytes.NewReader([]byte(body)), o.Service, o.Region, o.SignedAt); err != nil {
			tb.Fatalf("sign: %v", err)
		}
		req.ContentLength = int64(len(body))
	}
	if o.After != nil {
		o.After(req)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", o.Method, o.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read response: %v", err)
	}
	return resp, b
}

// MustError fails unless rp is the error shape with the status (and, when msg is not
// empty, exactly that message).
func (rp reply) MustError(tb testing.TB, status int, shape, msg string) {
	tb.Helper()
	if rp.Status != status || rp.Type != shape {
		tb.Fatalf("got %d %s (%s), want %d %s", rp.Status, rp.Type, rp.Body, status, shape)
	}
	if msg != "" && rp.Msg != msg {
		tb.Fatalf("message:\n got  %q\n want %q", rp.Msg, msg)
	}
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

// jsonBody marshals v (a map, so tests can send exactly the members they mean).
func jsonBody(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

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

// failingStore fails every Update with err; View goes to the real store.
type failingStore struct {
	rollcall.Store
	err error
}

func (s failingStore) Update(ctx context.Context, fn func(rollcall.Tx) error) error { return s.err }

func failWith(err error) func(*harnessOptions) {
	return func(o *harnessOptions) {
		o.store = func(st rollcall.Store) rollcall.Store { return failingStore{Store: st, err: err} }
	}
}
