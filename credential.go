package rollcall

import "time"

// Credentials are checked and issued by package auth; the core keeps what the store and
// the purge share: the kinds of AccessToken rows, how a login client is keyed, the
// Session record and its bounds, and the clock and randomness auth issues with.

// Kinds of AccessToken rows: every bearer credential is kept as the SHA-256 of its
// value (for a login client, of "client:" + its ID).
const (
	TokenAccess   = "access"   // an Amazon Business access token (x-amz-access-token)
	TokenRefresh  = "refresh"  // a Login-with-Amazon refresh token
	TokenClient   = "client"   // a login client: maps its client ID to its business
	TokenWorkDocs = "workdocs" // a WorkDocs Authentication token
)

// ClientKey is the hash a login client's AccessToken row is kept under.
func ClientKey(clientID string) string { return HashToken("client:" + clientID) }

// Console sessions are kept server-side: the cookie holds only a random ID, the store
// keeps its SHA-256, so every replica sees a sign-out at once and nothing a reader of
// the data directory holds can mint one.
const (
	DefaultSessionIdle     = 30 * time.Minute // ended after this long without a request
	DefaultSessionLifetime = 12 * time.Hour   // ended this long after sign-in, however active
)

// Session is a console sign-in.
type Session struct {
	Hash       string // hex SHA-256 of the random ID in the cookie
	Binding    string // fingerprint of the admin token it was opened with
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // CreatedAt + lifetime, whatever the activity
}

// SessionBounds returns how long a console session may stay idle and live at most.
func (s *Service) SessionBounds() (idle, lifetime time.Duration) {
	lifetime = s.SessionLifetime
	if lifetime <= 0 {
		lifetime = DefaultSessionLifetime
	}
	return s.sessionIdle(), lifetime
}

func (s *Service) sessionIdle() time.Duration {
	if s.SessionIdle > 0 {
		return s.SessionIdle
	}
	return DefaultSessionIdle
}

// Time is the service's clock, in UTC to the millisecond (what every store keeps).
func (s *Service) Time() time.Time { return s.now() }

// NewToken returns a high-entropy bearer token (32 random bytes, base64url) and its
// SHA-256 hash, from the service's randomness.
func (s *Service) NewToken() (token, hash string) { return s.newToken() }

// NewHex returns n random bytes in hex, from the service's randomness.
func (s *Service) NewHex(n int) string { return s.newHex(n) }

// Expired reports whether a credential that expires at at (zero: never) has expired by now.
func Expired(at, now time.Time) bool { return !at.IsZero() && !now.Before(at) }
