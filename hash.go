package rollcall

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultHashWait is how long a password hash waits for a slot before the request is
// answered as throttled (the SDKs retry that with backoff).
const DefaultHashWait = 5 * time.Second

// hashGate bounds the password hashes running at once. Each argon2id hash holds its
// whole memory cost until it ends, and gives it back as it ends (HashPassword), so the
// number at once bounds the memory they take.
type hashGate struct {
	once    sync.Once
	slots   chan struct{}
	waiting atomic.Int64 // hashes waiting for a slot, for HashQueue
}

// HashQueue says how many password hashes wait for a slot and how many run now (the
// metrics' password-hash queue). It never blocks.
func (s *Service) HashQueue() (waiting, running int) {
	return int(s.hashes.waiting.Load()), len(s.hashSlots())
}

// hashSlots is the gate's channel of slots, made at first use.
func (s *Service) hashSlots() chan struct{} {
	s.hashes.once.Do(func() {
		n := s.HashSlots
		if n <= 0 {
			n = runtime.GOMAXPROCS(0) // hashing is CPU-bound: more at once gains nothing
		}
		s.hashes.slots = make(chan struct{}, n)
	})
	return s.hashes.slots
}

// errHashBusy is what a request gets when no hash slot frees up within HashWait.
var errHashBusy = &Error{Kind: Throttled, Message: "Too many passwords are being set at once; try again in a moment."}

// HashPassword hashes pw once a slot is free, waiting at most HashWait (Throttled after
// that). Callers do every check that can refuse the request first: a refused request
// must never cost a hash.
func (s *Service) HashPassword(ctx context.Context, pw string) (string, error) {
	slots := s.hashSlots()
	wait := s.HashWait
	if wait <= 0 {
		wait = DefaultHashWait
	}
	select {
	case slots <- struct{}{}:
	default:
		if err := s.hashes.wait(ctx, wait); err != nil {
			return "", err
		}
	}
	defer func() { <-slots }()
	h, err := s.Passwords.Hash(pw)
	// Collect the hash's memory now, while it still holds its slot. Left to itself the
	// collector lets the heap grow to twice what was live at its last cycle, and the
	// blocks of finished hashes pile up beside the running ones: 64 concurrent creates
	// then raised the peak by 116-153 MiB instead of 39-58 MiB.
	runtime.GC()
	return h, err
}

// wait takes a slot, waiting at most d, and counts itself as waiting meanwhile.
func (g *hashGate) wait(ctx context.Context, d time.Duration) error {
	g.waiting.Add(1)
	defer g.waiting.Add(-1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-t.C:
		return errHashBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}
