package rollcall

import "sync"

// A reset or a snapshot restore replaces the store's state under the running server.
// What keeps a copy of stored state in memory (a cache of access keys, rate-limit
// buckets) registers with OnStateReplaced, and the operator calls StateReplaced after
// such a commit, so no copy outlives the state it came from.
type replacedHooks struct {
	mu  sync.Mutex
	fns []func()
}

// OnStateReplaced registers fn to run after the store's state was replaced.
func (s *Service) OnStateReplaced(fn func()) {
	s.replaced.mu.Lock()
	defer s.replaced.mu.Unlock()
	s.replaced.fns = append(s.replaced.fns, fn)
}

// StateReplaced runs every function registered with OnStateReplaced.
func (s *Service) StateReplaced() {
	s.replaced.mu.Lock()
	fns := append([]func(){}, s.replaced.fns...)
	s.replaced.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}
