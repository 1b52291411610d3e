package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/face/web"
	"github.com/rollcall/rollcall/internal/coretest"
	"github.com/rollcall/rollcall/invite"
)

const goodPassword = "correct horse battery staple"

func assertSecurityHeaders(tb testing.TB, r response) {
	tb.Helper()
	h := r.Header
	csp := h.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") ||
		!strings.Contains(csp, "frame-ancestors 'none'") {
		tb.Errorf("Content-Security-Policy = %q", csp)
	}
	for k, want := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
		"Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8"} {
		if got := h.Get(k); got != want {
			tb.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(r.Body, `<html lang="en">`) {
		tb.Error("page has no lang attribute")
	}
	if strings.Contains(r.Body, "<script") {
		tb.Error("page contains a script element")
	}
}

func TestInvitationPageShowsWhoIsInvitedToWhat(t *testing.T) {
	h := MustHarness(t)
	_, token := h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")
	r := h.get(t, "/invitations/"+token)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET: %d %s", r.StatusCode, r.Body)
	}
	assertSecurityHeaders(t, r)
	for _, want := range []string{
		"Ada Lovelace", "ada@example.com", "rollcall dev business", "Amazon Business account",
		`<label for="password">`, `id="password"`, `aria-describedby="password-rule"`, `id="password-rule"`,
		`<label for="confirm">`, `autocomplete="new-password"`, `action="/invitations/` + token + `"`,
		"12 to 128 characters", `name="csrf"`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "Accept invitation") {
		t.Error("a business invitation shows the Chime accept button")
	}
	if head := h.get(t, "/invitations/"+token); head.StatusCode != http.StatusOK {
		t.Errorf("a second GET: %d; looking must not use the invitation", head.StatusCode)
	}
}

