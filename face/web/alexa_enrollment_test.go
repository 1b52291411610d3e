package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/face/facetest"
)

// MustAlexaInvite creates an Alexa for Business user (once), sends it an enrollment
// invitation, and returns its ARN and the token of the new link.
func (h *harness) MustAlexaInvite(tb testing.TB, userID, email string) (string, string) {
	tb.Helper()
	ctx := context.Background()
	c := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	arn := "arn:aws:a4b:us-east-1:" + rollcall.DevAccountID + ":user/"
	var u *rollcall.User
	err := h.svc.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		u, err = tx.UserByKey(rollcall.AlexaDirectoryID(rollcall.DevAccountID), userID)
		return err
	})
	if rollcall.IsKind(err, rollcall.NotFound) {
		if arn, err = alexa.New(h.svc).CreateUser(ctx, c, alexa.CreateUserInput{UserID: userID, FirstName: "Ada", Email: email}); err != nil {
			tb.Fatal(err)
		}
	} else if err != nil {
		tb.Fatal(err)
	} else {
		arn = facetest.Decoded(tb, u, alexa.UserOf).Attrs.Arn
	}
	before := h.alexaLinks(tb, email)
	if err := alexa.New(h.svc).SendInvitation(ctx, c, arn); err != nil {
		tb.Fatal(err)
	}
	var fresh []string
	for _, token := range h.alexaLinks(tb, email) {
		if !slices.Contains(before, token) {
			fresh = append(fresh, token)
		}
	}
	if len(fresh) != 1 {
		tb.Fatalf("%d new enrollment links queued for %s, want 1", len(fresh), email)
	}
	return arn, fresh[0]
}

// alexaLinks returns the tokens of every link queued to email.
func (h *harness) alexaLinks(tb testing.TB, email string) []string {
	tb.Helper()
	var msgs []*rollcall.Message
	if err := h.svc.Store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		msgs, err = tx.Messages(rollcall.MessageFilter{})
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	var tokens []string
	for _, m := range msgs {
		if _, rest, ok := strings.Cut(m.TextBody, "/invitations/"); ok && m.To == email {
			tokens = append(tokens, strings.Fields(rest)[0])
		}
	}
	return tokens
}

func (h *harness) enrollment(tb testing.TB, userID string) string {
	tb.Helper()
	var u *rollcall.User
	if err := h.svc.Store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		u, err = tx.UserByKey(rollcall.AlexaDirectoryID(rollcall.DevAccountID), userID)
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	return alexa.EnrollmentStatus(facetest.Decoded(tb, u, alexa.UserOf))
}

