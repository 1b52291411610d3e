package postgres

import (
	"context"

	"github.com/rollcall/rollcall"
)

// ProbeWrite commits a transaction as every Update does (its commit marker is the only
// row it writes; see commit.go) and returns the Update's error: Unavailable while the
// server is down, read-only or out of space.
func (s *Store) ProbeWrite(ctx context.Context) error {
	return s.Update(ctx, func(rt rollcall.Tx) error {
		// A statement begins the transaction; it changes nothing.
		_, err := rt.(*tx).exec("health probe", `DELETE FROM rollcall_commits WHERE id = ''`)
		return err
	})
}

var _ rollcall.WriteProber = (*Store)(nil)
