package alexaforbusiness_test

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
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/auth/password"
	face "github.com/rollcall/rollcall/face/alexaforbusiness"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/store/sqlite"
)

// A second AWS account, to show that UserIds are unique per account only.
const (
	otherAccountID = "111111111111"
	otherKeyID     = "AKIAOTHERACCOUNT0001"
	otherSecret    = "other-account-secret"
)

// harness is a real rollcall (SQLite store in a temp dir, dev seed, real SigV4
// authenticator) serving the Alexa for Business face over HTTP.
type harness struct {
	svc   *rollcall.Service
	store rollcall.Store
	srv   *httptest.Server
	face  *face.Face
	seen  map[string]bool // invitation tokens MustLatestToken returned
}

type harnessOptions struct {
	auth  httpx.Authenticator                 // default: auth.NewAWS(svc, "a4b", nil, MustSign)
	store func(rollcall.Store) rollcall.Store // wraps the real store (to inject failures)
	log   io.Writer                           // the request log; default: discarded
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
	svc := &rollcall.Service{Store: st, Passwords: password.Argon2id{Time: 1, Memory: 1024, Threads: 1}}
	seed := rollcall.DevSeed()
	seed.Accounts = append(seed.Accounts, rollcall.SeedAccount{ID: otherAccountID, Name: "other",
		AccessKeys: []rollcall.SeedAccessKey{{ID: otherKeyID, Secret: otherSecret}}})
	if err := svc.Apply(context.Background(), seed); err != nil {
		tb.Fatalf("apply seed: %v", err)
	}
	if o.store != nil {
		svc.Store = o.store(st) // after the seed, so injected failures hit requests only
	}
	authn := o.auth
	if authn == nil {
		authn = auth.NewAWS(svc, "a4b", nil, auth.MustSign(face.MustSign...))
	}
	logw := o.log
	if logw == nil {
		logw = io.Discard
	}
	log := slog.New(slog.NewTextHandler(logw, nil))
	fc := face.New(svc, authn)
	srv := httptest.NewServer(httpx.Middleware(log, httpx.Router(fc)))
	tb.Cleanup(srv.Close)
	return &harness{svc: svc, store: st, srv: srv, face: fc, seen: map[string]bool{}}
}

// MustClient returns the official SDK client for the server, signing with keyID/secret
// (test/test when empty). It does not retry, so each call is one request.
func (h *harness) MustClient(tb testing.TB, keyID, secret string) *a4b.AlexaForBusiness {
	tb.Helper()
	if keyID == "" {
		keyID, secret = rollcall.DevAccessKeyID, rollcall.DevSecretKey
	}
	sess, err := session.NewSession(&aws.Config{
		Endpoint:    aws.String(h.srv.URL),
		Region:      aws.String("us-east-1"),
		Credentials: credentials.NewStaticCredentials(keyID, secret, ""),
		HTTPClient:  h.srv.Client(),
		MaxRetries:  aws.Int(0),
	})
	if err != nil {
		tb.Fatalf("session: %v", err)
	}
	return a4b.New(sess)
}

// MustUsers returns the Alexa for Business users of an account, as stored.
func (h *harness) MustUsers(tb testing.TB, accountID string) []*rollcall.User {
	tb.Helper()
	var users []*rollcall.User
	err := h.store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		users, err = tx.Users(rollcall.UserFilter{DirectoryID: rollcall.AlexaDirectoryID(accountID)})
		return err
	})
	if err != nil {
		tb.Fatalf("list users: %v", err)
	}
	return users
}

// MustNoUsers fails unless the dev account has no Alexa for Business users.
func (h *harness) MustNoUsers(tb testing.TB) {
	tb.Helper()
	if users := h.MustUsers(tb, rollcall.DevAccountID); len(users) != 0 {
		tb.Fatalf("%d users were created, want none (first: %q)", len(users), users[0].Key)
	}
}

// raw is a hand-made request, signed with the SDK's own SigV4 signer unless Unsigned.
type raw struct {
	Target      string // default AlexaForBusiness.CreateUser
	ContentType string // default application/x-amz-json-1.1; "-" for none
	KeyID       string // default test
	Secret      string // default test
	Service     string // default a4b
	Region      string // default us-east-1
	SignedAt    time.Time
	Unsigned    bool
	Session     string                // X-Amz-Security-Token, signed
	After       func(r *http.Request) // runs after signing (to tamper)
}

// reply is a response as the wire carried it.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
	Type   string // the __type of an error body
	Msg    string // the message of an error body
	JSON   map[string]any
}

// MustDo sends body as a raw request.
func (h *harness) MustDo(tb testing.TB, body string, opts ...func(*raw)) reply {
	tb.Helper()
	o := raw{Target: "AlexaForBusiness.CreateUser", ContentType: httpx.AWSJSONContentType,
		KeyID: rollcall.DevAccessKeyID, Secret: rollcall.DevSecretKey, Service: "a4b", Region: "us-east-1", SignedAt: time.Now()}
	for _, fn := range opts {
		fn(&o)
	}
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if o.Target != "" {
		req.Header.Set("X-Amz-Target", o.Target)
	}
	if o.ContentType != "-" {
		req.Header.Set("Content-Type", o.ContentType)
	}
	if !o.Unsigned {
		signer := v4.NewSigner(credentials.NewStaticCredentials(o.KeyID, o.Secret, o.Session))
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
		tb.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read response: %v", err)
	}
	rp := reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if id := resp.Header.Get("x-amzn-RequestId"); id == "" {
		tb.Errorf("response %d has no x-amzn-RequestId", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != httpx.AWSJSONContentType {
		tb.Errorf("Content-Type = %q, want %q", ct, httpx.AWSJSONContentType)
	}
	if err := json.Unmarshal(b, &rp.JSON); err != nil {
		tb.Fatalf("response body %q is not a JSON object: %v", b, err)
	}
	rp.Type, _ = rp.JSON["__type"].(string)
	rp.Msg, _ = rp.JSON["message"].(string)
	return rp
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

// jsonBody marshals v (a map, so tests can send exactly the members they mean).
func jsonBody(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func httpNopCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
