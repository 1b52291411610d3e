package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/password"
	"github.com/rollcall/rollcall/business"
	rcmail "github.com/rollcall/rollcall/mail"
	"github.com/rollcall/rollcall/mail/mailtest"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/store/sqlite"
)

const testBusiness = "biz-1"

// newService opens a SQLite store in a temporary directory, with a business named name
// (and the dev defaults).
func newService(tb testing.TB, publicURL, name string) *rollcall.Service {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "rollcall.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	svc := &rollcall.Service{Store: st, Passwords: password.Argon2id{Time: 1, Memory: 1024, Threads: 1}, PublicURL: publicURL}
	seed := operator.DevSeed()
	seed.Businesses = append(seed.Businesses, operator.SeedBusiness{ID: testBusiness, Name: name,
		Groups: []operator.SeedGroup{{ID: "g1", Name: "Group"}}, DefaultGroup: "g1", DefaultRole: "Requisitioner"})
	if err := operator.New(svc).Apply(context.Background(), seed); err != nil {
		tb.Fatal(err)
	}
	return svc
}

// createUser creates an Amazon Business account holder, which queues its invitation,
// and returns that message.
func createUser(tb testing.TB, svc *rollcall.Service, email, given, family string) *rollcall.Message {
	tb.Helper()
	ctx := context.Background()
	u, err := business.New(svc).CreateUser(ctx, rollcall.Caller{TenantID: testBusiness, DirectoryID: testBusiness},
		business.CreateUserInput{Email: email, GivenName: given, FamilyName: family, Region: "US"})
	if err != nil {
		tb.Fatal(err)
	}
	var msg *rollcall.Message
	err = svc.Store.View(ctx, func(tx rollcall.Tx) error {
		ms, err := tx.Messages(rollcall.MessageFilter{TenantID: testBusiness})
		for _, m := range ms {
			if m.UserID == u.ID {
				msg = m
			}
		}
		return err
	})
	if err != nil || msg == nil {
		tb.Fatalf("the invitation of %s: %v, %v", email, msg, err)
	}
	return msg
}

// createUsers creates n account holders, user00@example.com and on, and returns the
// IDs of their invitations.
func createUsers(tb testing.TB, svc *rollcall.Service, n int) []string {
	tb.Helper()
	var ids []string
	for i := range n {
		ids = append(ids, createUser(tb, svc, fmt.Sprintf("user%02d@example.com", i), "User", fmt.Sprint(i)).ID)
	}
	return ids
}

// mustCompose composes m and parses the message.
func mustCompose(tb testing.TB, comp *rcmail.Composer, m *rollcall.Message) *mailtest.Email {
	tb.Helper()
	data, err := comp.Compose(m)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := mailtest.Parse(data)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func TestComposeInvitation(t *testing.T) {
	for _, c := range []struct {
		name                  string
		business, given, last string
		email                 string
	}{
		{"ascii", "Acme Supplies", "Ada", "Lovelace", "ada@example.com"},
		{"non-ascii", "Café Zoë & Søn <Ltd>", "Zoë", "Çelik-Ñúñez", "zoe@example.com"},
		{"specials in the name", "Acme \"Quoted\", Inc.", "Ada (the first)", "O'Hara, Jr.", "ada@example.com"},
		{"long", strings.TrimSpace(strings.Repeat("Very Long Business Name ", 6)), strings.Repeat("Bartholomew", 3), strings.Repeat("Featherstonehaugh", 4), "bart@example.com"},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc := newService(t, "https://rollcall.example.com:8443/", c.business)
			m := createUser(t, svc, c.email, c.given, c.last)
			comp := &rcmail.Composer{From: mail.Address{Name: "Rollcall Ünïcode", Address: "noreply@example.com"}, Domain: "rollcall.example.com"}
			data, err := comp.Compose(m)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := comp.Compose(m)
			if !bytes.Equal(data, again) {
				t.Fatal("two renderings of one message differ: a retry must send the same bytes")
			}
			for i, line := range strings.Split(string(data), "\r\n") {
				if len(line) > 998 || strings.ContainsAny(line, "\r\n") {
					t.Fatalf("line %d is not a valid RFC 5322 line: %q", i, line)
				}
				if i < 12 && len(line) > 78 && !strings.Contains(line, "://") {
					t.Errorf("header line %d is %d characters, not folded: %q", i, len(line), line)
				}
			}
			if bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\n")) {
				t.Fatal("a bare LF in the message: every line must end with CRLF")
			}

			e, err := mailtest.Parse(data)
			if err != nil {
				t.Fatalf("parse: %v\n%s", err, data)
			}
			name := c.given + " " + c.last
			if e.To.Name != name || e.To.Address != c.email {
				t.Errorf("To = %q <%s>, want %q <%s>", e.To.Name, e.To.Address, name, c.email)
			}
			if e.From.Name != "Rollcall Ünïcode" || e.From.Address != "noreply@example.com" {
				t.Errorf("From = %v", e.From)
			}
			if want := "You have been invited to " + c.business; e.Subject != want {
				t.Errorf("Subject = %q, want %q", e.Subject, want)
			}
			if got, want := e.Header.Get("Message-ID"), "<"+m.ID+"@rollcall.example.com>"; got != want {
				t.Errorf("Message-ID = %q, want %q", got, want)
			}
			if d, err := e.Header.Date(); err != nil || !d.Equal(m.CreatedAt.Truncate(time.Second)) {
				t.Errorf("Date = %v (%v), want the time the message was queued, %v", d, err, m.CreatedAt)
			}
			if e.Header.Get("MIME-Version") != "1.0" || e.Header.Get("Auto-Submitted") != "auto-generated" {
				t.Errorf("headers = %v", e.Header)
			}
			if len(e.Parts) != 2 || e.Parts[0].ContentType != "text/plain" || e.Parts[1].ContentType != "text/html" {
				t.Fatalf("parts = %+v, want text/plain then text/html", e.Parts)
			}
			ascii := true
			for _, r := range m.TextBody + m.HTMLBody {
				ascii = ascii && r < 0x80
			}
			for _, p := range e.Parts {
				if want := map[bool]string{true: "7bit", false: "quoted-printable"}[ascii]; p.Charset != "utf-8" || p.Encoding != want {
					t.Errorf("part %s: charset %q, encoding %q; want utf-8, %s", p.ContentType, p.Charset, p.Encoding, want)
				}
			}
			// Text travels in canonical form: every line ends in CRLF.
			crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
			if e.Text != crlf(m.TextBody) || e.HTML != crlf(m.HTMLBody) {
				t.Errorf("bodies changed on the way:\ntext %q\nwant %q\nhtml %q\nwant %q", e.Text, m.TextBody, e.HTML, m.HTMLBody)
			}
			link := e.InvitationLink()
			if !strings.HasPrefix(link, "https://rollcall.example.com:8443/invitations/") {
				t.Fatalf("no invitation link to the public URL in the text part:\n%s", e.Text)
			}
			if ascii && !bytes.Contains(data, []byte("\r\n"+link+"\r\n")) {
				t.Errorf("the raw ASCII message does not show the link whole on its own line:\n%s", data)
			}
			if !strings.Contains(e.Text, name) || !strings.Contains(e.Text, c.business) {
				t.Errorf("the text part lacks the invitee's name %q or the business %q:\n%s", name, c.business, e.Text)
			}
			htmlEsc := func(s string) string {
				return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
			}
			if !strings.Contains(e.HTML, htmlEsc(name)) || !strings.Contains(e.HTML, htmlEsc(c.business)) || !strings.Contains(e.HTML, `href="`+link+`"`) {
				t.Errorf("the HTML part lacks the name, the business or the link %s:\n%s", link, e.HTML)
			}
		})
	}
}

