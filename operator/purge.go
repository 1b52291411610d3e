package operator

import (
	"context"
	"time"

	"github.com/rollcall/rollcall"
)

// Expired credentials are deleted in the background (cmd runs PurgeExpired every
// PurgeInterval): access tokens and temporary access keys past their expiry, console
// sessions ended or idle, and invitations InvitationRetention after they expired (until
// then their link still says "expired" rather than "not valid").
const (
	PurgeInterval       = 10 * time.Minute
	InvitationRetention = 30 * 24 * time.Hour
	purgeBatch          = 1000 // rows of each kind per transaction, so no purge holds the writer long
)

// PurgeExpired deletes what can no longer be used and returns how many rows it deleted.
func (s *Service) PurgeExpired(ctx context.Context) (int, error) {
	idle, _ := s.Core.SessionBounds()
	total := 0
	for {
		now := s.Core.Time()
		c := rollcall.PurgeCutoffs{Now: now, SessionsIdleSince: now.Add(-idle),
			InvitationsExpiredBy: now.Add(-InvitationRetention), Limit: purgeBatch}
		var n int
		err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) (err error) {
			n, err = tx.PurgeExpired(c)
			return err
		})
		if err != nil {
			return total, rollcall.WithOp("PurgeExpired", err)
		}
		total += n
		if n < purgeBatch || ctx.Err() != nil {
			return total, nil
		}
	}
}

// PurgeIdempotency deletes the records of client tokens past their window
// (rollcall.Service.IdempotencyCutoff), purgeBatch per transaction, and returns how
// many it deleted.
func (s *Service) PurgeIdempotency(ctx context.Context) (int, error) {
	before := s.Core.IdempotencyCutoff()
	total := 0
	for {
		var n int
		err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) (err error) {
			n, err = tx.PurgeIdempotency(before, purgeBatch)
			return err
		})
		if err != nil {
			return total, rollcall.WithOp("PurgeIdempotency", err)
		}
		total += n
		if n < purgeBatch || ctx.Err() != nil {
			return total, nil
		}
	}
}
