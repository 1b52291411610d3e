package rollcall

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// PasswordHasher turns a human password into a slow, salted hash (argon2id).
type PasswordHasher interface {
	Hash(password string) (string, error)
	// Verify reports whether password matches hash.
	Verify(password, hash string) (bool, error)
}

// Caller is the authenticated principal a face hands to the Service.
type Caller struct {
	TenantID    string
	Region      string // AWS faces: the region the request was signed for
	DirectoryID string // Amazon Business: the business; WorkDocs token callers: the organization
	UserID      string // WorkDocs token callers: the user the Authentication token belongs to
}

// Service holds the business rules of the directory. Its zero value is not usable; set
// Store and Passwords, and optionally the rest.
type Service struct {
	Store     Store
	Passwords PasswordHasher
	// Now and Rand are the clock and the randomness; injected so tests can fix them.
	// Times are kept to the millisecond, the precision every store keeps.
	Now  func() time.Time
	Rand io.Reader
	// PublicURL is the base of links in mail, e.g. http://127.0.0.1:4566.
	PublicURL string
	// InvitationTTL is how long an invitation link works (default 7 days).
	InvitationTTL time.Duration
	// AccessTokenTTL is how long an issued Amazon Business access token works (default 1 hour).
	AccessTokenTTL time.Duration
	// SessionIdle and SessionLifetime bound a console session (defaults
	// DefaultSessionIdle, DefaultSessionLifetime).
	SessionIdle, SessionLifetime time.Duration
	// MailQueued, when set, is called after a commit that queued mail in the outbox (the
	// dispatcher's Notify), so an invitation goes out at once rather than at the next poll.
	MailQueued func()
}

// mailQueued tells the dispatcher, if there is one, that committed mail is waiting.
func (s *Service) mailQueued() {
	if s.MailQueued != nil {
		s.MailQueued()
	}
}

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

// newUUID returns a random (version 4) UUID.
func (s *Service) newUUID() string {
	b := s.random(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func (s *Service) newHex(n int) string { return hex.EncodeToString(s.random(n)) }

// newToken returns a high-entropy bearer token and its SHA-256 hash.
func (s *Service) newToken() (token, hash string) {
	token = base64.RawURLEncoding.EncodeToString(s.random(32))
	return token, HashToken(token)
}

// HashToken returns the hex SHA-256 of a high-entropy token; only this is stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// directoryOf loads a directory and checks that the caller's tenant owns it and that it
// is of the wanted kind. Anything else is NotFound, so tenants cannot probe each other.
func directoryOf(tx Tx, c Caller, id string, kind DirectoryKind, notFound *Error) (*Directory, error) {
	d, err := tx.Directory(id)
	if IsKind(err, NotFound) || (err == nil && (d.TenantID != c.TenantID || d.Kind != kind)) {
		return nil, notFound
	}
	return d, err
}
