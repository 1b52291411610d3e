package web_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/facetest"
)

// TestErrorPageRetryAfter: a page the store cannot serve for now (Unavailable) is 503
// with Retry-After, as a 429 is, and says to try again in a moment; once the store
// answers, the page is served with none. A failure that waiting does not cure (500)
// sends none.
func TestErrorPageRetryAfter(t *testing.T) {
	var fail atomic.Pointer[rollcall.Error]
	h := mustHarnessOver(t, func(st rollcall.Store) rollcall.Store { return facetest.FailingStore{Store: st, Fail: &fail} })
	_, token := h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")

	fail.Store(&rollcall.Error{Kind: rollcall.Unavailable, Message: "The directory is unavailable."})
	r := h.get(t, "/invitations/"+token)
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "5" {
		t.Errorf("store unavailable: %d, Retry-After %q; want 503 with Retry-After 5", r.StatusCode, r.Header.Get("Retry-After"))
	}
	assertSecurityHeaders(t, r)
	for _, want := range []string{"<h1>Temporarily unavailable</h1>", "The directory is unavailable.", "Try again in a moment."} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the page lacks %q:\n%s", want, r.Body)
		}
	}

	fail.Store(&rollcall.Error{Kind: rollcall.Internal, Message: "disk I/O error"})
	if r := h.get(t, "/invitations/"+token); r.StatusCode != http.StatusInternalServerError || r.Header.Get("Retry-After") != "" {
		t.Errorf("internal error: %d, Retry-After %q; want 500 with none", r.StatusCode, r.Header.Get("Retry-After"))
	}

	fail.Store(nil)
	if r := h.get(t, "/invitations/"+token); r.StatusCode != http.StatusOK || r.Header.Get("Retry-After") != "" {
		t.Errorf("store back: %d, Retry-After %q; want 200 with none", r.StatusCode, r.Header.Get("Retry-After"))
	}
}
