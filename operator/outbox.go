package operator

import (
	"context"
	"time"

	"github.com/rollcall/rollcall"
)

// Messages lists outbox messages for the admin API and the console, without live
// invitation links.
func (s *Service) Messages(ctx context.Context, f rollcall.MessageFilter) ([]*rollcall.Message, error) {
	out, err := view(ctx, s, "ListMessages", func(tx rollcall.Tx) ([]*rollcall.Message, error) { return tx.Messages(f) })
	for i, m := range out {
		out[i] = m.Redacted()
	}
	return out, err
}

// CountMessages counts outbox messages, for the console's front page.
func (s *Service) CountMessages(ctx context.Context, f rollcall.MessageFilter) (int, error) {
	return view(ctx, s, "CountMessages", func(tx rollcall.Tx) (int, error) { return tx.CountMessages(f) })
}

// Tenants lists every tenant, for the admin API.
func (s *Service) Tenants(ctx context.Context) ([]*rollcall.Tenant, error) {
	return view(ctx, s, "ListTenants", rollcall.Tx.Tenants)
}

// OutboxState is the outbox at a glance: the messages in each state, and when the
// oldest one still queued was queued (zero when none is).
type OutboxState struct {
	Queued, Sent, Failed int
	OldestQueued         time.Time
}

// Outbox reads the outbox's state in one snapshot, for the metrics' scrape.
func (s *Service) Outbox(ctx context.Context) (OutboxState, error) {
	var st OutboxState
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		for status, n := range map[string]*int{rollcall.MessageQueued: &st.Queued, rollcall.MessageSent: &st.Sent, rollcall.MessageFailed: &st.Failed} {
			if *n, err = tx.CountMessages(rollcall.MessageFilter{Status: status}); err != nil {
				return err
			}
		}
		st.OldestQueued, err = tx.OldestQueuedMessage()
		return err
	})
	return st, rollcall.WithOp("Outbox", err)
}
