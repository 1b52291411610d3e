package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/web"
	"github.com/rollcall/rollcall/fault"
)

// MustLogin signs in to the console and returns the session cookie.
func (h *harness) MustLogin(tb testing.TB) *http.Cookie {
	tb.Helper()
	r := h.post(tb, "/_rollcall/console/login", url.Values{"token": {adminToken}, "next": {"/_rollcall/console/messages"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/_rollcall/console/messages" {
		tb.Fatalf("login: %d %s %s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	for _, c := range r.Cookies() {
		if c.Name == web.SessionCookie {
			return c
		}
	}
	tb.Fatal("login set no session cookie")
	return nil
}

func TestConsoleRequiresAdminToken(t *testing.T) {
	h := MustHarness(t)
	for _, path := range []string{"/_rollcall/console", "/_rollcall/console/users", "/_rollcall/console/messages", "/_rollcall/console/tenants/dev-business"} {
		r := h.get(t, path)
		if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.Body, `<label for="token">Admin token</label>`) ||
			!strings.Contains(r.Body, `name="next" value="`+path+`"`) {
			t.Errorf("GET %s without a session: %d %s", path, r.StatusCode, r.Body)
		}
		assertSecurityHeaders(t, r)
	}
	wrong := h.post(t, "/_rollcall/console/login", url.Values{"token": {"not-the-token"}})
	if wrong.StatusCode != http.StatusUnauthorized || !strings.Contains(wrong.Body, "That is not the admin token") ||
		!strings.Contains(wrong.Body, `aria-describedby="token-error"`) || len(wrong.Cookies()) != 0 {
		t.Errorf("wrong token: %d %s", wrong.StatusCode, wrong.Body)
	}
	req, _ := http.NewRequest("POST", h.srv.URL+"/_rollcall/console/login", strings.NewReader(url.Values{"token": {adminToken}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if r := do(t, req); r.StatusCode != http.StatusForbidden || len(r.Cookies()) != 0 {
		t.Errorf("cross-site login: %d", r.StatusCode)
	}

	c := h.MustLogin(t)
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/_rollcall/console" || c.MaxAge != int(rollcall.DefaultSessionLifetime/time.Second) ||
		strings.Contains(c.Value, adminToken) ||
		strings.Contains(c.Value, rollcall.HashToken(adminToken)) {
		t.Errorf("session cookie = %+v", c)
	}
	if r := h.get(t, "/_rollcall/console", c); r.StatusCode != http.StatusOK {
		t.Errorf("with the session: %d", r.StatusCode)
	}
	req, _ = http.NewRequest("GET", h.srv.URL+"/_rollcall/console", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	if r := do(t, req); r.StatusCode != http.StatusOK {
		t.Errorf("with the bearer token: %d", r.StatusCode)
	}

	// A forged or expired cookie is refused.
	forged := *c
	forged.Value = "not-a-session"
	if r := h.get(t, "/_rollcall/console", &forged); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged session: %d", r.StatusCode)
	}
	h.advance(rollcall.DefaultSessionLifetime)
	if r := h.get(t, "/_rollcall/console", c); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired session: %d", r.StatusCode)
	}
}

func TestConsoleLogout(t *testing.T) {
	h := MustHarness(t)
	c := h.MustLogin(t)
	home := h.get(t, "/_rollcall/console", c)
	if r := h.post(t, "/_rollcall/console/logout", url.Values{"csrf": {"forged"}}, c); r.StatusCode != http.StatusForbidden {
		t.Errorf("logout with a forged csrf: %d", r.StatusCode)
	}
	r := h.post(t, "/_rollcall/console/logout", url.Values{"csrf": {csrf(t, home.Body)}}, c)
	if r.StatusCode != http.StatusSeeOther || len(r.Cookies()) != 1 || r.Cookies()[0].MaxAge >= 0 {
		t.Errorf("logout: %d %v", r.StatusCode, r.Cookies())
	}
}

func TestConsoleSafeRedirect(t *testing.T) {
	h := MustHarness(t)
	for _, next := range []string{"https://evil.example/", "//evil.example/_rollcall/console", "/elsewhere", `/_rollcall/console/\evil`} {
		r := h.post(t, "/_rollcall/console/login", url.Values{"token": {adminToken}, "next": {next}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/_rollcall/console" {
			t.Errorf("next=%q: %d Location %q", next, r.StatusCode, r.Header.Get("Location"))
		}
	}
}

func TestConsolePages(t *testing.T) {
	h := MustHarness(t)
	ada, token := h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")
	h.advance(time.Minute)
	h.MustBusinessInvite(t, "mallory@example.com", `<script>alert(1)</script>`, "Evil")
	h.advance(time.Minute)
	grace, _ := h.MustChimeInvite(t, "grace@example.com")
	c := h.MustLogin(t)

	home := h.get(t, "/_rollcall/console", c)
	if home.StatusCode != http.StatusOK {
		t.Fatalf("home: %d", home.StatusCode)
	}
	assertSecurityHeaders(t, home)
	for _, want := range []string{rollcall.DevBusinessID, rollcall.DevAccountID, "rollcall dev business", "Acme Chime", "3 queued", `aria-current="page"`} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("home lacks %q", want)
		}
	}

	tenant := h.get(t, "/_rollcall/console/tenants/"+rollcall.DevBusinessID, c)
	if tenant.StatusCode != http.StatusOK {
		t.Fatalf("tenant: %d", tenant.StatusCode)
	}
	// Who was created when: newest first.
	if i, j := strings.Index(tenant.Body, "mallory@example.com"), strings.Index(tenant.Body, "ada@example.com"); i < 0 || j < 0 || i > j {
		t.Errorf("tenant timeline is not newest first (mallory at %d, ada at %d)", i, j)
	}
	if !strings.Contains(tenant.Body, when(ada.CreatedAt)) {
		t.Errorf("tenant timeline lacks ada's creation time %s", when(ada.CreatedAt))
	}
	if r := h.get(t, "/_rollcall/console/tenants/no-such-tenant", c); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown tenant: %d", r.StatusCode)
	}

	search := h.get(t, "/_rollcall/console/users?q=ADA", c)
	if !strings.Contains(search.Body, "ada@example.com") || strings.Contains(search.Body, "grace@example.com") || strings.Contains(search.Body, "mallory@example.com") {
		t.Errorf("search ADA: %s", search.Body)
	}
	// A search matches the beginnings of words (the whole email is one), not their middles.
	if b := h.get(t, "/_rollcall/console/users?q=ADA@exa", c).Body; !strings.Contains(b, "ada@example.com") || strings.Contains(b, "grace@example.com") {
		t.Errorf("search ADA@exa: %s", b)
	}
	if b := h.get(t, "/_rollcall/console/users?q=xample", c).Body; strings.Contains(b, "@example.com") {
		t.Errorf("search xample finds the middle of a word: %s", b)
	}
	byFace := h.get(t, "/_rollcall/console/users?face=chime", c)
	if !strings.Contains(byFace.Body, "grace@example.com") || strings.Contains(byFace.Body, "ada@example.com") || !strings.Contains(byFace.Body, "Unregistered") {
		t.Errorf("chime users: %s", byFace.Body)
	}
	byDir := h.get(t, "/_rollcall/console/users?directory="+grace.DirectoryID, c)
	if !strings.Contains(byDir.Body, "Users of Acme Chime") || !strings.Contains(byDir.Body, "grace@example.com") {
		t.Errorf("users of a directory: %s", byDir.Body)
	}
	if r := h.get(t, "/_rollcall/console/users?face=myspace", c); r.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown face: %d", r.StatusCode)
	}
	all := h.get(t, "/_rollcall/console/users", c)
	for _, page := range []response{all, tenant, home} {
		if strings.Contains(page.Body, "<script>") {
			t.Errorf("a console page does not escape a name:\n%s", page.Body)
		}
	}
	if !strings.Contains(all.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the escaped name is missing from the user list")
	}

	// State changes show: accept ada's invitation.
	if _, err := h.fs.Invite.Accept(t.Context(), token, goodPassword); err != nil {
		t.Fatal(err)
	}
	after := h.get(t, "/_rollcall/console/users?q=ada@example.com", c)
	if !strings.Contains(after.Body, `status-ok">ACTIVE`) {
		t.Errorf("accepted user is not shown ACTIVE: %s", after.Body)
	}

	outbox := h.get(t, "/_rollcall/console/messages", c)
	link := regexp.MustCompile(`href="/_rollcall/console/messages/([0-9a-f-]+)">You have been invited to rollcall dev business`).FindAllStringSubmatch(outbox.Body, -1)
	if outbox.StatusCode != http.StatusOK || len(link) != 2 || strings.Contains(outbox.Body, "<script>") {
		t.Fatalf("outbox: %d %s", outbox.StatusCode, outbox.Body)
	}
	if r := h.get(t, "/_rollcall/console/messages?status=sent", c); strings.Contains(r.Body, "You have been invited") {
		t.Error("status=sent lists queued messages")
	}
	msg := h.get(t, "/_rollcall/console/messages/"+link[0][1], c)
	if msg.StatusCode != http.StatusOK || !strings.Contains(msg.Body, `<iframe class="preview" sandbox src="/_rollcall/console/messages/`+link[0][1]+`/html"`) ||
		!strings.Contains(msg.Body, "http://rollcall.test/invitations/") || !strings.Contains(msg.Body, "&lt;p&gt;Hello") {
		t.Errorf("message: %d %s", msg.StatusCode, msg.Body)
	}
	html := h.get(t, "/_rollcall/console/messages/"+link[0][1]+"/html", c)
	if html.StatusCode != http.StatusOK || !strings.HasPrefix(html.Header.Get("Content-Security-Policy"), "sandbox;") ||
		html.Header.Get("X-Frame-Options") != "SAMEORIGIN" || !strings.Contains(html.Body, "<p>Hello") {
		t.Errorf("message html: %d %v", html.StatusCode, html.Header)
	}
	if r := h.get(t, "/_rollcall/console/messages/no-such-message", c); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown message: %d", r.StatusCode)
	}
	if r := h.get(t, "/_rollcall/console/nothing-here", c); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown page: %d", r.StatusCode)
	}
}

