package sqlite

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rollcall/rollcall"
)

// request is one Update waiting for the writer.
type request struct {
	ctx  context.Context
	fn   func(rollcall.Tx) error
	done chan error // buffered: the writer never waits for the caller
	// alone, when set instead of fn, runs on the write connection outside any batch,
	// between two of them, with no transaction open (a restore, which must ATTACH).
	alone func(context.Context, *dbConn) error
	at    int64 // when Update handed it in (monotonic nanoseconds, see gather)
	// detached: its caller sends no next request once answered (rollcall.Detached, the
	// audit trail's writer), so gather counts it neither in a batch nor coming back.
	detached bool
}

var requests = sync.Pool{New: func() any { return &request{done: make(chan error, 1)} }}

// writer is the one goroutine that writes. It owns the write connection and group-
// commits: it takes the first waiting request, drains whatever else is waiting (up to
// maxBatch), runs them all in one transaction, each in its own savepoint, commits once,
// and only then answers them. One fsync acknowledges the whole batch.
type writer struct {
	c        *dbConn
	shm      shmFile // the database's -shm, for settling a failed COMMIT (wal.go)
	fenced   error   // set: a commit's outcome is unknown, and nothing may be written
	reqs     <-chan *request
	maxBatch int
	stats    *counters
	stopped  chan struct{} // closed when reqs is closed and drained
	kick     chan struct{} // to the checkpointer, after a commit
	restart  atomic.Bool   // the checkpointer asks for a RESTART checkpoint
	room     room          // the free space, watched when low (checkpoint.go)
	dirs     dirCache
	tokens   *tokenCache // the Store's
	idem     *idemIndex  // the Store's
	// idemGone: the rows the batch's Updates deleted, for the map once it commits;
	// idemReload: an Update deleted records in bulk, so the map is loaded again then.
	idemGone   []idemGone
	idemReload bool

	hooks       Hooks
	busyTimeout time.Duration // the connection's, restored after a RESTART
	nextRestart time.Time     // no RESTART attempt before then

	batch    []*request
	errs     []error
	inflight []*request // the batch being run, unanswered; for a fn that ends the goroutine
	rest     []*request // picked up, waiting for inflight to be retried; for the same
	poisoned error      // a statement failed in a way that may have ended the transaction
	next     *request   // an alone request picked up while filling a batch: it runs next

	// savepoints says whether the Updates of the running batch each run in a savepoint.
	// They do in a retry (commit's final) and in the careful batches that follow an
	// Update that failed after it wrote; in the others they do not, so an Update's
	// first change of each page is not copied to a sub-journal, and SAVEPOINT and
	// RELEASE are not run: an Update that fails after it wrote then rolls the batch back
	// instead (runBatch), which then runs again.
	savepoints bool
	careful    int        // batches left to run with savepoints
	args       []any      // a statement's arguments, reused (tx.args)
	auditBoxes auditBoxes // the audit columns' repeated arguments, boxed (audit.go)

	// gather: the last batch's size, when it was answered (monoNow), and how long it
	// took from being taken to being answered; the longest gather waits (maxGather),
	// and the timer it waits on.
	lastBatch    int
	lastAnswered int64
	lastTook     time.Duration
	maxGather    time.Duration
	gatherTimer  *time.Timer
}

// carefulBatches is how many batches run with savepoints after an Update failed after it
// wrote: such failures may come in a row (a client repeating a request that fails so),
// and each costs a rollback and a second commit of the Updates before it in its batch.
const carefulBatches = 16

// counters back Stats.
type counters struct {
	batches, commits, committed, failed, canceled, retried atomic.Int64
	maxBatch, runNanos, commitNanos, checkpoints, restarts atomic.Int64
}

