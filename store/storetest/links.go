package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// LegacyLinkToken is the token of the link in the messages LegacyLinkMessages returns.
const LegacyLinkToken = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdE" // 43 characters, as rollcall makes them

// LegacyLinkMessages returns a sent, a failed and a queued invitation whose bodies hold
// a live link, as rollcall stored them before settled messages dropped it.
func LegacyLinkMessages() []*rollcall.Message {
	var out []*rollcall.Message
	for i, status := range []string{rollcall.MessageSent, rollcall.MessageFailed, rollcall.MessageQueued} {
		m := NewMessage("legacy-"+status, TenantID, T0.Add(time.Duration(i)*time.Second))
		m.Status = status
		m.TextBody = "Hello,\n\nopen this link:\n\nhttps://rollcall.example.com/invitations/" + LegacyLinkToken + "\n\nThe link works once.\n"
		m.HTMLBody = `<p><a href="https://rollcall.example.com/invitations/` + LegacyLinkToken + `" style="color:#0b57d0">Choose your password</a></p>`
		out = append(out, m)
	}
	return out
}

// WantLegacyLinksSettled checks what the migration that drops settled messages' links
// left of LegacyLinkMessages: no link in the sent and failed ones, the rest of their
// bodies intact, and the queued one (still to be sent) untouched.
func WantLegacyLinksSettled(t *testing.T, s rollcall.Store) {
	t.Helper()
	for _, want := range LegacyLinkMessages() {
		got, err := get(t, s, rollcall.Tx.Message, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want.Status != rollcall.MessageQueued {
			want.TextBody = strings.ReplaceAll(want.TextBody, "/invitations/"+LegacyLinkToken, rollcall.RedactedLink)
			want.HTMLBody = strings.ReplaceAll(want.HTMLBody, "/invitations/"+LegacyLinkToken, rollcall.RedactedLink)
		}
		WantEqual(t, "message "+want.ID+" after the migration", got, want)
	}
}