func when(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// TestConsoleFaults: the faults page lists each rule with what it matches and how often
// it fired, and which rules are spent.
func TestConsoleFaults(t *testing.T) {
	h := MustHarness(t)
	c := h.MustLogin(t)
	if r := h.get(t, "/_rollcall/console/faults", c); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "No rules: no faults are injected.") {
		t.Fatalf("faults page without an engine: %d %s", r.StatusCode, r.Body)
	}

	ids := 0
	e := &fault.Engine{Store: h.svc.Store, Catalog: map[string][]string{"chime": {"CreateUser"}}, Now: h.clock,
		NewID: func() string { ids++; return "f-" + strconv.Itoa(ids) }}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	h.face.Faults = e
	ctx := context.Background()
	once := &rollcall.Fault{Face: "chime", Operation: "CreateUser", Action: rollcall.FaultThrottle, Probability: 1, Limited: true, Remaining: 1}
	slow := &rollcall.Fault{Face: "chime", Operation: "*", Action: rollcall.FaultLatency, Latency: 250 * time.Millisecond, Probability: 0.5,
		HeaderName: "X-Chaos", HeaderValue: "slow"}
	for _, f := range []*rollcall.Fault{once, slow} {
		if err := e.Create(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest("POST", "/", nil)
	for range 3 {
		e.Inject(req, "chime", "CreateUser", rollcall.Caller{TenantID: rollcall.DevAccountID})
	}

	r := h.get(t, "/_rollcall/console/faults", c)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `aria-current="page">Faults</a>`) ||
		!strings.Contains(r.Body, "This replica has injected 1 fault since it started.") || !strings.Contains(r.Body, "2 rules") {
		t.Fatalf("faults page: %d %s", r.StatusCode, r.Body)
	}
	assertSecurityHeaders(t, r)
	rows := regexp.MustCompile(`(?s)<tr>\s*<td><code>(f-[^<]+)</code></td>(.*?)</tr>`).FindAllStringSubmatch(r.Body, -1)
	got := map[string]string{}
	for _, m := range rows {
		got[m[1]] = regexp.MustCompile(`\s+`).ReplaceAllString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[2], " "), " ")
	}
	if want := " chime CreateUser throttle every call 1 0 never 1 spent "; got[once.ID] != want {
		t.Errorf("the throttle rule's row: %q, want %q", got[once.ID], want)
	}
	if want := " chime * latency 250ms X-Chaos: slow 0.5 — never 0 active "; got[slow.ID] != want {
		t.Errorf("the latency rule's row: %q, want %q", got[slow.ID], want)
	}
}

