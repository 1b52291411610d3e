package postgres

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
)

// Group commit. A commit waits for its WAL flush, so one transaction per Update makes a
// replica's rate the pool size over the flush time. Instead, Updates are handed to a few
// committer goroutines; each takes every Update waiting at that moment (up to maxGroup;
// while two groups are in flight it waits for more, see gather),
// runs them in one transaction, each inside its own savepoint, and commits once: one
// flush acknowledges the group. Writes are deferred where they can be (tx.go), so the
// statements of many Updates go in one round trip; an Update that sends nothing before
// its fn returns needs no savepoint (its deferred writes are dropped if fn fails), so
// its savepoint goes out only with the first statement it sends.
//
// Each Update's outcome stays what it would be alone:
//   - an fn that returns an error has its savepoint rolled back (or its deferred writes
//     dropped); the others keep theirs;
//   - uniqueness is the unique constraints' answer (INSERT ... ON CONFLICT DO NOTHING
//     fails nothing, and guarded writes undo themselves), so two Updates of one group
//     see each other exactly as two transactions in sequence would; a speculative
//     InsertUser (tx.go) that meets a taken key rolls the group back, and the group runs
//     again with that Update's inserts not speculative;
//   - anything else (a statement that failed in a way that may abort the transaction, a
//     serialization failure, a failed COMMIT that may be retried, a panic) sends the
//     Updates concerned back to run alone, on the one-transaction path with its retries:
//     fn may run more than once, which the Store contract allows.

const (
	maxGroup       = 128
	sqlReqSave     = "SAVEPOINT rollcall_req"
	sqlReqRelease  = "RELEASE SAVEPOINT rollcall_req"
	sqlReqRollback = "ROLLBACK TO SAVEPOINT rollcall_req; RELEASE SAVEPOINT rollcall_req"
)

// groupReq is one Update waiting for a committer.
type groupReq struct {
	ctx  context.Context
	fn   func(rollcall.Tx) error
	done chan error // buffered
}

// groupCounters back GroupStats.
type groupCounters struct{ groups, grouped, alone atomic.Int64 }

// groupFlow paces the committers (gather): collecting is the one turn to collect a group,
// inFlight counts the groups running, groupDone says one ended; lingerMax is maxLinger
// but in tests.
type groupFlow struct {
	collecting chan struct{} // capacity 1
	groupDone  chan struct{} // capacity 1
	inFlight   atomic.Int32
	lingerMax  time.Duration
}

// GroupStats counts the group commits since Open: transactions committed, the Updates
// they committed, and the Updates sent to run alone.
type GroupStats struct{ Commits, Committed, Alone int64 }

// GroupStats returns the counters; Committed/Commits is how many Updates one WAL flush
// acknowledged, on average.
func (s *Store) GroupStats() GroupStats {
	return GroupStats{Commits: s.groups.Load(), Committed: s.grouped.Load(), Alone: s.alone.Load()}
}

// What goes ahead of a request's first statement: open its savepoint, releasing the
// one before (a batch takes one statement per entry).
var (
	saveFirst = []queued{{query: sqlReqSave, fixed: true}}
	saveNext  = []queued{{query: sqlReqRelease, fixed: true}, {query: sqlReqSave, fixed: true}}
)

// errAlone answers an Update that must run on its own transaction.
var errAlone = errors.New("postgres: run alone")

// submit hands fn to a committer and waits for its outcome; errAlone means it did not
// commit and is to be run alone. If no committer takes it before ctx ends or the store
// closes, it returns that error and fn has not run.
func (s *Store) submit(ctx context.Context, fn func(rollcall.Tx) error) error {
	if s.group == nil { // group commits are off
		return errAlone
	}
	r := &groupReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.group <- r:
	case <-s.stop:
		return errClosed()
	case <-ctx.Done():
		return canceled("update", ctx.Err())
	}
	err := <-r.done
	if errors.Is(err, errAlone) {
		s.alone.Add(1)
	}
	return err
}

// committer runs groups until the store closes. The channel is unbuffered, so a request
// is either taken by a committer, which answers it, or still with its caller. If an fn
// calls runtime.Goexit (t.FailNow in a test), the goroutine ends whatever it does: the
// group's requests that are not answered yet are sent to run alone (where Goexit ends
// their caller, as it would without groups) and a new committer takes over.
//
// A committer keeps its connection from one group to the next (when the pool has room
// for the Views and the Updates that run alone beside it, holdConns): the groups of a
// replica run on the same few backends, whatever the Views do. Given back to the pool
// after each group, a connection went to the most recent taker, so a burst of Views
// (the access-key cache of every signed face expires each second, and 64 clients miss
// it at once) spread the writes over every backend of the pool, each faulting in the
// shared buffers it had not touched yet, and the groups waited for a connection behind
// the Views.
func (s *Store) committer() {
	batch := make([]*groupReq, 0, maxGroup)
	var inflight []*groupReq
	var held *pooledConn
	clean, running := false, false
	defer func() {
		if running {
			s.groupEnded()
		}
		if held != nil {
			s.pool.release(held)
		}
		if !clean {
			answer(inflight, errAlone)
			go s.committer()
		}
	}()
	for {
		batch = s.gather(batch[:0])
		if len(batch) == 0 { // the store closed
			clean = true
			return
		}
		running = true
		if held != nil && !s.pool.reusable(held) { // broken by the last group, or idle too long
			s.pool.release(held) // closed if broken; else the pool's acquire checks it
			held = nil
		}
		s.runGroup(batch, &inflight, &held)
		if held != nil && !s.holdConns {
			s.pool.release(held)
			held = nil
		}
		running = false
		s.groupEnded()
		clear(batch)
	}
}

