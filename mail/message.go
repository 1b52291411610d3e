package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
)

// Composer turns outbox messages into RFC 5322 emails.
type Composer struct {
	// From is the author of every message, e.g. "rollcall" <noreply@example.com>; its
	// address is also the envelope sender.
	From mail.Address
	// Domain is the right-hand side of every Message-ID: the host of rollcall's public
	// URL (DomainOf).
	Domain string
}

// Compose renders m: headers Date (when the message was queued), From, To (the
// invitee's name and address), Subject, Message-ID, MIME-Version and Auto-Submitted,
// and a multipart/alternative body with m.TextBody and m.HTMLBody, each UTF-8, as
// 7bit when it is ASCII with short lines, else quoted-printable. The output depends on m alone, so a retry sends the same bytes with
// the same Message-ID. An address that cannot be a recipient is a permanent error.
func (c *Composer) Compose(m *rollcall.Message) ([]byte, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil || strings.ContainsAny(m.To, "\r\n") {
		return nil, Permanent(fmt.Errorf("recipient %q is not an email address", m.To))
	}
	to.Name = m.ToName
	if strings.EqualFold(to.Name, to.Address) {
		to.Name = "" // the core names an invitee without a name by the address
	}
	if c.From.Address == "" {
		return nil, errors.New("mail: Composer.From has no address")
	}

	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(fold(name + ": " + value))
		b.WriteString("\r\n")
	}
	header("Date", m.CreatedAt.UTC().Format(time.RFC1123Z))
	header("From", c.From.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Message-ID", MessageID(m.ID, c.Domain))
	header("MIME-Version", "1.0")
	header("Auto-Submitted", "auto-generated") // RFC 3834: no vacation replies to invitations

	mw := multipart.NewWriter(&b)
	if err := mw.SetBoundary(boundary(m.ID)); err != nil {
		return nil, err
	}
	header("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ contentType, body string }{
		{"text/plain; charset=utf-8", m.TextBody},
		{"text/html; charset=utf-8", m.HTMLBody},
	} {
		body := strings.ReplaceAll(strings.ReplaceAll(part.body, "\r\n", "\n"), "\n", "\r\n")
		if is7bit(body) {
			// As it is: the raw message stays readable, links unbroken.
			pw, err := mw.CreatePart(textproto.MIMEHeader{
				"Content-Type":              {part.contentType},
				"Content-Transfer-Encoding": {"7bit"},
			})
			if err != nil {
				return nil, err
			}
			if _, err := io.WriteString(pw, body); err != nil {
				return nil, err
			}
			continue
		}
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.contentType},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		qw := quotedprintable.NewWriter(pw)
		if _, err := qw.Write([]byte(body)); err != nil {
			return nil, err
		}
		if err := qw.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// MessageID returns the Message-ID header of the outbox message id: <id@domain>. An id
// that is not a dot-atom is replaced by its SHA-256, so the result is always valid and
// always the same for the same id.
func MessageID(id, domain string) string {
	if !isDotAtom(id) {
		sum := sha256.Sum256([]byte(id))
		id = hex.EncodeToString(sum[:16])
	}
	if domain == "" {
		domain = "localhost"
	}
	return "<" + id + "@" + domain + ">"
}

// DomainOf returns the host of a public URL for Message-IDs: a name as it is, an IP
// address as a domain literal ([127.0.0.1]), "localhost" when there is none.
func DomainOf(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	h := strings.ToLower(u.Hostname())
	if net.ParseIP(h) != nil {
		return "[" + h + "]"
	}
	if !isDotAtom(h) {
		return "localhost"
	}
	return h
}

// DefaultFrom is the author used without --smtp-from: noreply at the public URL's host,
// or at localhost when that host is an IP address.
func DefaultFrom(publicURL string) mail.Address {
	d := DomainOf(publicURL)
	if strings.HasPrefix(d, "[") {
		d = "localhost"
	}
	return mail.Address{Name: "rollcall", Address: "noreply@" + d}
}

// boundary is derived from the message ID, so a retry renders the same bytes. The
// bodies are quoted-printable, whose lines never start with "--" followed by this.
func boundary(id string) string {
	sum := sha256.Sum256([]byte("rollcall-boundary:" + id))
	return "rollcall-" + hex.EncodeToString(sum[:12])
}

// is7bit reports whether body (CRLF line ends) may travel as 7bit: ASCII without NUL
// or bare CR, and lines of at most 998 bytes (RFC 5322).
func is7bit(body string) bool {
	for _, line := range strings.Split(body, "\r\n") {
		if len(line) > 998 {
			return false
		}
		for i := 0; i < len(line); i++ {
			if c := line[i]; c == 0 || c == '\r' || c >= 0x80 {
				return false
			}
		}
	}
	return true
}

// isDotAtom reports whether s is an RFC 5322 dot-atom-text.
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// fold breaks a header line longer than 78 characters at spaces (RFC 5322 folding).
// The values given to it never hold CR or LF: encoded-words and addresses from
// net/mail encode them.
func fold(line string) string {
	const max = 78
	if len(line) <= max {
		return line
	}
	var b strings.Builder
	n := 0
	for i, word := range strings.Split(line, " ") {
		if i > 0 {
			if n+1+len(word) > max {
				b.WriteString("\r\n")
				n = 0
			}
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