// TestConsoleAuditTimeline: the tenant page lists the tenant's audit events newest
// first, a page at a time, and another tenant's never.
func TestConsoleAuditTimeline(t *testing.T) {
	h := MustHarness(t)
	c := h.MustLogin(t)
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	err := h.svc.Store.Update(context.Background(), func(tx rollcall.Tx) error {
		for i := range 30 {
			rec := fmt.Sprintf(`{"eventTime":%q,"eventSource":"business-api.amazon.com","eventName":"Op%02d","sourceIPAddress":"192.0.2.1"}`,
				t0.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), i)
			e := &rollcall.AuditEvent{TenantID: rollcall.DevBusinessID, Time: t0.Add(time.Duration(i) * time.Minute), ID: fmt.Sprintf("e%02d", i),
				Name: fmt.Sprintf("Op%02d", i), Principal: "www.amazon.com:" + rollcall.DevBusinessID, Record: []byte(rec)}
			if err := tx.PutAuditEvent(e); err != nil {
				return err
			}
		}
		return tx.PutAuditEvent(&rollcall.AuditEvent{TenantID: rollcall.DevAccountID, Time: t0, ID: "x", Name: "OtherTenantOp",
			Principal: "p", Record: []byte(`{"eventName":"OtherTenantOp"}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	page := h.get(t, "/_rollcall/console/tenants/"+rollcall.DevBusinessID, c)
	if i, j := strings.Index(page.Body, "Op29"), strings.Index(page.Body, "Op05"); i < 0 || j < 0 || i > j {
		t.Fatalf("first page: Op29 at %d, Op05 at %d; want both, newest first", i, j)
	}
	if strings.Contains(page.Body, "Op04") || strings.Contains(page.Body, "OtherTenantOp") {
		t.Fatal("the first page shows more than 25 events, or another tenant's")
	}
	start := strings.Index(page.Body, `<a href="?events=`)
	if start < 0 {
		t.Fatal("no link to older events")
	}
	href := page.Body[start+len(`<a href="`):]
	href = html.UnescapeString(href[:strings.Index(href, `"`)])
	older := h.get(t, "/_rollcall/console/tenants/"+rollcall.DevBusinessID+strings.TrimSuffix(href, "#audit"), c)
	if !strings.Contains(older.Body, "Op04") || !strings.Contains(older.Body, "Op00") || strings.Contains(older.Body, "Op05") ||
		strings.Contains(older.Body, `href="?events=`) {
		t.Fatalf("second page:\n%s", older.Body)
	}
}