// A group starts at once when it has minGroup requests or fewer than lingerBehind other
// groups are in flight; else it waits for more, until one of those groups ends or
// maxLinger has passed. A commit costs the server about what a few creates do (its
// BEGIN, directory check, marker and WAL flush), and an idle committer used to take
// whatever waited at that moment: about half the groups carried one create. One group
// in flight does not make the next wait: at a few clients that halved the groups but
// cost 7% of the rate. maxLinger bounds the wait when the groups in flight are slow, or
// wait themselves for this one (an fn's nested Update).
const (
	minGroup     = 16
	lingerBehind = 2
	maxLinger    = 10 * time.Millisecond
)

// gather waits for the committers' one turn to collect, then for a request, and returns
// the group to run: what waits on the channel and, while other groups are in flight,
// what comes as long as it lingers (see minGroup). It returns an empty batch when the
// store closes before a request comes; the group it returns counts in flight until
// groupEnded.
func (s *Store) gather(batch []*groupReq) []*groupReq {
	select {
	case s.collecting <- struct{}{}:
	case <-s.stop:
		return batch
	}
	defer func() { <-s.collecting }()
	select {
	case r := <-s.group:
		batch = append(batch, r)
	case <-s.stop:
		return batch
	}
	select {
	case <-s.groupDone: // an end that came before this group began
	default:
	}
	var linger *time.Timer
	for {
		batch = drain(s.group, batch)
		if len(batch) >= minGroup || s.inFlight.Load() < lingerBehind {
			break
		}
		if linger == nil {
			linger = time.NewTimer(s.lingerMax)
			defer linger.Stop()
		}
		select {
		case r := <-s.group:
			batch = append(batch, r)
			continue
		case <-s.groupDone:
		case <-linger.C:
		case <-s.stop:
		}
		break
	}
	s.inFlight.Add(1)
	return batch
}

// groupEnded counts a group out of flight and wakes the committer collecting, if any.
func (s *Store) groupEnded() {
	s.inFlight.Add(-1)
	select {
	case s.groupDone <- struct{}{}:
	default:
	}
}

