package mailtest

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"testing"
)

// ByMessageID parses every message received and counts them per Message-ID.
func ByMessageID(tb testing.TB, got []Received) map[string]int {
	tb.Helper()
	n := map[string]int{}
	for _, r := range got {
		e, err := Parse(r.Data)
		if err != nil {
			tb.Fatal(err)
		}
		n[e.Header.Get("Message-ID")]++
	}
	return n
}

// Email is a received multipart/alternative message, parsed.
type Email struct {
	Header  mail.Header
	Subject string // decoded
	From    *mail.Address
	To      *mail.Address // decoded name and address
	Parts   []Part        // in order
	Text    string        // the decoded text/plain part
	HTML    string        // the decoded text/html part
}

// Part is one part of the body as it was on the wire.
type Part struct {
	ContentType string // media type
	Charset     string
	Encoding    string // Content-Transfer-Encoding
	Body        string // decoded
}

// Parse reads an RFC 5322 message whose body is multipart/alternative with a
// text/plain and a text/html part, as rollcall sends.
func Parse(data []byte) (*Email, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	e := &Email{Header: msg.Header}
	var dec mime.WordDecoder
	if e.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return nil, fmt.Errorf("Subject: %w", err)
	}
	if e.To, err = firstAddress(msg.Header, "To"); err != nil {
		return nil, err
	}
	if e.From, err = firstAddress(msg.Header, "From"); err != nil {
		return nil, err
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("Content-Type: %w", err)
	}
	if mediaType != "multipart/alternative" {
		return nil, fmt.Errorf("Content-Type %s, want multipart/alternative", mediaType)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		var part Part
		var pparams map[string]string
		if part.ContentType, pparams, err = mime.ParseMediaType(p.Header.Get("Content-Type")); err != nil {
			return nil, fmt.Errorf("part Content-Type: %w", err)
		}
		part.Charset = pparams["charset"]
		part.Encoding = p.Header.Get("Content-Transfer-Encoding")
		var r io.Reader = p
		if strings.EqualFold(part.Encoding, "quoted-printable") {
			r = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("part %s: %w", part.ContentType, err)
		}
		part.Body = string(b)
		e.Parts = append(e.Parts, part)
		switch part.ContentType {
		case "text/plain":
			e.Text = part.Body
		case "text/html":
			e.HTML = part.Body
		}
	}
	return e, nil
}

func firstAddress(h mail.Header, key string) (*mail.Address, error) {
	list, err := h.AddressList(key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	if len(list) != 1 {
		return nil, fmt.Errorf("%s has %d addresses, want 1", key, len(list))
	}
	return list[0], nil
}

var linkRE = regexp.MustCompile(`https?://[^\s"<>]+/invitations/[A-Za-z0-9_\-]+`)

// InvitationLink returns the first invitation link in the text part, or "".
func (e *Email) InvitationLink() string {
	return linkRE.FindString(e.Text)
}
