package mail_test

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"
	rcmail "github.com/rollcall/rollcall/mail"
	"github.com/rollcall/rollcall/mail/mailtest"
)

func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		url, addr, tls, user, pass, str string
	}{
		{"smtp://relay.example.com", "relay.example.com:25", rcmail.TLSOpportunistic, "", "", "smtp://relay.example.com:25"},
		{"smtp://ada:s3cret%2F@relay.example.com:587", "relay.example.com:587", rcmail.TLSOpportunistic, "ada", "s3cret/", "smtp://ada:xxxxx@relay.example.com:587"},
		{"smtp://relay.example.com:587?tls=starttls", "relay.example.com:587", rcmail.TLSStartTLS, "", "", "smtp://relay.example.com:587?tls=starttls"},
		{"smtp://127.0.0.1:2525?tls=none", "127.0.0.1:2525", rcmail.TLSNone, "", "", "smtp://127.0.0.1:2525?tls=none"},
		{"smtps://u:p@relay.example.com", "relay.example.com:465", rcmail.TLSImplicit, "u", "p", "smtps://u:xxxxx@relay.example.com:465"},
		{"smtp://[::1]:25", "[::1]:25", rcmail.TLSOpportunistic, "", "", "smtp://[::1]:25"},
	} {
		s, err := rcmail.ParseURL(c.url)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.url, err)
			continue
		}
		if s.Addr != c.addr || s.TLS != c.tls || s.Username != c.user || s.Password != c.pass {
			t.Errorf("ParseURL(%q) = %s %s %q %q", c.url, s.Addr, s.TLS, s.Username, s.Password)
		}
		if s.String() != c.str {
			t.Errorf("ParseURL(%q).String() = %q, want %q", c.url, s.String(), c.str)
		}
	}
	for _, bad := range []string{"http://relay", "smtp://", "smtp://relay?tls=maybe", "smtps://relay?tls=none", "smtp://relay/path", "smtp://relay?auth=login", "smtp://user:pa ss@relay:25%"} {
		_, err := rcmail.ParseURL(bad)
		if err == nil {
			t.Errorf("ParseURL(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "pa ss") {
			t.Errorf("ParseURL(%q): the error shows the password: %v", bad, err)
		}
	}
}

// sendOne sends a small message through s to ada@example.com.
func sendOne(ctx context.Context, s rcmail.Sender) error {
	return s.Send(ctx, "noreply@example.com", []string{"ada@example.com"},
		[]byte("From: noreply@example.com\r\nTo: ada@example.com\r\nSubject: hi\r\n\r\nhello\r\n"))
}

// mustSendOne is sendOne that fails the test on error.
func mustSendOne(tb testing.TB, s rcmail.Sender) {
	tb.Helper()
	if err := sendOne(tb.Context(), s); err != nil {
		tb.Fatal(err)
	}
}