// TestAcceptAlexaEnrollment: the page names the organization of the invitation
// configuration and asks for no password; accepting makes the user REGISTERED, and the
// link is then no longer valid. The console shows each state.
func TestAcceptAlexaEnrollment(t *testing.T) {
	h := MustHarness(t)
	c := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	if err := alexa.New(h.svc).PutInvitationConfig(t.Context(), c, alexa.InvitationConfig{OrganizationName: "Acme Café"}); err != nil {
		t.Fatal(err)
	}
	if _, err := alexa.New(h.svc).CreateUser(t.Context(), c, alexa.CreateUserInput{UserID: "grace", Email: "grace@example.com"}); err != nil {
		t.Fatal(err)
	}
	_, token := h.MustAlexaInvite(t, "ada", "ada@example.com")
	console := h.MustLogin(t)
	badges := func(q string) string {
		t.Helper()
		return h.get(t, "/_rollcall/console/users?q="+url.QueryEscape(q), console).Body
	}
	if b := badges("ada@example.com"); !strings.Contains(b, `status-wait">PENDING`) {
		t.Errorf("console: ada is not shown PENDING:\n%s", b)
	}
	if b := badges("grace@example.com"); !strings.Contains(b, `status-wait">INITIALIZED`) {
		t.Errorf("console: grace is not shown INITIALIZED:\n%s", b)
	}

	page := h.get(t, "/invitations/"+token)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Acme Café") || !strings.Contains(page.Body, "Enroll</button>") ||
		!strings.Contains(page.Body, "Alexa for Business") || strings.Contains(page.Body, `type="password"`) {
		t.Fatalf("GET: %d %s", page.StatusCode, page.Body)
	}
	assertSecurityHeaders(t, page)
	if s := h.enrollment(t, "ada"); s != "PENDING" {
		t.Fatalf("showing the page changed the enrollment to %s", s)
	}
	// Without the form's CSRF token nothing happens.
	if r := h.post(t, "/invitations/"+token, url.Values{"accept": {"1"}}); r.StatusCode == http.StatusOK || h.enrollment(t, "ada") != "PENDING" {
		t.Fatalf("POST without CSRF: %d, enrollment %s", r.StatusCode, h.enrollment(t, "ada"))
	}
	r := h.post(t, "/invitations/"+token, url.Values{"csrf": {csrf(t, page.Body)}, "accept": {"1"}})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "You are enrolled in Alexa for Business.") {
		t.Fatalf("POST: %d %s", r.StatusCode, r.Body)
	}
	if s := h.enrollment(t, "ada"); s != "REGISTERED" {
		t.Fatalf("after acceptance: %s", s)
	}
	if b := badges("ada@example.com"); !strings.Contains(b, `status-ok">REGISTERED`) {
		t.Errorf("console: ada is not shown REGISTERED:\n%s", b)
	}
	again := h.get(t, "/invitations/"+token)
	if again.StatusCode != http.StatusGone || !strings.Contains(again.Body, "Invitation no longer valid") {
		t.Fatalf("the used link: %d %s", again.StatusCode, again.Body)
	}
}

// TestReplacedAndRevokedAlexaLinks: a re-sent invitation kills the old link, a revoked
// one kills the current link, and both show the same "no longer valid" page as a used
// link; posting to them changes nothing.
func TestReplacedAndRevokedAlexaLinks(t *testing.T) {
	h := MustHarness(t)
	c := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	_, old := h.MustAlexaInvite(t, "ada", "ada@example.com")
	oldPage := h.get(t, "/invitations/"+old)
	arn, current := h.MustAlexaInvite(t, "ada", "ada@example.com")
	if current == old {
		t.Fatal("a re-sent invitation has the old link")
	}
	noLonger := func(name, token string) {
		t.Helper()
		r := h.get(t, "/invitations/"+token)
		if r.StatusCode != http.StatusGone || !strings.Contains(r.Body, "<h1>Invitation no longer valid</h1>") || !strings.Contains(r.Body, "no longer valid") {
			t.Fatalf("%s link: %d %s", name, r.StatusCode, r.Body)
		}
		assertSecurityHeaders(t, r)
	}
	noLonger("replaced", old)
	if r := h.post(t, "/invitations/"+old, url.Values{"csrf": {csrf(t, oldPage.Body)}, "accept": {"1"}}); r.StatusCode != http.StatusGone || h.enrollment(t, "ada") != "PENDING" {
		t.Fatalf("POST to the replaced link: %d, enrollment %s", r.StatusCode, h.enrollment(t, "ada"))
	}
	if r := h.get(t, "/invitations/"+current); r.StatusCode != http.StatusOK {
		t.Fatalf("the current link: %d", r.StatusCode)
	}
	page := h.get(t, "/invitations/"+current)
	if err := alexa.New(h.svc).RevokeInvitation(t.Context(), c, arn, strings.Replace(arn, ":user/", ":enrollment/", 1)); err != nil {
		t.Fatal(err)
	}
	noLonger("revoked", current)
	if r := h.post(t, "/invitations/"+current, url.Values{"csrf": {csrf(t, page.Body)}, "accept": {"1"}}); r.StatusCode != http.StatusGone || h.enrollment(t, "ada") != "INITIALIZED" {
		t.Fatalf("POST to the revoked link: %d, enrollment %s", r.StatusCode, h.enrollment(t, "ada"))
	}
}
