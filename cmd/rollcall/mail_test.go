package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/mail/mailtest"
)

// TestInvitationArrivesOverSMTP: with --smtp-url, creating an Amazon Business user sends
// its invitation through the relay, with the link to --public-url, and the admin API
// shows it sent.
func TestInvitationArrivesOverSMTP(t *testing.T) {
	const relayPassword = "relay-secret-77"
	relay := mailtest.Start(t, mailtest.Options{Username: "mailer", Password: relayPassword})
	m := MustRunMain(t, t.TempDir(), "--smtp-url", relay.URL(), "--smtp-from", "Acme IT <it@acme.test>",
		"--public-url", "https://rollcall.acme.test:8443")

	resp, got := mustDo(t, businessCreateRequest(m.URL, rollcall.DevAccessToken, holderBody("ada@example.com")))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("createBusinessUserAccount: %d %s", resp.StatusCode, got)
	}

	arrived := relay.Wait(t, 1, 30*time.Second)
	r := arrived[0]
	if r.User != "mailer" || r.From != "it@acme.test" || len(r.To) != 1 || r.To[0] != "ada@example.com" {
		t.Fatalf("envelope: user %q, from %q, to %q", r.User, r.From, r.To)
	}
	e, err := mailtest.Parse(r.Data)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, r.Data)
	}
	if e.From.Name != "Acme IT" || e.From.Address != "it@acme.test" || e.To.Name != "Ada Lovelace" || e.To.Address != "ada@example.com" {
		t.Fatalf("From %v, To %v", e.From, e.To)
	}
	if !strings.Contains(e.Subject, "rollcall dev business") || !strings.Contains(e.Text, "Ada Lovelace") {
		t.Fatalf("Subject %q, text:\n%s", e.Subject, e.Text)
	}
	link := e.InvitationLink()
	if !strings.HasPrefix(link, "https://rollcall.acme.test:8443/invitations/") || !strings.Contains(e.HTML, link) {
		t.Fatalf("link %q; text:\n%s\nhtml:\n%s", link, e.Text, e.HTML)
	}
	if id := e.Header.Get("Message-ID"); !strings.HasSuffix(id, "@rollcall.acme.test>") {
		t.Fatalf("Message-ID %q", id)
	}

	// The dispatcher records the send right after the relay has it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		msgs := adminMessages(t, m)
		if len(msgs) != 1 {
			t.Fatalf("admin messages: %+v", msgs)
		}
		if msgs[0].Status == rollcall.MessageSent {
			// The admin API shows the message, never its live link.
			if msgs[0].To != "ada@example.com" || strings.Contains(msgs[0].TextBody, link) || !strings.Contains(msgs[0].TextBody, rollcall.RedactedLink) {
				t.Fatalf("admin message: %+v", msgs[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("admin API: message still %s", msgs[0].Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(relay.Received()) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(relay.Received()))
	}

	m.Close()
	log := m.log.String()
	if strings.Contains(log, relayPassword) {
		t.Fatal("the log shows the SMTP password")
	}
	if !strings.Contains(log, "mail: delivering through a relay") || !strings.Contains(log, "mailer:xxxxx@") {
		t.Fatalf("the log does not say which relay (redacted):\n%s", log)
	}
}

// TestWithoutRelayMailStaysQueued: without --smtp-url nothing is sent and the message
// waits in the admin API.
func TestWithoutRelayMailStaysQueued(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	if m.Mail != nil {
		t.Fatal("a dispatcher runs without --smtp-url")
	}
	if resp, got := mustDo(t, businessCreateRequest(m.URL, rollcall.DevAccessToken, holderBody("ada@example.com"))); resp.StatusCode != http.StatusCreated {
		t.Fatalf("createBusinessUserAccount: %d %s", resp.StatusCode, got)
	}
	msgs := adminMessages(t, m)
	if len(msgs) != 1 || msgs[0].Status != rollcall.MessageQueued || !strings.Contains(msgs[0].TextBody, rollcall.RedactedLink) {
		t.Fatalf("admin messages: %+v", msgs)
	}
}

func TestSMTPFlags(t *testing.T) {
	env := map[string]string{"ROLLCALL_SMTP_URL": "smtp://mailer:env-secret-1@relay.example.com:587"}
	var c Config
	var help strings.Builder
	if err := c.parse(nil, func(k string) string { return env[k] }, &help); err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != env["ROLLCALL_SMTP_URL"] {
		t.Fatalf("SMTPURL = %q from the environment", c.SMTPURL)
	}
	// -h prints the default taken from the environment without its password.
	var c2 Config
	err := c2.parse([]string{"-h"}, func(k string) string { return env[k] }, &help)
	if err == nil || strings.Contains(help.String(), "env-secret-1") || !strings.Contains(help.String(), "smtp-url") {
		t.Fatalf("-h: %v\n%s", err, help.String())
	}
	for _, bad := range [][]string{
		{"--smtp-url", "http://relay.example.com"},
		{"--smtp-url", "smtp://relay.example.com?tls=sometimes"},
		{"--smtp-from", "not an address"},
	} {
		if err := new(Config).parse(bad, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("parse(%q) accepted", bad)
		}
	}
	err = new(Config).parse([]string{"--smtp-url", "smtp://u:bad-secret-2@relay.example.com/x"}, func(string) string { return "" }, io.Discard)
	if err == nil || strings.Contains(err.Error(), "bad-secret-2") {
		t.Fatalf("a bad --smtp-url: %v (must fail without quoting the password)", err)
	}
}
