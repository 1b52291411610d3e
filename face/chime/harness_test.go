package chime_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	chimev1 "github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/auth/password"
	"github.com/rollcall/rollcall/face/chime"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/store/sqlite"
)

// A second AWS account, for tenant isolation.
const (
	otherAccount = "111111111111"
	otherKey     = "AKIAOTHER"
	otherSecret  = "other-secret"
)

// Chime accounts of the dev tenant declared in the seed.
const (
	lwaAccount       = "5f0e0000-0000-4000-8000-00000000e1aa" // EnterpriseLWA
	suspendedAccount = "5f0e0000-0000-4000-8000-0000000005d0" // Team, Suspended
)

type harness struct {
	svc *rollcall.Service
	srv *httptest.Server
}

// MustHarness serves the Chime face over a real SQLite store with the dev seed and a
// second account, behind the real SigV4 authenticator.
func MustHarness(tb testing.TB) *harness {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "rollcall.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	svc := &rollcall.Service{Store: st, Passwords: password.Argon2id{Time: 1, Memory: 1024, Threads: 1}}
	seed := rollcall.DevSeed()
	seed.Accounts[0].ChimeAccounts = []rollcall.SeedChimeAccount{
		{ID: lwaAccount, Name: "Acme LWA", Type: rollcall.ChimeEnterpriseLWA},
		{ID: suspendedAccount, Name: "Acme old", Status: rollcall.ChimeSuspended},
	}
	seed.Accounts = append(seed.Accounts, rollcall.SeedAccount{ID: otherAccount, AccessKeys: []rollcall.SeedAccessKey{{ID: otherKey, Secret: otherSecret}}})
	if err := svc.Apply(context.Background(), seed); err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(httpx.Middleware(log, httpx.Router(chime.New(svc, auth.NewAWS(svc, "chime", nil)))))
	tb.Cleanup(srv.Close)
	return &harness{svc: svc, srv: srv}
}

// client returns an official aws-sdk-go v1 Chime client for key/secret.
func (h *harness) client(tb testing.TB, key, secret string) *chimev1.Chime {
	tb.Helper()
	sess, err := session.NewSession(&aws.Config{Endpoint: aws.String(h.srv.URL), Region: aws.String("us-east-1"),
		Credentials: credentials.NewStaticCredentials(key, secret, ""), MaxRetries: aws.Int(0)})
	if err != nil {
		tb.Fatal(err)
	}
	return chimev1.New(sess)
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
	req, err := http.NewRequest(method, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range s.header {
		req.Header[k] = v
	}
	region, at := cmp.Or(s.region, "us-east-1"), s.at
	if at.IsZero() {
		at = time.Now()
	}
	if _, err := v4.NewSigner(credentials.NewStaticCredentials("test", "test", "")).Sign(req, bytes.NewReader(body), "chime", region, at); err != nil {
		tb.Fatal(err)
	}
	for k, v := range s.after {
		req.Header[k] = v
	}
	return h.send(tb, req)
}

// send sends a request as it is and reads the response.
func (h *harness) send(tb testing.TB, req *http.Request) response {
	tb.Helper()
	method, path := req.Method, req.URL.Path
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	json.Unmarshal(raw, &r.body)
	if resp.Header.Get("x-amzn-RequestId") == "" {
		tb.Fatalf("%s %s: no x-amzn-RequestId", method, path)
	}
	return r
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
	n := 0
	err := h.svc.Store.View(context.Background(), func(tx rollcall.Tx) error {
		us, err := tx.Users(rollcall.UserFilter{DirectoryID: accountID})
		n = len(us)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