func TestAcceptBusinessInvitation(t *testing.T) {
	h := MustHarness(t)
	u, token := h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")
	page := h.get(t, "/invitations/"+token)
	r := h.post(t, "/invitations/"+token, url.Values{"csrf": {csrf(t, page.Body)}, "password": {goodPassword}, "confirm": {goodPassword}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Amazon Business account is active") || !strings.Contains(r.Body, `role="status"`) {
		t.Fatalf("POST: %d %s", r.StatusCode, r.Body)
	}
	assertSecurityHeaders(t, r)
	got := facetest.Decoded(t, h.user(t, u), chime.UserOf)
	if got.Status != business.Active {
		t.Errorf("status after acceptance = %s, want ACTIVE", got.Status)
	}
	coretest.WantPassword(t, got.PasswordHash, goodPassword)

	again := h.get(t, "/invitations/"+token)
	if again.StatusCode != http.StatusGone || !strings.Contains(again.Body, "already been used") {
		t.Errorf("GET after use: %d %s", again.StatusCode, again.Body)
	}
	assertSecurityHeaders(t, again)
	replay := h.post(t, "/invitations/"+token, url.Values{"csrf": {csrf(t, page.Body)}, "password": {"another long password"}, "confirm": {"another long password"}})
	if replay.StatusCode != http.StatusGone {
		t.Errorf("POST after use: %d", replay.StatusCode)
	}
	if h.user(t, u).PasswordHash != got.PasswordHash {
		t.Error("a replayed form changed the password")
	}
}

func TestAcceptChimeInvitation(t *testing.T) {
	h := MustHarness(t)
	u, token := h.MustChimeInvite(t, "grace@example.com")
	page := h.get(t, "/invitations/"+token)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Accept invitation") || !strings.Contains(page.Body, "Amazon Chime account") ||
		strings.Contains(page.Body, `type="password"`) {
		t.Fatalf("GET: %d %s", page.StatusCode, page.Body)
	}
	r := h.post(t, "/invitations/"+token, url.Values{"csrf": {csrf(t, page.Body)}, "accept": {"1"}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "accepted the invitation") {
		t.Fatalf("POST: %d %s", r.StatusCode, r.Body)
	}
	got := facetest.Decoded(t, h.user(t, u), chime.UserOf)
	if got.Attrs.InvitationStatus != "Accepted" || got.Attrs.RegistrationStatus != "Registered" || got.Attrs.RegisteredOn == nil {
		t.Errorf("chime user after acceptance: %+v", got.Attrs)
	}
	if got.PasswordHash != u.PasswordHash {
		t.Error("accepting a Chime invitation set a password")
	}
}

// TestSuspendedChimeUserCannotAccept: the page shown before a suspension cannot be used
// after it; the user stays suspended.
func TestSuspendedChimeUserCannotAccept(t *testing.T) {
	h := MustHarness(t)
	u, token := h.MustChimeInvite(t, "grace@example.com")
	page := h.get(t, "/invitations/"+token)
	c := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	if _, err := chime.New(h.svc).SuspendUsers(context.Background(), c, u.DirectoryID, []string{u.ID}, true); err != nil {
		t.Fatal(err)
	}
	r := h.post(t, "/invitations/"+token, url.Values{"csrf": {csrf(t, page.Body)}, "accept": {"1"}})
	if r.StatusCode != http.StatusGone || !strings.Contains(r.Body, "Invitation withdrawn") || !strings.Contains(r.Body, "suspended") {
		t.Fatalf("POST after suspension: %d %s", r.StatusCode, r.Body)
	}
	if got := facetest.Decoded(t, h.user(t, u), chime.UserOf); got.Attrs.RegistrationStatus != chime.Suspended || got.Attrs.InvitationStatus == "Accepted" {
		t.Errorf("after a refused acceptance: %+v", got.Attrs)
	}
}

func TestInvitationCSRF(t *testing.T) {
	h := MustHarness(t)
	u, token := h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")
	_, other := h.MustBusinessInvite(t, "grace@example.com", "Grace", "Hopper")
	otherCSRF := csrf(t, h.get(t, "/invitations/"+other).Body)
	good := csrf(t, h.get(t, "/invitations/"+token).Body)
	for name, form := range map[string]url.Values{
		"no token":             {"password": {goodPassword}, "confirm": {goodPassword}},
		"wrong token":          {"csrf": {"AAAA"}, "password": {goodPassword}, "confirm": {goodPassword}},
		"another page's token": {"csrf": {otherCSRF}, "password": {goodPassword}, "confirm": {goodPassword}},
	} {
		r := h.post(t, "/invitations/"+token, form)
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "Nothing was changed") {
			t.Errorf("%s: %d %s", name, r.StatusCode, r.Body)
		}
	}
	// The right token, posted from another site.
	req, _ := http.NewRequest("POST", h.srv.URL+"/invitations/"+token,
		strings.NewReader(url.Values{"csrf": {good}, "password": {goodPassword}, "confirm": {goodPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if r := do(t, req); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin POST: %d", r.StatusCode)
	}
	req, _ = http.NewRequest("POST", h.srv.URL+"/invitations/"+token,
		strings.NewReader(url.Values{"csrf": {good}, "password": {goodPassword}, "confirm": {goodPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-site")
	if r := do(t, req); r.StatusCode != http.StatusForbidden {
		t.Errorf("same-site (another subdomain) POST: %d", r.StatusCode)
	}
	if got := h.user(t, u); got.Status != business.Invited || got.PasswordHash != u.PasswordHash {
		t.Errorf("a rejected form changed the user: %s", got.Status)
	}
	if _, err := h.fs.Invite.Invitation(context.Background(), token); err != nil {
		t.Errorf("a rejected form used up the invitation: %v", err)
	}
	// What Chromium sends under Referrer-Policy no-referrer: Origin null, Sec-Fetch-Site
	// same-origin. That is this page's own form.
	req, _ = http.NewRequest("POST", h.srv.URL+"/invitations/"+token,
		strings.NewReader(url.Values{"csrf": {good}, "password": {goodPassword}, "confirm": {goodPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "null")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if r := do(t, req); r.StatusCode != http.StatusOK {
		t.Errorf("the page's own form, as Chromium posts it: %d %s", r.StatusCode, r.Body)
	}
}

func TestPasswordRuleViolationChangesNothing(t *testing.T) {
	h := MustHarness(t)
	u, token := h.MustBusinessInvite(t, "adalovelace@example.com", "Ada", "Lovelace")
	c := csrf(t, h.get(t, "/invitations/"+token).Body)
	for _, tc := range []struct{ name, password, confirm, field, message string }{
		{"too short", "Kq7Zp", "Kq7Zp", "password", "too short: use at least 12 characters"},
		{"too long", strings.Repeat("x", 129), strings.Repeat("x", 129), "password", "too long"},
		{"the email's name part", "my-adalovelace-pw", "my-adalovelace-pw", "password", "must not contain your email address"},
		{"the family name", "Lovelace & Babbage 1843", "Lovelace & Babbage 1843", "password", "your name or the name of rollcall dev business"},
		{"the business's name", "Rollcall Dev Business!", "Rollcall Dev Business!", "password", "must not contain"},
		{"twelve spaces", "            ", "            ", "password", "too easy to guess: it repeats"},
		{"one letter twelve times", "aaaaaaaaaaaa", "aaaaaaaaaaaa", "password", "too easy to guess: it repeats"},
		{"a common password", "password1234", "password1234", "password", "too easy to guess: it is built on a commonly used password"},
		{"a keyboard pattern", "qazwsxedcrfvtgb", "qazwsxedcrfvtgb", "password", "too easy to guess"},
		{"confirmation differs", goodPassword, goodPassword + "!", "confirm", "not the same"},
	} {
		r := h.post(t, "/invitations/"+token, url.Values{"csrf": {c}, "password": {tc.password}, "confirm": {tc.confirm}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tc.name, r.StatusCode)
			continue
		}
		assertSecurityHeaders(t, r)
		errID := tc.field + "-error"
		for _, want := range []string{tc.message, `id="` + errID + `"`, `role="alert"`, `aria-invalid="true"`, `href="#` + tc.field + `"`, "<title>Error: "} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("%s: page lacks %q", tc.name, want)
			}
		}
		// The error is tied to its input.
		input := regexpInput(r.Body, tc.field)
		if !strings.Contains(input, errID) || !strings.Contains(input, `aria-invalid="true"`) {
			t.Errorf("%s: input %s is not described by %s", tc.name, input, errID)
		}
		if strings.Contains(r.Body, tc.password) && tc.name != "confirmation differs" {
			t.Errorf("%s: the page echoes the password", tc.name)
		}
	}
	if got := h.user(t, u); got.Status != business.Invited || got.PasswordHash != u.PasswordHash {
		t.Errorf("a refused password changed the user: %s", got.Status)
	}
	if _, err := h.fs.Invite.Invitation(context.Background(), token); err != nil {
		t.Errorf("a refused password used up the invitation: %v", err)
	}
}

// regexpInput returns the <input ...> element with the given id.
func regexpInput(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<input")
	end := strings.Index(body[i:], ">")
	if start < 0 || end < 0 {
		return ""
	}
	return body[start : i+end+1]
}

func TestUnknownUsedExpiredTokens(t *testing.T) {
	h := MustHarness(t)
	_, token := h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")
	for _, tc := range []struct {
		path    string
		status  int
		heading string
	}{
		{"/invitations/not-a-real-token", http.StatusNotFound, "Invitation not found"},
		{"/invitations/", http.StatusNotFound, "Invitation not found"},
		{"/invitations/" + token + "/extra", http.StatusNotFound, "Invitation not found"},
		{"/invitations/" + strings.Repeat("a", 300), http.StatusNotFound, "Invitation not found"},
	} {
		r := h.get(t, tc.path)
		if r.StatusCode != tc.status || !strings.Contains(r.Body, tc.heading) {
			t.Errorf("GET %s: %d %s", tc.path, r.StatusCode, r.Body)
		}
		assertSecurityHeaders(t, r)
		for _, leak := range []string{"goroutine", ".go:", "panic", "rollcall."} {
			if strings.Contains(r.Body, leak) {
				t.Errorf("GET %s: page contains %q", tc.path, leak)
			}
		}
	}
	h.advance(invite.DefaultTTL)
	r := h.get(t, "/invitations/"+token)
	if r.StatusCode != http.StatusGone || !strings.Contains(r.Body, "Invitation expired") || !strings.Contains(r.Body, "Ask your administrator") {
		t.Errorf("expired: %d %s", r.StatusCode, r.Body)
	}
	post := h.post(t, "/invitations/"+token, url.Values{"csrf": {"x"}, "password": {goodPassword}, "confirm": {goodPassword}})
	if post.StatusCode != http.StatusGone {
		t.Errorf("POST expired: %d", post.StatusCode)
	}
	req, _ := http.NewRequest("PUT", h.srv.URL+"/invitations/"+token, nil)
	if r := do(t, req); r.StatusCode != http.StatusMethodNotAllowed || r.Header.Get("Allow") == "" {
		t.Errorf("PUT: %d allow=%q", r.StatusCode, r.Header.Get("Allow"))
	}
}

func TestNamesAreEscaped(t *testing.T) {
	h := MustHarness(t)
	_, token := h.MustBusinessInvite(t, "mallory@example.com", `<script>alert("x")</script>`, `<img src=x onerror=alert(1)>`)
	r := h.get(t, "/invitations/"+token)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET: %d", r.StatusCode)
	}
	if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, "<img src=x") {
		t.Fatalf("the name is not escaped:\n%s", r.Body)
	}
	if !strings.Contains(r.Body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Errorf("the escaped name is missing:\n%s", r.Body)
	}
}

func TestTokenNeverLogged(t *testing.T) {
	h := MustHarness(t)
	_, token := h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")
	page := h.get(t, "/invitations/"+token)
	h.post(t, "/invitations/"+token, url.Values{"csrf": {csrf(t, page.Body)}, "password": {"short"}, "confirm": {"short"}})
	h.post(t, "/invitations/"+token, url.Values{"csrf": {csrf(t, page.Body)}, "password": {goodPassword}, "confirm": {goodPassword}})
	h.get(t, "/invitations/"+token)
	h.get(t, "/invitations/"+token+"x")
	log := h.log.String()
	if !strings.Contains(log, "op=AcceptInvitation") || !strings.Contains(log, "op=GetInvitation") {
		t.Fatalf("the requests were not logged:\n%s", log)
	}
	for _, secret := range []string{token, rollcall.HashToken(token), goodPassword, csrf(t, page.Body), "/invitations/"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains %q:\n%s", secret, log)
		}
	}
}

func TestStyleSheet(t *testing.T) {
	h := MustHarness(t)
	r := h.get(t, "/_rollcall/console/static/style.css")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(r.Body, ":focus-visible") {
		t.Fatalf("style.css: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
}

// A form served by one replica is accepted by another of the same database; a process
// with another key refuses it.
func TestFormPostedToAnotherReplica(t *testing.T) {
	h := MustHarness(t)
	u, token := h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")
	form := url.Values{"csrf": {csrf(t, h.get(t, "/invitations/"+token).Body)}, "password": {goodPassword}, "confirm": {goodPassword}}
	post := func(f *web.Face) int {
		srv := httptest.NewServer(f)
		defer srv.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/invitations/"+token, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return do(t, req).StatusCode
	}
	if status := post(web.New(h.fs.Invite, h.fs.Operator, rollcall.HashToken(adminToken), []byte("another database's key, 32 byte"))); status != http.StatusForbidden {
		t.Errorf("a replica with another key: %d, want 403", status)
	}
	if status := post(web.New(h.fs.Invite, h.fs.Operator, rollcall.HashToken(adminToken), nil)); status != http.StatusForbidden {
		t.Errorf("a process with a random key: %d, want 403", status)
	}
	if got := h.user(t, u); got.Status != business.Invited {
		t.Fatalf("a refused form changed the user: %s", got.Status)
	}
	if status := post(web.New(h.fs.Invite, h.fs.Operator, rollcall.HashToken(adminToken), sharedKey)); status != http.StatusOK {
		t.Errorf("another replica of the same database: %d, want 200", status)
	}
	if got := h.user(t, u); got.Status != business.Active {
		t.Errorf("after acceptance on the other replica: %s", got.Status)
	}
}
