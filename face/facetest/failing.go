package facetest

import (
	"context"
	"sync/atomic"

	"github.com/rollcall/rollcall"
)

// FailingStore fails every View and Update with the error in Fail while there is one,
// and passes them on to Store otherwise: a store outage a test switches on and off.
type FailingStore struct {
	rollcall.Store
	Fail *atomic.Pointer[rollcall.Error]
}

func (s FailingStore) View(ctx context.Context, fn func(rollcall.Tx) error) error {
	if err := s.Fail.Load(); err != nil {
		return err
	}
	return s.Store.View(ctx, fn)
}

func (s FailingStore) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	if err := s.Fail.Load(); err != nil {
		return err
	}
	return s.Store.Update(ctx, fn)
}
