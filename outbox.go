package rollcall

import "time"

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
}

// Invitation lets an invitee set a password or accept. Only the SHA-256 of its token is
// kept; the token itself travels only in the invitation's link.
type Invitation struct {
	ID          string
	TokenHash   string
	TenantID    string
	DirectoryID string
	UserID      string
	ExpiresAt   time.Time
	UsedAt      *time.Time
	CreatedAt   time.Time
}

// IdempotencyRecord remembers the outcome of a request made with a client token, so a
// retry returns the same result and creates nothing.
type IdempotencyRecord struct {
	Scope       string // e.g. "a4b:<account>"
	Token       string
	RequestHash string // hex SHA-256 of the request's parameters
	ResultID    string // the created resource (a user ID)
	CreatedAt   time.Time
}
