package auth

import (
	"context"
	"errors"
	"sync"
)

// flight makes concurrent reads of one key one read. The caches here expire every
// second, and under load every request signed with a key misses at once when its entry
// expires (64 clients: 64 reads of the same rows a second, on as many connections);
// one read answers them all.
type flight[V any] struct {
	mu    sync.Mutex
	calls map[flightKey]*flightCall[V]
}

// flightKey is a key under one generation of the store's state: a request that began
// after a reset or restore never takes the answer of a read begun before it.
type flightKey struct {
	id  string
	gen uint64
}

type flightCall[V any] struct {
	done chan struct{}
	v    V
	err  error
}

var errReadPanicked = errors.New("auth: a concurrent read of the same key panicked")

// do returns read's result for k, from the read already under way for k if there is
// one. A caller that joined a read whose own request was canceled reads for itself.
func (f *flight[V]) do(ctx context.Context, k flightKey, read func() (V, error)) (V, error) {
	f.mu.Lock()
	if c, ok := f.calls[k]; ok {
		f.mu.Unlock()
		select {
		case <-c.done:
			if isCanceled(c.err) && ctx.Err() == nil {
				return read()
			}
			return c.v, c.err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	if f.calls == nil {
		f.calls = map[flightKey]*flightCall[V]{}
	}
	c := &flightCall[V]{done: make(chan struct{}), err: errReadPanicked}
	f.calls[k] = c
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.calls, k)
		f.mu.Unlock()
		close(c.done)
	}()
	c.v, c.err = read()
	return c.v, c.err
}

func isCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