func (w *writer) run() {
	clean := false
	defer func() {
		if clean {
			close(w.stopped)
			return
		}
		w.recoverGoexit()
	}()
	for {
		r := w.next
		w.next = nil
		if r == nil {
			var ok bool
			if r, ok = <-w.reqs; !ok {
				clean = true
				return
			}
		}
		if r.alone != nil {
			w.runAlone(r)
			continue
		}
		batch := append(w.batch[:0], r)
	fill:
		for len(batch) < w.maxBatch {
			select {
			case r, ok := <-w.reqs:
				if !ok {
					break fill // run what we have; the next receive sees the close
				}
				if r.alone != nil {
					w.next = r
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		batch = w.gather(batch)
		if n := int64(len(batch)); n > w.stats.maxBatch.Load() {
			w.stats.maxBatch.Store(n)
		}
		answered := callers(batch) // before runBatch, which may reorder batch
		taken := monoNow()
		w.runBatch(batch)
		w.lastBatch, w.lastAnswered = answered, monoNow()
		w.lastTook = time.Duration(w.lastAnswered - taken)
		clear(batch)
		w.batch = batch[:0]
		w.restartWAL()
		if answered <= yieldBatch && len(w.reqs) > 0 {
			runtime.Gosched() // see yieldBatch
		}
	}
}

// yieldBatch: after a batch this small, if more Updates wait, the writer yields its P
// before it starts the next one. Answering a request readies its goroutine on the
// writer's P, and the writer would go straight on into the next batch's statements,
// cgo calls too short for the scheduler to hand the P off, so the answered caller (its
// HTTP response) waited about as long as the next batch's statements took: at 4
// clients the handlers spent 0.4 ms of every request runnable but not running. With the
// yield, Chime CreateUser at 4 clients went from 886-1065 to 1122-1263 requests/s and
// the Update's p50 from 2.1-2.5 to 1.6-1.8 ms (three paired runs). Larger batches do not
// yield: the writer would queue behind all the goroutines it answered (64 clients:
// unchanged within the runs' spread).
const yieldBatch = 4

// gatherBatch: a batch of at most this many Updates, after one of at most as many,
// waits for the callers of the one before, when they have not all come back (gather).
const gatherBatch = yieldBatch

// maxGather bounds how long a batch waits for them.
const maxGather = 2 * time.Millisecond

// gather: at low load a few callers, each waiting for its Update before it sends the
// next, fall into halves that alternate: while one half's COMMIT syncs, the other
// half's Updates queue, so each Update waited for two COMMITs, the one in flight and
// its own (at 4 clients: queue p50 1.1 ms, COMMIT 1.6 ms, docs/throughput.md,
// 2026-12-02), and a slow fsync delayed both halves. So when a small batch holds fewer
// Updates handed in after the last batch was answered than that batch had, the callers
// just answered have not all come back: the batch waits for them, at most as long as
// the last batch took from being taken to being answered (and w.maxGather), as waiting
// longer would cost more than the batch it saves. A caller alone, or callers that each
// come back before the writer takes the next batch, never wait; a caller that comes
// alone after a batch of 2-4 that does not come back (no closed loop) waits the bound
// for nothing. At 4 clients Updates per commit went from 2.03 to 3.44, and in 18
// interleaved pairs of 8 s (three faces) the p50 was lower in 18, by 17-30%, the p99 in
// 16; at 1 client the p50 did not move (docs/throughput.md, 2026-12-02).
//
// Only callers that come back count (callers): a detached Update (the audit trail's
// batch of Chime's response rows, every ~20 ms) counted as one of the last batch's made
// the next batch wait the whole bound for a caller that never comes back; at 4 Chime
// clients the commit after each such batch started 1.6 ms after the one before instead
// of 0.5 ms (docs/throughput.md, 2026-12-02).
func (w *writer) gather(batch []*request) []*request {
	if callers(batch) > gatherBatch || w.lastBatch > gatherBatch || w.next != nil {
		return batch
	}
	back := 0
	for _, r := range batch {
		if r.at >= w.lastAnswered && !r.detached {
			back++
		}
	}
	if back >= w.lastBatch {
		return batch
	}
	wait := min(w.lastTook, w.maxGather)
	if wait <= 0 {
		return batch
	}
	if w.gatherTimer == nil {
		w.gatherTimer = time.NewTimer(wait)
	} else {
		w.gatherTimer.Reset(wait)
	}
	defer w.gatherTimer.Stop()
	for back < w.lastBatch && len(batch) < w.maxBatch {
		select {
		case r, ok := <-w.reqs:
			if !ok {
				return batch
			}
			if r.alone != nil {
				w.next = r
				return batch
			}
			batch = append(batch, r)
			if r.at >= w.lastAnswered && !r.detached {
				back++
			}
		case <-w.gatherTimer.C:
			return batch
		}
	}
	return batch
}

// callers is how many of batch's Updates have a caller that sends another once
// answered: all but the detached ones (gather).
func callers(batch []*request) int {
	n := 0
	for _, r := range batch {
		if !r.detached {
			n++
		}
	}
	return n
}

// runBatch runs a batch, except the requests whose caller gave up before they were
// picked up: those are answered with their context's error and never run.
func (w *writer) runBatch(batch []*request) {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			w.stats.canceled.Add(1)
			r.done <- err
			continue
		}
		live = append(live, r)
	}
	// If a statement fails in a way that may have rolled back the whole transaction
	// (see endsTransaction), or an Update without a savepoint fails after it wrote,
	// commit rolls back and says which request hit the error. That request fails; the
	// ones before it ran fine but lost their writes, so they run again, alone, with
	// savepoints (Store.Update's contract lets fn run more than once); the ones after it
	// have not run yet and go on as a batch. No request runs more than twice.
	for len(live) > 0 {
		i, err := w.commit(live, false)
		if i < 0 {
			return
		}
		w.stats.failed.Add(1)
		live[i].done <- err
		if i > 0 {
			w.stats.retried.Add(int64(i))
			w.rest = live[i+1:]
			w.commit(live[:i], true)
			w.rest = nil
		}
		live = live[i+1:]
	}
}

// commit runs batch in one transaction, commits, answers every request, and returns -1.
// A request whose fn fails (or panics) before it wrote fails alone; one that fails
// after it wrote has its savepoint rolled back and fails alone, when it has one (final
// is set, or the batch is careful). If COMMIT fails, every request gets the error.
//
// If a statement fails in a way that may have ended the transaction, or a request
// without a savepoint fails after it wrote, commit rolls back and returns the index of
// the request that hit it, with its error, leaving every request unanswered; unless
// final is set, in which case every request gets the error.
func (w *writer) commit(batch []*request, final bool) (int, error) {
	ctx := context.Background()
	w.stats.batches.Add(1)
	w.savepoints = final || w.careful > 0
	if w.careful > 0 {
		w.careful--
	}
	if w.fenced != nil {
		w.stats.failed.Add(int64(len(batch)))
		w.answerAll(batch, w.fenced)
		return -1, nil
	}
	if err := w.outOfRoom(); err != nil {
		w.stats.failed.Add(int64(len(batch)))
		w.answerAll(batch, err)
		return -1, nil
	}
	if _, err := w.c.exec(ctx, "BEGIN IMMEDIATE"); err != nil {
		w.stats.failed.Add(int64(len(batch)))
		w.answerAll(batch, translate("begin", err))
		return -1, nil
	}
	w.idemGone, w.idemReload = w.idemGone[:0], false
	if err := w.idem.syncVersion(ctx, w.c, w.dirs.begin(ctx, w.c, w.tokens)); err != nil {
		w.c.exec(ctx, "ROLLBACK")
		w.stats.failed.Add(int64(len(batch)))
		w.answerAll(batch, err)
		return -1, nil
	}
	w.inflight = batch
	start := time.Now()
	errs := w.errs[:0]
	ok := 0
	for i, r := range batch {
		gone := len(w.idemGone)
		err := w.runOne(r)
		if err != nil {
			w.idemGone = w.idemGone[:gone] // its writes were rolled back
		}
		if p := w.poisoned; p != nil {
			w.poisoned = nil
			w.c.exec(ctx, "ROLLBACK") // fails if SQLite has rolled back already; either way it is over
			w.inflight = nil
			w.errs = errs[:0]
			if err == nil {
				err = translate("transaction", p)
			}
			if !final {
				return i, err
			}
			w.stats.failed.Add(int64(len(batch)))
			w.answerAll(batch, err)
			return -1, nil
		}
		errs = append(errs, err)
		if err == nil {
			ok++
		}
	}
	w.inflight = nil
	w.errs = errs[:0]
	ran := time.Now()
	w.stats.runNanos.Add(int64(ran.Sub(start)))
	defer func() { w.stats.commitNanos.Add(int64(time.Since(ran))) }()
	if ok == 0 {
		w.c.exec(ctx, "ROLLBACK")
	} else if err := w.commitOnce(ctx); err != nil {
		w.stats.failed.Add(int64(len(batch)))
		w.answerAll(batch, err)
		return -1, nil
	} else {
		if w.hooks.Commit != nil {
			w.hooks.Commit(ok, time.Since(ran))
		}
		w.stats.commits.Add(1)
		w.kickCheckpointer()
		w.idemCommitted(ctx)
	}
	w.stats.committed.Add(int64(ok))
	w.stats.failed.Add(int64(len(batch) - ok))
	for i, r := range batch {
		r.done <- errs[i]
	}
	return -1, nil
}

// idemCommitted updates the idempotency map after a commit: the rows the batch deleted
// leave it, or it is loaded again if an Update deleted records in bulk.
func (w *writer) idemCommitted(ctx context.Context) {
	if w.idemReload {
		if w.idem.load(ctx, w.c) != nil {
			w.idem.version = -1 // the next batch loads it
		}
	} else if len(w.idemGone) > 0 {
		w.idem.remove(w.idemGone)
	}
	w.idemGone, w.idemReload = w.idemGone[:0], false
}

// commitOnce runs COMMIT. If it fails, it settles the outcome first (see wal.go): nil
// when the transaction committed after all, Unavailable when it certainly did not, and
// an error that says the outcome is unknown (the store then refuses every later write)
// when that cannot be told.
func (w *writer) commitOnce(ctx context.Context) error {
	before, berr := w.shm.readWALIndex()
	_, err := w.c.exec(ctx, "COMMIT")
	if err == nil {
		return nil
	}
	w.c.exec(ctx, "ROLLBACK") // SQLite has usually rolled back already
	outcome, serr := commitUnknown, berr
	if berr == nil {
		outcome, serr = settle(&w.shm, before)
	}
	switch outcome {
	case commitPublished:
		return nil
	case commitFailed:
		return translate("commit", err)
	}
	w.fenced = &rollcall.Error{Kind: rollcall.Unavailable, Message: msgFenced,
		Err: fmt.Errorf("sqlite: a COMMIT failed (%w) and its outcome cannot be told (%v): restart rollcall", err, serr)}
	return &rollcall.Error{Kind: rollcall.Internal, Message: "internal error",
		Err: fmt.Errorf("sqlite: commit: the outcome is unknown: %w (%v)", err, serr)}
}

// msgFenced is the store's answer to every write once a commit's outcome could not be
// told: a later write could overwrite the frames that recovery would replay.
const msgFenced = "the database cannot write until rollcall restarts"

func (w *writer) answerAll(batch []*request, err error) {
	for _, r := range batch {
		r.done <- err
	}
}

// poison records an error after which the transaction cannot be trusted.
func (w *writer) poison(err error) {
	if w.poisoned == nil {
		w.poisoned = err
	}
}

// runOne runs one request's fn. In a batch with savepoints the Tx opens one before fn's
// first write; if fn fails or panics, the savepoint is rolled back and fn's writes with
// it. Without, fn's writes can only be undone with the whole batch's: a failure after
// a write poisons the batch, and the batches after it are careful.
func (w *writer) runOne(r *request) (err error) {
	ctx := context.Background()
	// fn's statements ignore the caller's cancellation: an interrupted statement can
	// roll back the whole shared transaction, and an Update that started is finished.
	// (The drivers read nothing else of a statement's context: no value of the caller's
	// is lost, and no context is made per Update.)
	t := &tx{ctx: ctx, c: w.c, w: w}
	returned := false
	defer func() {
		if !returned {
			if p := recover(); p != nil {
				err = &rollcall.Error{Kind: rollcall.Internal, Message: "internal error",
					Err: fmt.Errorf("sqlite: panic in Update: %v\n%s", p, debug.Stack())}
			} else {
				err = errGoexit // runtime.Goexit: the goroutine ends after this; see run
			}
		}
		t.done = true
		if !t.savepoint {
			if err != nil && t.wrote {
				w.careful = carefulBatches
				w.poison(err)
			}
			return
		}
		if err != nil {
			if _, rerr := w.c.exec(ctx, sqlRollbackTo); rerr != nil {
				w.poison(rerr)
			}
		}
		if _, rerr := w.c.exec(ctx, sqlRelease); rerr != nil {
			w.poison(rerr)
		}
	}()
	err = r.fn(t)
	returned = true
	return err
}

var errGoexit = &rollcall.Error{Kind: rollcall.Internal, Message: "internal error",
	Err: errors.New("sqlite: an Update's fn called runtime.Goexit (t.FailNow?) on the writer goroutine")}

// recoverGoexit runs when a fn has called runtime.Goexit, which ends the writer
// goroutine whatever it does: it rolls back the batch, fails every request in it, and
// starts a new writer goroutine in its place.
func (w *writer) recoverGoexit() {
	w.c.exec(context.Background(), "ROLLBACK")
	w.stats.failed.Add(int64(len(w.inflight) + len(w.rest)))
	w.answerAll(w.inflight, errGoexit)
	w.answerAll(w.rest, errGoexit)
	w.inflight, w.rest, w.poisoned = nil, nil, nil
	go w.run()
}

// clockStart anchors monoNow: time.Since reads the monotonic clock.
var clockStart = time.Now()

// monoNow is the monotonic time in nanoseconds since clockStart.
func monoNow() int64 { return int64(time.Since(clockStart)) }
