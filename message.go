package rollcall

import (
	"regexp"
	"time"
)

// Message states in the outbox.
const (
	MessageQueued = "queued"
	MessageSent   = "sent"
	MessageFailed = "failed" // gave up after the last retry
)

// Message is an email waiting in (or delivered from) the outbox. It is written in the same
// transaction as the change that causes it, so an acknowledged create always has its mail.
type Message struct {
	ID          string // also the stable Message-ID local part, so receivers can drop duplicates
	TenantID    string
	DirectoryID string
	UserID      string
	Kind        string // "invitation"
	To          string
	ToName      string
	Subject     string
	TextBody    string
	HTMLBody    string
	Status      string
	Attempts    int
	LastError   string
	NextAttempt time.Time
	CreatedAt   time.Time
	SentAt      *time.Time
	// TraceParent and TraceState are the W3C trace context (the traceparent and
	// tracestate values) of the request that queued the message, so that the span of its
	// sending joins that request's trace; "" when the request was not traced.
	TraceParent string
	TraceState  string
}

// A queued invitation holds its live link, since the dispatcher must send it (and may
// send it again, with the same Message-ID, after a crash before recording). Once the
// message is settled (MarkSent, MarkFailed) the stored body no longer holds it, and
// nothing shown to an operator (the admin API, the console: Redacted) ever does.

// invitationLink matches the token part of an invitation link.
var invitationLink = regexp.MustCompile(`/invitations/[A-Za-z0-9_-]{16,}`)

// RedactedLink replaces a link's token wherever a body is shown or settled.
const RedactedLink = "/invitations/xxxxx"

func redactLinks(body string) string {
	return invitationLink.ReplaceAllLiteralString(body, RedactedLink)
}

// Redacted returns a copy of m whose bodies hold no live invitation link.
func (m *Message) Redacted() *Message {
	c := *m
	c.TextBody, c.HTMLBody = redactLinks(m.TextBody), redactLinks(m.HTMLBody)
	return &c
}

// MarkSent records that m was delivered at now, and drops its links.
func (m *Message) MarkSent(now time.Time) {
	m.Status, m.SentAt = MessageSent, &now
	m.TextBody, m.HTMLBody = redactLinks(m.TextBody), redactLinks(m.HTMLBody)
}

// MarkFailed records that m will not be delivered, and drops its links.
func (m *Message) MarkFailed(lastError string) {
	m.Status, m.LastError = MessageFailed, lastError
	m.TextBody, m.HTMLBody = redactLinks(m.TextBody), redactLinks(m.HTMLBody)
}