// drain appends to batch what waits on ch at this moment, up to maxGroup in all.
func drain[T any](ch <-chan T, batch []T) []T {
	for len(batch) < maxGroup {
		select {
		case r := <-ch:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// runGroup runs one group in one transaction and answers every request in it, on
// *held, or on a connection it takes from the pool and leaves in *held.
func (s *Store) runGroup(batch []*groupReq, inflight *[]*groupReq, held **pooledConn) {
	*inflight = nil
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- canceled("update", err)
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	pc := *held
	if pc == nil {
		var err error
		if pc, err = s.pool.acquire(context.Background()); err != nil {
			answer(live, errAlone) // each finds out alone, with its own context
			return
		}
		*held = pc
	}
	// release gives the connection back at once when a COMMIT's outcome is unknown (see
	// tryGroup); one left held that is not fit for the next group goes back when the
	// committer checks it before that group (reusable).
	released := false
	release := func() {
		if !released {
			released, *held = true, nil
			s.pool.release(pc)
		}
	}
	*inflight = live // not cleared by a defer: the committer's runs after this one's
	// A speculative insert that fails rolls the group back; it runs again with no
	// insert speculative (tx.go), as it would have without speculation.
	if !s.tryGroup(live, pc, release, true, inflight) && !s.tryGroup(live, pc, release, false, inflight) {
		answer(live, errAlone) // not reached: nothing fails speculatively when nothing speculates
	}
}

// tryGroup runs the group in one transaction and, done, answers every request in it;
// or, when a speculative insert failed, rolls the transaction back and answers none.
func (s *Store) tryGroup(live []*groupReq, pc *pooledConn, release func(), spec bool, inflight *[]*groupReq) (done bool) {
	ctx := context.Background()
	// The transaction begins with the first statement, in its round trip (see tx).
	var ptx pgx.Tx
	opts := pgx.TxOptions{IsoLevel: pgx.Serializable, AccessMode: pgx.ReadWrite}
	errs := make([]error, len(live))
	kept, saved := 0, false
	// carry goes ahead of the next request's first statement, or with the COMMIT: the
	// deferred writes of the requests kept (see tx).
	var carry []queued
	checks := &checked{} // the transaction's directory checks (dircache.go)
	for i, r := range live {
		// The savepoint goes out with fn's first statement sent, if any (see tx.save).
		save := saveFirst
		if saved {
			save = saveNext
		}
		mark, checkMark := len(carry), checks.mark()
		t := &tx{ctx: context.WithoutCancel(r.ctx), conn: pc.conn, opts: opts, tx: ptx, ahead: carry, mark: mark, save: save,
			dirs: s.dirs, spec: spec, checked: checks}
		ferr := runFn(t, r.fn)
		if ferr != nil && !t.aborted && !errors.Is(ferr, errPanicked) {
			_ = t.checkRead() // a failure dooms the transaction (t.retry, t.doomed)
		}
		ptx = t.tx
		switch {
		case t.specFailed:
			rollback(ptx)
			return false
		case t.retry != nil || t.doomed:
			// The transaction is doomed (a serialization failure, or a statement sent
			// ahead, maybe an earlier request's deferred write, failed): run every request
			// alone (the one-transaction path retries serialization failures itself).
			if ptx != nil {
				rollback(ptx)
			}
			if t.retry != nil {
				s.retried()
			}
			answer(live, errAlone)
			return true
		case ferr == nil && !t.aborted:
			kept++
			carry, saved = t.ahead, saved || t.sent
			continue
		case t.aborted || errors.Is(ferr, errPanicked):
			errs[i] = errAlone // whatever fn made of a failed statement, it meets it alone
		default:
			errs[i] = ferr
		}
		if !t.sent { // nothing of fn's reached the server: drop its deferred writes
			carry = t.ahead[:mark]
			checks.dropUnsent(checkMark)
			continue
		}
		// Its savepoint is open: undo to it (its deferred writes, unsent, go with it).
		carry = nil
		checks.dropUnsent(checkMark)
		if _, err := ptx.Exec(ctx, sqlReqRollback); err != nil {
			rollback(ptx)
			answer(live, errAlone)
			return true
		}
		saved = false
	}
	switch {
	case ptx == nil && len(carry) == 0: // no fn ran a statement: there is no transaction
	case kept == 0:
		rollback(ptx)
	default:
		ct := &tx{ctx: ctx, conn: pc.conn, opts: opts, tx: ptx, ahead: carry, dirs: s.dirs}
		err := s.commit(ctx, ct, kept)
		if ct.specFailed { // commit has rolled back
			return false
		}
		if uc, ok := errors.AsType[*uncertainCommit](err); ok {
			// The outcome is unknown until the server answers again, which may take as
			// long as resolve tries. The group's requests wait for it, as an Update alone
			// would; the committer does not: it goes on to fail the next requests fast
			// while the server is down, and to commit them once it is back.
			release() // the dead connection goes back before resolve takes another
			*inflight = nil
			go s.answerResolved(slices.Clone(live), errs, kept, uc)
			return true
		}
		s.settle(errs, kept, err)
	}
	answerEach(live, errs)
	return true
}

// answerResolved settles a group's unknown COMMIT outcome (one transaction: one marker
// settles the whole group) and answers its requests: nil if it committed, Unavailable
// if it did not, Internal if it cannot be told (see resolve). Never success for a write
// that is not there.
func (s *Store) answerResolved(live []*groupReq, errs []error, kept int, uc *uncertainCommit) {
	s.settle(errs, kept, s.resolve(uc))
	answerEach(live, errs)
}

// settle records the outcome of a group's COMMIT, err, as the answer of every request
// that was to be kept: on failure the error, or errAlone when another attempt may
// succeed.
func (s *Store) settle(errs []error, kept int, err error) {
	if err != nil {
		cerr := err
		if _, ok := errors.AsType[*aheadFailed](err); ok {
			cerr = errAlone // a deferred write failed: whose, each finds out alone
		} else if re, ok := errors.AsType[*rollcall.Error](err); ok && retryable(re.Err) {
			cerr = errAlone
			s.retried()
		}
		for i := range errs {
			if errs[i] == nil {
				errs[i] = cerr
			}
		}
		return
	}
	s.groups.Add(1)
	s.grouped.Add(int64(kept))
}

var errPanicked = errors.New("postgres: fn panicked")

// runFn runs fn, turning a panic into an error (the request then runs alone, where the
// panic reaches its caller). A runtime.Goexit in fn ends the committer; see Update.
func runFn(t *tx, fn func(rollcall.Tx) error) (err error) {
	defer func() {
		t.done = true
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v\n%s", errPanicked, p, debug.Stack())
		}
	}()
	return fn(t)
}

func answerEach(batch []*groupReq, errs []error) {
	for i, r := range batch {
		r.done <- errs[i]
	}
}

func answer(batch []*groupReq, err error) {
	for _, r := range batch {
		r.done <- err
	}
}
