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
	// idempotencyPurgeBatch is smaller: on PostgreSQL records are indexed by their
	// random tokens, so each one deleted dirties an index page of its own. Purging 100k
	// records under a4b load at 64 clients (SQLite, then with that index too), 1000 a
	// batch cut creates/s by 65-75% for the 3-4 s it took and doubled their p99; 250 cut
	// them by 20-30% for 8 s, p99 as without. SQLite has no token index since migration
	// 0450 (0.09 pages written per record purged against 1.04); the batch is not
	// re-measured there.
	idempotencyPurgeBatch = 250
)

// PurgeExpired deletes what can no longer be used and returns how many rows it deleted.
func (s *Service) PurgeExpired(ctx context.Context) (int, error) {
	idle, _ := s.Core.SessionBounds()
	return s.purgeBatches(ctx, "PurgeExpired", purgeBatch, func(tx rollcall.Tx) (int, error) {
		now := s.Core.Time()
		return tx.PurgeExpired(rollcall.PurgeCutoffs{Now: now, SessionsIdleSince: now.Add(-idle),
			InvitationsExpiredBy: now.Add(-InvitationRetention), Limit: purgeBatch})
	})
}

// PurgeIdempotency deletes the records of client tokens past their window
// (rollcall.Service.IdempotencyCutoff) and returns how many it deleted.
func (s *Service) PurgeIdempotency(ctx context.Context) (int, error) {
	before := s.Core.IdempotencyCutoff()
	return s.purgeBatches(ctx, "PurgeIdempotency", idempotencyPurgeBatch, func(tx rollcall.Tx) (int, error) {
		return tx.PurgeIdempotency(before, idempotencyPurgeBatch)
	})
}

// purgeBatches runs purge, a transaction each time, until it deletes fewer than
// batch rows, and returns how many it deleted in all.
func (s *Service) purgeBatches(ctx context.Context, op string, batch int, purge func(rollcall.Tx) (int, error)) (int, error) {
	total := 0
	for {
		var n int
		err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) (err error) {
			n, err = purge(tx)
			return err
		})
		if err != nil {
			return total, rollcall.WithOp(op, err)
		}
		total += n
		if n < batch || ctx.Err() != nil {
			return total, nil
		}
	}
}
