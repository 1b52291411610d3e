package rollcall

import (
	"context"
)

// Messages lists outbox messages for the admin API and the console, without live
// invitation links.
func (s *Service) Messages(ctx context.Context, f MessageFilter) ([]*Message, error) {
	var out []*Message
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		out, err = tx.Messages(f)
		return err
	})
	for i, m := range out {
		out[i] = m.Redacted()
	}
	return out, WithOp("ListMessages", err)
}

// CountMessages counts outbox messages, for the console's front page.
func (s *Service) CountMessages(ctx context.Context, f MessageFilter) (int, error) {
	var n int
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		n, err = tx.CountMessages(f)
		return err
	})
	return n, WithOp("CountMessages", err)
}

// Tenants lists every tenant, for the admin API.
func (s *Service) Tenants(ctx context.Context) ([]*Tenant, error) {
	var out []*Tenant
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		out, err = tx.Tenants()
		return err
	})
	return out, WithOp("ListTenants", err)
}
