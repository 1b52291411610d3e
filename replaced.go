package rollcall

import (
	"sync"
	"sync/atomic"
)

// A reset or a snapshot restore replaces the store's state under the running server.
// What keeps a copy of stored state in memory (a cache of access keys, rate-limit
// buckets) registers with OnStateReplaced, and the operator calls StateReplaced after
// such a commit, so no copy outlives the state it came from.
//
// A cache filled by a request that read the store before the replacement, and put what
// it read after the hooks emptied the cache, would keep the old state for its lifetime.
// So StateReplaced counts replacements (StateGeneration) before it runs the hooks: a
// cache notes the count before it reads the store and puts what it read only if the
// count is still that, checked under the lock its hook empties the cache under.
type replacedHooks struct {
	mu  sync.Mutex
	fns []func()
	gen atomic.Uint64
}

// StateGeneration is how many times the store's state was replaced (see replacedHooks).
func (s *Service) StateGeneration() uint64 { return s.replaced.gen.Load() }

// OnStateReplaced registers fn to run after the store's state was replaced.
func (s *Service) OnStateReplaced(fn func()) {
	s.replaced.mu.Lock()
	defer s.replaced.mu.Unlock()
	s.replaced.fns = append(s.replaced.fns, fn)
}

// StateReplaced runs every function registered with OnStateReplaced.
func (s *Service) StateReplaced() {
	s.replaced.gen.Add(1)
	s.replaced.mu.Lock()
	fns := append([]func(){}, s.replaced.fns...)
	s.replaced.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