func TestComposeRejectsBadRecipient(t *testing.T) {
	comp := &rcmail.Composer{From: mail.Address{Address: "noreply@example.com"}, Domain: "example.com"}
	for _, to := range []string{"", "not an address", "ada@example.com\r\nBcc: eve@example.com"} {
		m := &rollcall.Message{ID: "m1", To: to, Subject: "s", TextBody: "t", HTMLBody: "h", CreatedAt: time.Now()}
		_, err := comp.Compose(m)
		if err == nil || !rcmail.IsPermanent(err) {
			t.Errorf("Compose to %q: err = %v, want a permanent error", to, err)
		}
	}
}

func TestComposeWithoutName(t *testing.T) {
	comp := &rcmail.Composer{From: mail.Address{Address: "noreply@example.com"}, Domain: "example.com"}
	m := &rollcall.Message{ID: "m1", To: "ada@example.com", ToName: "ada@example.com", Subject: "s", TextBody: "t", HTMLBody: "h", CreatedAt: time.Now()}
	e := mustCompose(t, comp, m)
	if got := e.Header.Get("To"); got != "<ada@example.com>" {
		t.Fatalf("To: %q, want the bare address", got)
	}
}

func TestComposeHeaderInjection(t *testing.T) {
	comp := &rcmail.Composer{From: mail.Address{Address: "noreply@example.com"}, Domain: "example.com"}
	m := &rollcall.Message{ID: "m1", To: "ada@example.com", ToName: "Ada\r\nBcc: eve@example.com",
		Subject: "Hi\r\nBcc: eve@example.com", TextBody: "t", HTMLBody: "h", CreatedAt: time.Now()}
	e := mustCompose(t, comp, m)
	if len(e.Header["Bcc"]) != 0 {
		t.Fatalf("a CRLF in a name or subject made a header: %v", e.Header)
	}
	if e.Subject != m.Subject || e.To.Name != m.ToName {
		t.Fatalf("Subject %q, To name %q: want them kept, encoded", e.Subject, e.To.Name)
	}
}

func TestMessageIDAndDomain(t *testing.T) {
	for _, c := range []struct{ publicURL, domain, from string }{
		{"https://rollcall.example.com", "rollcall.example.com", "noreply@rollcall.example.com"},
		{"http://Rollcall.Example.com:4566/base/", "rollcall.example.com", "noreply@rollcall.example.com"},
		{"http://127.0.0.1:4566", "[127.0.0.1]", "noreply@localhost"},
		{"http://[::1]:4566", "[::1]", "noreply@localhost"},
		{"", "localhost", "noreply@localhost"},
	} {
		if got := rcmail.DomainOf(c.publicURL); got != c.domain {
			t.Errorf("DomainOf(%q) = %q, want %q", c.publicURL, got, c.domain)
		}
		if got := rcmail.DefaultFrom(c.publicURL); got.Address != c.from {
			t.Errorf("DefaultFrom(%q) = %q, want %q", c.publicURL, got.Address, c.from)
		}
		id := rcmail.MessageID("0b7d3a52-8f1e-4c5a-9d2b-3e4f5a6b7c8d", rcmail.DomainOf(c.publicURL))
		if _, err := mail.ParseAddress("x <" + strings.Trim(id, "<>") + ">"); err != nil && !strings.HasPrefix(c.domain, "[") {
			t.Errorf("Message-ID %s does not parse: %v", id, err)
		}
	}
	if a, b := rcmail.MessageID("weird id\r\n", "x.test"), rcmail.MessageID("weird id\r\n", "x.test"); a != b || strings.ContainsAny(a, " \r\n") {
		t.Errorf("MessageID of an id that is not a dot-atom: %q, %q", a, b)
	}
}
