package operator

import (
	"context"

	"github.com/rollcall/rollcall"
)

// Messages lists outbox messages for the admin API and the console, without live
// invitation links.
func (s *Service) Messages(ctx context.Context, f rollcall.MessageFilter) ([]*rollcall.Message, error) {
	var out []*rollcall.Message
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		out, err = tx.Messages(f)
		return err
	})
	for i, m := range out {
		out[i] = m.Redacted()
	}
	return out, rollcall.WithOp("ListMessages", err)
}

// CountMessages counts outbox messages, for the console's front page.
func (s *Service) CountMessages(ctx context.Context, f rollcall.MessageFilter) (int, error) {
	var n int
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		n, err = tx.CountMessages(f)
		return err
	})
	return n, rollcall.WithOp("CountMessages", err)
}

// Tenants lists every tenant, for the admin API.
func (s *Service) Tenants(ctx context.Context) ([]*rollcall.Tenant, error) {
	var out []*rollcall.Tenant
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		out, err = tx.Tenants()
		return err
	})
	return out, rollcall.WithOp("ListTenants", err)
}
