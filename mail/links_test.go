package mail_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/invite"
	"github.com/rollcall/rollcall/mail/mailtest"
)

// linkToken is the token of the invitation link in a body, "" when there is none.
func linkToken(body string) string {
	_, rest, ok := strings.Cut(body, "/invitations/")
	if !ok {
		return ""
	}
	return strings.FieldsFunc(rest, func(r rune) bool { return r == '"' || r == '<' || r == '\n' || r == ' ' })[0]
}

// TestSentMessageKeepsNoLink: the queued message holds the live link (the dispatcher
// must send it, and send it again after a crash before recording, with the same
// Message-ID and the same link); once recorded as sent, the stored body no longer holds it.
func TestSentMessageKeepsNoLink(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	m := createUser(t, svc, "ada@example.com", "Ada", "Lovelace")
	token := linkToken(m.TextBody)
	if len(token) < 40 {
		t.Fatalf("queued body without a live link:\n%s", m.TextBody)
	}
	d, restart := crashyDispatcher(t, r, svc)
	if _, err := d.RunOnce(t.Context()); !errors.Is(err, errCrash) {
		t.Fatalf("RunOnce: %v", err)
	}
	if got := message(t, svc.Store, m.ID); linkToken(got.TextBody) != token {
		t.Fatalf("after a crash before recording, the queued body lost its link:\n%s", got.TextBody)
	}
	// The replica died: a restarted dispatcher knows nothing of the send, and sends the
	// message again once its lease ends.
	if n, err := restart(crashLease).RunOnce(t.Context()); n != 1 || err != nil {
		t.Fatalf("the restarted dispatcher: %d, %v; want the message sent again", n, err)
	}
	got := r.Received()
	if len(got) != 2 {
		t.Fatalf("%d arrived, want 2", len(got))
	}
	for i, rc := range got {
		e, err := mailtest.Parse(rc.Data)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(e.InvitationLink(), "/invitations/"+token) || e.Header.Get("Message-ID") != "<"+m.ID+"@rollcall.test>" {
			t.Fatalf("arrival %d: link %q, Message-ID %q", i, e.InvitationLink(), e.Header.Get("Message-ID"))
		}
	}
	sent := message(t, svc.Store, m.ID)
	if sent.Status != rollcall.MessageSent || strings.Contains(sent.TextBody+sent.HTMLBody, token) ||
		!strings.Contains(sent.TextBody, rollcall.RedactedLink) || !strings.Contains(sent.HTMLBody, rollcall.RedactedLink) {
		t.Fatalf("the sent message as stored:\n%s\n%s", sent.TextBody, sent.HTMLBody)
	}
	// The link still works: only the copy in the outbox is gone.
	if _, err := invite.New(svc).Invitation(t.Context(), token); err != nil {
		t.Fatalf("the invitation after sending: %v", err)
	}
}

// TestFailedMessageKeepsNoLink: a message given up on keeps no link either.
func TestFailedMessageKeepsNoLink(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	r.Refuse(func(string, int) error {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	})
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	// The message is read as queued before a dispatcher exists: one started first can
	// fail it, and scrub its link, before createUser reads it back (seen in CI).
	m := createUser(t, svc, "gone@example.com", "Gone", "Away")
	token := linkToken(m.TextBody)
	newDispatcher(t, svc, r, nil) // its first pass runs at once
	failed := waitStatus(t, svc.Store, m.ID, rollcall.MessageFailed)
	if token == "" || strings.Contains(failed.TextBody+failed.HTMLBody, token) || failed.LastError == "" {
		t.Fatalf("the failed message as stored: %q\n%s", failed.LastError, failed.TextBody)
	}
}
