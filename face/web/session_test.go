package web_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/web"
	"github.com/rollcall/rollcall/httpx"
)

// TestSessionCannotBeMintedFromTokenHash: the value kept in admin-token.sha256 mints
// nothing. Before server-side sessions, a cookie of an expiry (ten years away) and its
// HMAC keyed by that hash opened the console.
func TestSessionCannotBeMintedFromTokenHash(t *testing.T) {
	h := MustHarness(t)
	exp := strconv.FormatInt(h.clock().Add(10*365*24*time.Hour).Unix(), 10)
	m := hmac.New(sha256.New, []byte(rollcall.HashToken(adminToken)))
	m.Write([]byte("console-session\x00" + exp + "\x00"))
	minted := &http.Cookie{Name: web.SessionCookie, Value: exp + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))}
	if r := h.get(t, "/_rollcall/console", minted); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a cookie minted from the token hash: %d", r.StatusCode)
	}
}

// TestSignOutEndsSession: the cookie of a signed-out session opens nothing, here or on
// another replica of the same store.
func TestSignOutEndsSession(t *testing.T) {
	h := MustHarness(t)
	c := h.MustLogin(t)
	other := h.replica(t, adminToken)
	if r := h.getFrom(t, other, "/_rollcall/console", c); r.StatusCode != http.StatusOK {
		t.Fatalf("the session on another replica: %d", r.StatusCode)
	}
	home := h.get(t, "/_rollcall/console", c)
	if r := h.post(t, "/_rollcall/console/logout", url.Values{"csrf": {csrf(t, home.Body)}}, c); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	for name, srv := range map[string]*httptest.Server{"this replica": h.srv, "another replica": other} {
		if r := h.getFrom(t, srv, "/_rollcall/console", c); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("the signed-out cookie on %s: %d", name, r.StatusCode)
		}
	}
}

// TestSessionIdleAndLifetime: a session ends after DefaultSessionIdle without a
// request, and after DefaultSessionLifetime however active.
func TestSessionIdleAndLifetime(t *testing.T) {
	h := MustHarness(t)
	idle := h.MustLogin(t)
	h.advance(rollcall.DefaultSessionIdle)
	if r := h.get(t, "/_rollcall/console", idle); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("after %v idle: %d", rollcall.DefaultSessionIdle, r.StatusCode)
	}

	active := h.MustLogin(t)
	start := h.clock()
	for step := rollcall.DefaultSessionIdle * 2 / 3; h.clock().Add(step).Before(start.Add(rollcall.DefaultSessionLifetime)); {
		h.advance(step)
		if r := h.get(t, "/_rollcall/console", active); r.StatusCode != http.StatusOK {
			t.Fatalf("an active session %v after sign-in: %d", h.clock().Sub(start), r.StatusCode)
		}
	}
	h.advance(start.Add(rollcall.DefaultSessionLifetime).Sub(h.clock()))
	if r := h.get(t, "/_rollcall/console", active); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("an active session at its lifetime: %d", r.StatusCode)
	}
}

// TestAdminTokenChangeEndsSessions: a replica started with a new admin token refuses
// the sessions opened under the old one.
func TestAdminTokenChangeEndsSessions(t *testing.T) {
	h := MustHarness(t)
	c := h.MustLogin(t)
	renewed := h.replica(t, "rc_admin_a-brand-new-token")
	if r := h.getFrom(t, renewed, "/_rollcall/console", c); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("a session of the old admin token: %d", r.StatusCode)
	}
}

// replica serves another web face over the harness's service (the same store), with
// the admin token token.
func (h *harness) replica(tb testing.TB, token string) *httptest.Server {
	srv := httptest.NewServer(httpx.Router(web.New(h.fs.Invite, h.fs.Operator, rollcall.HashToken(token), sharedKey)))
	tb.Cleanup(srv.Close)
	return srv
}

func (h *harness) getFrom(tb testing.TB, srv *httptest.Server, path string, cookies ...*http.Cookie) response {
	tb.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return do(tb, req)
}
