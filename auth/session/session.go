package session

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/rollcall/rollcall"
)

// touchEvery: LastSeenAt is written at most this often, so most page loads are reads.
// The idle timeout is therefore honoured to within this much.
const touchEvery = time.Minute

// Sessions are the console sessions of svc's store, bounded by svc.SessionBounds.
type Sessions struct{ svc *rollcall.Service }

// New returns the sessions of svc.
func New(svc *rollcall.Service) *Sessions { return &Sessions{svc: svc} }

// Binding is the fingerprint a session is bound to: derived from the admin token's hash,
// so changing the admin token ends every session, and not usable as either.
func Binding(adminTokenHash string) string {
	return rollcall.HashToken("rollcall console session binding\x00" + adminTokenHash)
}

// Start opens a console session bound to binding and returns its ID (for the cookie
// only) and the session.
func (s *Sessions) Start(ctx context.Context, binding string) (string, *rollcall.Session, error) {
	id, hash := s.svc.NewToken()
	now := s.svc.Time()
	_, lifetime := s.svc.SessionBounds()
	ses := &rollcall.Session{Hash: hash, Binding: binding, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(lifetime)}
	err := s.svc.Store.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertSession(ses) })
	if err != nil {
		return "", nil, rollcall.WithOp("StartSession", err)
	}
	return id, ses, nil
}

var errNoSession = &rollcall.Error{Kind: rollcall.Unauthorized, Message: "The console session has ended: sign in again."}

// Check returns the live session with the ID id opened under binding, and records the
// activity; anything else (unknown, ended, idle too long, opened with another admin
// token) is Unauthorized.
func (s *Sessions) Check(ctx context.Context, id, binding string) (*rollcall.Session, error) {
	const op = "CheckSession"
	if id == "" {
		return nil, rollcall.WithOp(op, errNoSession)
	}
	hash := rollcall.HashToken(id)
	var ses *rollcall.Session
	err := s.svc.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		ses, err = tx.Session(hash)
		return err
	})
	if rollcall.IsKind(err, rollcall.NotFound) {
		return nil, rollcall.WithOp(op, errNoSession)
	}
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	now := s.svc.Time()
	idle, _ := s.svc.SessionBounds()
	if subtle.ConstantTimeCompare([]byte(ses.Binding), []byte(binding)) != 1 ||
		!now.Before(ses.ExpiresAt) || !now.Before(ses.LastSeenAt.Add(idle)) {
		return nil, rollcall.WithOp(op, errNoSession)
	}
	if now.Sub(ses.LastSeenAt) >= touchEvery {
		err = s.svc.Store.Update(ctx, func(tx rollcall.Tx) error {
			cur, err := tx.Session(hash)
			if err != nil {
				return err
			}
			cur.LastSeenAt = now
			return tx.UpdateSession(cur)
		})
		if rollcall.IsKind(err, rollcall.NotFound) { // signed out meanwhile
			return nil, rollcall.WithOp(op, errNoSession)
		}
		if err != nil {
			return nil, rollcall.WithOp(op, err)
		}
		ses.LastSeenAt = now
	}
	return ses, nil
}

// End signs a session out; an unknown or ended one is not an error.
func (s *Sessions) End(ctx context.Context, id string) error {
	err := s.svc.Store.Update(ctx, func(tx rollcall.Tx) error {
		err := tx.DeleteSession(rollcall.HashToken(id))
		if rollcall.IsKind(err, rollcall.NotFound) {
			return nil
		}
		return err
	})
	return rollcall.WithOp("EndSession", err)
}
