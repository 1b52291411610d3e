package rollcall

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"time"
	"unsafe"
)

// PasswordHasher turns a human password into a slow, salted hash (argon2id).
type PasswordHasher interface {
	Hash(password string) (string, error)
	// Verify reports whether password matches hash.
	Verify(password, hash string) (bool, error)
}

// PasswordStrength judges how easy a password is to guess (auth/password: zxcvbn).
type PasswordStrength interface {
	// Weak says why password is too easy to guess for a person whose own words (email
	// address, names, business name) are personal, or returns "" when it is strong
	// enough. The answer never quotes the password.
	Weak(password string, personal []string) string
}

// Caller is the authenticated principal a face hands to the product packages.
type Caller struct {
	TenantID    string
	Region      string // AWS faces: the region the request was signed for
	DirectoryID string // Amazon Business: the business; WorkDocs token callers: the organization
	UserID      string // WorkDocs token callers: the user the Authentication token belongs to
	AccessKeyID string // AWS faces: the access key that signed the request (IAM policies, the audit trail)
	// Credential is the kind of credential auth accepted (a Credential* constant), for
	// the audit trail.
	Credential string
}

// Kinds of credential a Caller authenticated with.
const (
	CredentialAccessKey     = "access-key"     // a SigV4 signature
	CredentialBusinessToken = "business-token" // an Amazon Business access token
	CredentialWorkDocsToken = "workdocs-token" // a WorkDocs Authentication token
)

// Service is the core the product packages (chime, workdocs, alexa, business), invite
// and operator are built on: the store, the clock and randomness, the password-hash
// gate and the settings they share. Its zero value is not usable; set Store and
// Passwords, and optionally the rest.
type Service struct {
	Store     Store
	Passwords PasswordHasher
	// Strength, when set, refuses guessable passwords on the invitation page.
	Strength PasswordStrength
	// Policies parses IAM policy documents before they are stored (principal.go).
	Policies PolicyChecker
	// Now and Rand are the clock and the randomness; injected so tests can fix them.
	// Times are kept to the millisecond, the precision every store keeps.
	Now  func() time.Time
	Rand io.Reader
	// PublicURL is the base of links in mail, e.g. http://127.0.0.1:4566.
	PublicURL string
	// InvitationTTL is how long an invitation link works (default 7 days).
	InvitationTTL time.Duration
	// IdempotencyRetention is how long a client token is honoured (default
	// DefaultIdempotencyRetention).
	IdempotencyRetention time.Duration
	// HashSlots bounds the password hashes running at once (0: one per CPU), and so the
	// memory they take: each holds the argon2id memory cost until it ends. HashWait is
	// how long a hash waits for a slot before the request is Throttled (0:
	// DefaultHashWait).
	HashSlots int
	HashWait  time.Duration
	hashes    hashGate

	// SessionIdle and SessionLifetime bound a console session (defaults
	// DefaultSessionIdle, DefaultSessionLifetime).
	SessionIdle, SessionLifetime time.Duration
	// MailQueued, when set, is called after a commit that queued mail in the outbox (the
	// dispatcher's Notify), so an invitation goes out at once rather than at the next poll.
	MailQueued func()
	// TraceContext, when set (tracing is on), returns the W3C traceparent and tracestate
	// of the span in ctx; mail queued for a request keeps them (Message.TraceParent), so
	// its sending is traced in the request's trace. Nil: nothing is formatted.
	TraceContext func(ctx context.Context) (traceparent, tracestate string)

	replaced replacedHooks // see OnStateReplaced
}

// NotifyMailQueued tells the dispatcher, if there is one, that committed mail is
// waiting. Call it after the commit that queued the mail.
func (s *Service) NotifyMailQueued() {
	if s.MailQueued != nil {
		s.MailQueued()
	}
}

// TraceOf returns the trace context of ctx (TraceContext), or "", "" when tracing is
// off.
func (s *Service) TraceOf(ctx context.Context) (traceparent, tracestate string) {
	if s.TraceContext == nil {
		return "", ""
	}
	return s.TraceContext(ctx)
}

// NewUUID returns a new version 7 UUID (see newUUID).
func (s *Service) NewUUID() string { return s.newUUID() }

// Random returns n bytes of the Service's randomness.
func (s *Service) Random(n int) []byte { return s.random(n) }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Millisecond)
	}
	return time.Now().UTC().Truncate(time.Millisecond)
}

func (s *Service) random(n int) []byte {
	b := make([]byte, n)
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, b); err != nil {
		panic("rollcall: randomness unavailable: " + err.Error())
	}
	return b
}

// newUUID returns a version 7 UUID: the creation time in milliseconds, then 74 random
// bits. IDs made later sort later, so a store's ID indexes grow at their right edge: a
// group commit of many creates writes a few pages, where random (version 4) IDs put
// every row on a page of its own (3.7x the durable inserts per second, BenchmarkInsertUserParallel).
//
// Its random bytes stay on the stack unless a test injected Rand: a read through
// io.Reader moves its buffer to the heap, crypto/rand.Read does not (every create
// makes one ID, and the bytes were an allocation of their own).
func (s *Service) newUUID() string {
	var b [16]byte
	if s.Rand != nil {
		copy(b[:], s.random(16))
	} else {
		rand.Read(b[:]) // never fails: the runtime ends the process if it cannot
	}
	ms := uint64(s.now().UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return FormatUUID(&b)
}

// FormatUUID writes b in the canonical form of a UUID: 8-4-4-4-12 lower-case hex digits.
func FormatUUID(b *[16]byte) string {
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	hex.Encode(out[9:13], b[4:6])
	hex.Encode(out[14:18], b[6:8])
	hex.Encode(out[19:23], b[8:10])
	hex.Encode(out[24:36], b[10:16])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
}

func (s *Service) newHex(n int) string { return hex.EncodeToString(s.random(n)) }

// newToken returns a high-entropy bearer token and its SHA-256 hash.
func (s *Service) newToken() (token, hash string) {
	token = base64.RawURLEncoding.EncodeToString(s.random(32))
	return token, HashToken(token)
}

// HashToken returns the hex SHA-256 of a high-entropy token; only this is stored. It
// hashes the token in place (Sum256 neither keeps nor changes its input) and allocates
// only the result: an Amazon Business create hashes two tokens.
func HashToken(token string) string {
	sum := sha256.Sum256(unsafe.Slice(unsafe.StringData(token), len(token)))
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	return string(h[:])
}

// DirectoryOf loads a directory and checks that the caller's tenant owns it and that it
// is of the wanted kind. Anything else is notFound(id), so tenants cannot probe each
// other; the error is made only then, not on every call that finds the directory.
func DirectoryOf(tx Tx, c Caller, id string, kind DirectoryKind, notFound func(id string) *Error) (*Directory, error) {
	return directoryOf(tx, c, id, kind, notFound)
}

func directoryOf(tx Tx, c Caller, id string, kind DirectoryKind, notFound func(id string) *Error) (*Directory, error) {
	d, err := tx.Directory(id)
	if IsKind(err, NotFound) || (err == nil && (d.TenantID != c.TenantID || d.Kind != kind)) {
		return nil, notFound(id)
	}
	return d, err
}
