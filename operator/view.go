package operator

import (
	"context"

	"github.com/rollcall/rollcall"
)

// view runs read in one read transaction and returns what it read, its error named op.
func view[T any](ctx context.Context, s *Service, op string, read func(rollcall.Tx) (T, error)) (T, error) {
	var out T
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		out, err = read(tx)
		return err
	})
	return out, rollcall.WithOp(op, err)
}
