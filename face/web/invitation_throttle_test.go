package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/business"
)

// heldHasher is the real hasher behind a gate: each hash signals that it holds a slot of
// the service's hash gate, then waits for the gate to open. It injects a busy moment.
type heldHasher struct {
	rollcall.PasswordHasher
	holding chan struct{}
	gate    chan struct{}
}

func (g *heldHasher) Hash(pw string) (string, error) {
	select {
	case g.holding <- struct{}{}: // holding has room for one: the first hash is told
	default:
	}
	<-g.gate
	return g.PasswordHasher.Hash(pw)
}

// TestAcceptInvitationThrottled: while every password-hash slot is taken, submitting the
// invitation form gets the site's own page, 429 with Retry-After, saying that nothing
// was set and how to go on; the invitation still works, and the same form goes through
// once a slot is free.
func TestAcceptInvitationThrottled(t *testing.T) {
	h := MustHarness(t)
	held := &heldHasher{PasswordHasher: h.svc.Passwords, holding: make(chan struct{}, 1), gate: make(chan struct{})}
	h.svc.Passwords, h.svc.HashSlots, h.svc.HashWait = held, 1, 10*time.Millisecond
	u, token := h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")
	before := h.user(t, u)
	page := h.get(t, "/invitations/"+token)
	form := url.Values{"csrf": {csrf(t, page.Body)}, "password": {goodPassword}, "confirm": {goodPassword}}

	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() {
		if _, err := h.svc.HashPassword(t.Context(), "someone else's password"); err != nil {
			t.Error(err)
		}
	})
	<-held.holding // the one slot is taken
	r := h.post(t, "/invitations/"+token, form)
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "5" {
		t.Errorf("POST while busy: %d, Retry-After %q; want 429 with Retry-After 5", r.StatusCode, r.Header.Get("Retry-After"))
	}
	assertSecurityHeaders(t, r)
	for _, want := range []string{
		"<title>Try again in a few seconds · rollcall</title>", `href="/_rollcall/console/static/style.css"`,
		"<h1>Try again in a few seconds</h1>",
		"Your password was not set: too many people are setting passwords right now.",
		"Your invitation still works. Wait a few seconds, then open it again and submit your password once more.",
		`<a href="/invitations/` + token + `">Back to your invitation</a>`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the page lacks %q:\n%s", want, r.Body)
		}
	}
	if got := h.user(t, u); got.Status != before.Status || got.PasswordHash != before.PasswordHash {
		t.Errorf("a throttled acceptance changed the user: %s, hash changed %v", got.Status, got.PasswordHash != before.PasswordHash)
	}
	if again := h.get(t, "/invitations/"+token); again.StatusCode != http.StatusOK {
		t.Errorf("the invitation after a throttled acceptance: %d", again.StatusCode)
	}

	close(held.gate) // the slot frees up: the same form goes through
	wg.Wait()
	if r := h.post(t, "/invitations/"+token, form); r.StatusCode != http.StatusOK || r.Header.Get("Retry-After") != "" {
		t.Fatalf("POST once a slot is free: %d, Retry-After %q\n%s", r.StatusCode, r.Header.Get("Retry-After"), r.Body)
	}
	if got := h.user(t, u); got.Status != business.Active {
		t.Errorf("status after acceptance = %s, want ACTIVE", got.Status)
	}
}
