package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/password"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/face/web"
	"github.com/rollcall/rollcall/internal/testlog"
)

const adminToken = "rc_admin_web-test-token"

// sharedKey stands for the secret the replicas of one database share.
var sharedKey = []byte("0123456789abcdef0123456789abcdef")

type harness struct {
	fs   *facetest.Service
	svc  *rollcall.Service
	face *web.Face
	srv  *httptest.Server
	log  *testlog.Buffer
	now  time.Time
	mu   sync.Mutex
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(d)
}

// MustHarness serves the web face over a real SQLite store with the dev seed (facetest),
// behind the request log, with a clock the test controls.
func MustHarness(tb testing.TB) *harness {
	tb.Helper()
	return mustHarnessOver(tb, nil)
}

// mustHarnessOver is MustHarness with the store wrapped by wrap once seeded (to inject
// failures); nil wraps nothing.
func mustHarnessOver(tb testing.TB, wrap func(rollcall.Store) rollcall.Store) *harness {
	tb.Helper()
	h := &harness{now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	h.fs = facetest.MustService(tb, facetest.Options{Strength: password.Strength{}, Now: h.clock, Store: wrap})
	h.svc = h.fs.Service
	h.face = web.New(h.fs.Invite, h.fs.Operator, rollcall.HashToken(adminToken), sharedKey)
	srv := facetest.MustServe(tb, h.face)
	h.srv, h.log = srv.Server, srv.Log
	return h
}

// MustBusinessInvite creates an Amazon Business user and returns it with the token of its
// invitation link.
func (h *harness) MustBusinessInvite(tb testing.TB, email, given, family string) (*rollcall.User, string) {
	tb.Helper()
	ctx := context.Background()
	c := rollcall.Caller{TenantID: rollcall.DevBusinessID, DirectoryID: rollcall.DevBusinessID}
	u, err := h.fs.Business.CreateUser(ctx, c, business.CreateUserInput{Email: email, GivenName: given, FamilyName: family, Region: "US"})
	if err != nil {
		tb.Fatal(err)
	}
	return u.User, h.fs.MustInvitationToken(tb, u.ID)
}

// MustChimeInvite creates a Chime account and invites email to it with InviteUsers, and
// returns the user and the token of the link in the queued invitation.
func (h *harness) MustChimeInvite(tb testing.TB, email string) (*rollcall.User, string) {
	tb.Helper()
	ctx := context.Background()
	c := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	acct, err := h.fs.Chime.CreateAccount(ctx, c, chime.CreateAccountInput{Name: "Acme Chime"})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := h.fs.Chime.InviteUsers(ctx, c, acct.ID, []string{email}, ""); err != nil {
		tb.Fatal(err)
	}
	u := h.fs.MustUserByKey(tb, acct.ID, email)
	return u, h.fs.MustInvitationToken(tb, u.ID)
}

func (h *harness) user(tb testing.TB, u *rollcall.User) *rollcall.User {
	tb.Helper()
	var got *rollcall.User
	err := h.svc.Store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		got, err = tx.User(u.DirectoryID, u.ID)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

// client does not follow redirects, so tests see them.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type response struct {
	*http.Response
	Body string
}

func do(tb testing.TB, req *http.Request) response {
	tb.Helper()
	resp, b := facetest.MustRead(tb, client, req)
	return response{resp, string(b)}
}

func (h *harness) get(tb testing.TB, path string, cookies ...*http.Cookie) response {
	tb.Helper()
	req, err := http.NewRequest("GET", h.srv.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return do(tb, req)
}

func (h *harness) post(tb testing.TB, path string, form url.Values, cookies ...*http.Cookie) response {
	tb.Helper()
	req, err := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", h.srv.URL)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return do(tb, req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the form on a page.
func csrf(tb testing.TB, body string) string {
	tb.Helper()
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no csrf field in %s", body)
	}
	return m[1]
}