func sender(tb testing.TB, r *mailtest.Relay, url string) *rcmail.SMTP {
	tb.Helper()
	s, err := rcmail.ParseURL(url)
	if err != nil {
		tb.Fatal(err)
	}
	if r.Roots != nil {
		s.TLSConfig = &tls.Config{RootCAs: r.Roots}
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestSMTPStartTLSAndAuth(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{StartTLS: true, Username: "mailer", Password: "relay-pass-1"})
	s := sender(t, r, r.URL())
	for range 3 { // one connection, reused
		mustSendOne(t, s)
	}
	got := r.Received()
	if len(got) != 3 {
		t.Fatalf("%d messages arrived, want 3", len(got))
	}
	for _, m := range got {
		if !m.TLS || m.User != "mailer" || m.From != "noreply@example.com" || len(m.To) != 1 || m.To[0] != "ada@example.com" ||
			!strings.Contains(string(m.Data), "\r\n\r\nhello\r\n") {
			t.Fatalf("arrived: TLS %v, user %q, from %q, to %q, data %q", m.TLS, m.User, m.From, m.To, m.Data)
		}
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{ImplicitTLS: true, Username: "mailer", Password: "relay-pass-1"})
	s := sender(t, r, r.URL())
	if s.TLS != rcmail.TLSImplicit {
		t.Fatalf("TLS mode %q for %s", s.TLS, s)
	}
	mustSendOne(t, s)
	if got := r.Received(); len(got) != 1 || !got[0].TLS || got[0].User != "mailer" {
		t.Fatalf("arrived: %+v", got)
	}
}

func TestSMTPOpportunisticFallsBackToPlain(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	s := sender(t, r, r.URL())
	mustSendOne(t, s)
	if got := r.Received(); len(got) != 1 || got[0].TLS {
		t.Fatalf("arrived: %+v", got)
	}
	// tls=starttls refuses a relay without STARTTLS.
	strict := sender(t, r, r.URL()+"?tls=starttls")
	err := sendOne(t.Context(), strict)
	var re *rcmail.RelayError
	if !errors.As(err, &re) || rcmail.IsPermanent(err) {
		t.Fatalf("STARTTLS required from a relay without it: %v, want a RelayError", err)
	}
}

func TestSMTPUntrustedCertificate(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{StartTLS: true})
	s, err := rcmail.ParseURL(r.URL()) // the system roots do not trust the relay
	if err != nil {
		t.Fatal(err)
	}
	err = sendOne(t.Context(), s)
	var re *rcmail.RelayError
	var certErr *tls.CertificateVerificationError
	if !errors.As(err, &re) || !errors.As(err, &certErr) {
		t.Fatalf("a self-signed certificate nobody trusts: %v, want a RelayError for the certificate", err)
	}
	if len(r.Received()) != 0 {
		t.Fatal("a message went to a relay whose certificate did not verify")
	}
}

func TestSMTPWrongPassword(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{StartTLS: true, Username: "mailer", Password: "relay-pass-1"})
	s := sender(t, r, strings.Replace(r.URL(), "relay-pass-1", "wrong-pass", 1))
	err := sendOne(t.Context(), s)
	var re *rcmail.RelayError
	var se *smtp.SMTPError
	if !errors.As(err, &re) || !errors.As(err, &se) || se.Code != 535 || rcmail.IsPermanent(err) {
		t.Fatalf("wrong password: %v, want a retryable RelayError with the relay's 535", err)
	}
	if strings.Contains(err.Error(), "wrong-pass") {
		t.Fatalf("the error shows the password: %v", err)
	}
}

func TestSMTPRefusals(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	r.Refuse(func(to string, attempt int) error {
		switch to {
		case "busy@example.com":
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		case "nobody@example.com":
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	})
	s := sender(t, r, r.URL())
	ctx := t.Context()
	msg := []byte("Subject: x\r\n\r\nx\r\n")
	if err := s.Send(ctx, "noreply@example.com", []string{"busy@example.com"}, msg); err == nil || rcmail.IsPermanent(err) {
		t.Fatalf("451: %v, want a temporary error", err)
	}
	if err := s.Send(ctx, "noreply@example.com", []string{"nobody@example.com"}, msg); !rcmail.IsPermanent(err) {
		t.Fatalf("550: %v, want a permanent error", err)
	}
	// The connection is still good after refusals (RSET).
	if err := s.Send(ctx, "noreply@example.com", []string{"ada@example.com"}, msg); err != nil {
		t.Fatal(err)
	}
	if got := r.Received(); len(got) != 1 || got[0].To[0] != "ada@example.com" {
		t.Fatalf("arrived: %+v", got)
	}
}

func TestSMTPRelayDown(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	s := sender(t, r, r.URL())
	mustSendOne(t, s)
	r.Stop() // closes the open connection too
	err := sendOne(t.Context(), s)
	var re *rcmail.RelayError
	if !errors.As(err, &re) {
		t.Fatalf("relay down: %v, want a RelayError", err)
	}
	r.Restart(t)
	if err := sendOne(t.Context(), s); err != nil {
		t.Fatalf("relay back: %v", err)
	}
	if n := len(r.Received()); n != 2 {
		t.Fatalf("%d arrived, want 2", n)
	}
}

func TestSMTPCanceled(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	s := sender(t, r, r.URL())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := sendOne(ctx, s); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: %v", err)
	}
	if n := len(r.Received()); n != 0 {
		t.Fatalf("%d arrived after cancel", n)
	}
}
