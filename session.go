package rollcall

import (
	"context"
	"crypto/subtle"
	"time"
)

// Console sessions are kept server-side: the cookie holds only a random ID, the store
// keeps its SHA-256, so every replica sees a sign-out at once and nothing a reader of
// the data directory holds can mint one.
const (
	DefaultSessionIdle     = 30 * time.Minute // ended after this long without a request
	DefaultSessionLifetime = 12 * time.Hour   // ended this long after sign-in, however active
	// sessionTouchEvery: LastSeenAt is written at most this often, so most page loads
	// are reads. The idle timeout is therefore honoured to within this much.
	sessionTouchEvery = time.Minute
)

// Session is a console sign-in.
type Session struct {
	Hash       string // hex SHA-256 of the random ID in the cookie
	Binding    string // fingerprint of the admin token it was opened with
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // CreatedAt + lifetime, whatever the activity
}

func (s *Service) sessionIdle() time.Duration {
	if s.SessionIdle > 0 {
		return s.SessionIdle
	}
	return DefaultSessionIdle
}

func (s *Service) sessionLifetime() time.Duration {
	if s.SessionLifetime > 0 {
		return s.SessionLifetime
	}
	return DefaultSessionLifetime
}

// SessionBinding is the fingerprint a session is bound to: derived from the admin token's
// hash, so changing the admin token ends every session, and not usable as either.
func SessionBinding(adminTokenHash string) string {
	return HashToken("rollcall console session binding\x00" + adminTokenHash)
}

// StartSession opens a console session bound to binding and returns its ID (for the
// cookie only) and the session.
func (s *Service) StartSession(ctx context.Context, binding string) (string, *Session, error) {
	id, hash := s.newToken()
	now := s.now()
	ses := &Session{Hash: hash, Binding: binding, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.sessionLifetime())}
	err := s.Store.Update(ctx, func(tx Tx) error { return tx.InsertSession(ses) })
	if err != nil {
		return "", nil, WithOp("StartSession", err)
	}
	return id, ses, nil
}

var errNoSession = &Error{Kind: Unauthorized, Message: "The console session has ended: sign in again."}

// CheckSession returns the live session with the ID id opened under binding, and records
// the activity; anything else (unknown, ended, idle too long, opened with another admin
// token) is Unauthorized.
func (s *Service) CheckSession(ctx context.Context, id, binding string) (*Session, error) {
	const op = "CheckSession"
	if id == "" {
		return nil, WithOp(op, errNoSession)
	}
	hash := HashToken(id)
	var ses *Session
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		ses, err = tx.Session(hash)
		return err
	})
	if IsKind(err, NotFound) {
		return nil, WithOp(op, errNoSession)
	}
	if err != nil {
		return nil, WithOp(op, err)
	}
	now := s.now()
	if subtle.ConstantTimeCompare([]byte(ses.Binding), []byte(binding)) != 1 ||
		!now.Before(ses.ExpiresAt) || !now.Before(ses.LastSeenAt.Add(s.sessionIdle())) {
		return nil, WithOp(op, errNoSession)
	}
	if now.Sub(ses.LastSeenAt) >= sessionTouchEvery {
		err = s.Store.Update(ctx, func(tx Tx) error {
			cur, err := tx.Session(hash)
			if err != nil {
				return err
			}
			cur.LastSeenAt = now
			return tx.UpdateSession(cur)
		})
		if IsKind(err, NotFound) { // signed out meanwhile
			return nil, WithOp(op, errNoSession)
		}
		if err != nil {
			return nil, WithOp(op, err)
		}
		ses.LastSeenAt = now
	}
	return ses, nil
}

// EndSession signs a session out; an unknown or ended one is not an error.
func (s *Service) EndSession(ctx context.Context, id string) error {
	err := s.Store.Update(ctx, func(tx Tx) error {
		err := tx.DeleteSession(HashToken(id))
		if IsKind(err, NotFound) {
			return nil
		}
		return err
	})
	return WithOp("EndSession", err)
}
