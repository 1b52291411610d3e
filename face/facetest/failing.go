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

// FailUpdates is a store wrapper (Options.Store) that fails every Update with err and
// passes every View on to the real store: a write that fails after authentication,
// whose lookups work.
func FailUpdates(err error) func(rollcall.Store) rollcall.Store {
	return func(s rollcall.Store) rollcall.Store { return failingUpdates{s, err} }
}

type failingUpdates struct {
	rollcall.Store
	err error
}

func (s failingUpdates) Update(context.Context, func(rollcall.Tx) error) error { return s.err }
