package operator

import (
	"context"
	"time"

	"github.com/rollcall/rollcall"
)

// AuditEvents lists one tenant's audit events, newest first, for the admin API, the
// console's timeline and `rollcall events export`.
func (s *Service) AuditEvents(ctx context.Context, f rollcall.AuditFilter) ([]*rollcall.AuditEvent, error) {
	return view(ctx, s, "ListEvents", func(tx rollcall.Tx) ([]*rollcall.AuditEvent, error) { return tx.AuditEvents(f) })
}

// AuditPurgeBatch is how many audit events one transaction of PurgeAuditEvents deletes,
// so that the purge never holds the writer for long.
const AuditPurgeBatch = 1000

// PurgeAuditEvents deletes every audit event older than before, in batches of
// AuditPurgeBatch, one transaction each, and returns how many it deleted.
func (s *Service) PurgeAuditEvents(ctx context.Context, before time.Time) (int, error) {
	total := 0
	for {
		var n int
		err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) (err error) {
			n, err = tx.PurgeAuditEvents(before, AuditPurgeBatch)
			return err
		})
		total += n
		if err != nil || n < AuditPurgeBatch {
			return total, rollcall.WithOp("PurgeAuditEvents", err)
		}
	}
}
