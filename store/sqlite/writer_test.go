package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// blockWriter hands the writer an Update that waits until release is called, so the
// Updates sent meanwhile queue up and then run as one batch.
func blockWriter(t *testing.T, s *sqlite.Store) (release func()) {
	t.Helper()
	started, unblock := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Update(context.Background(), func(rollcall.Tx) error {
			close(started)
			<-unblock
			return nil
		})
	}()
	<-started
	return func() {
		close(unblock)
		if err := <-done; err != nil {
			t.Errorf("the blocking Update: %v", err)
		}
	}
}

// waitQueued waits until n Updates are queued for the writer.
func waitQueued(t *testing.T, s *sqlite.Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.QueueDepth() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d Updates queued after 10s, want %d", s.QueueDepth(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestGroupCommit: many concurrent Updates share few transactions.
func TestGroupCommit(t *testing.T) {
	s := mustOpen(t)
	const n = 1000
	errs := insertAtOnce(s, n, numbered, nil)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st := s.Stats()
	if st.Committed != n || st.Commits >= n/4 {
		t.Fatalf("%d Updates committed in %d commits: want %d in far fewer commits", st.Committed, st.Commits, n)
	}
	t.Logf("%d Updates in %d commits (%.1f per commit, at most %d)", st.Committed, st.Commits, float64(st.Committed)/float64(st.Commits), st.MaxBatch)
}

// TestBatchIsolation builds one batch deterministically and fails some of its Updates
// in every way an Update can fail: the others commit, the failed ones leave nothing.
func TestBatchIsolation(t *testing.T) {
	s := mustOpen(t)
	storetest.MustInsert(t, s, storetest.NewUser("A", "taken", "taken"))
	release := blockWriter(t, s)
	before := s.Stats()

	const n = 60
	errSentinel := errors.New("fail on purpose")
	fail := func(i int) string {
		switch {
		case i%10 == 1:
			return "error" // writes, then returns an error
		case i%10 == 3:
			return "panic" // writes, then panics
		case i%10 == 5:
			return "conflict" // its second write conflicts, and it returns that
		case i%10 == 7:
			return "swallowed" // a conflict it ignores: its other writes commit
		}
		return ""
	}
	errs := updateAtOnce(s, n, func(tx rollcall.Tx, i int) error {
		id := fmt.Sprintf("u%02d", i)
		if err := tx.InsertUser(storetest.NewUser("A", id, id)); err != nil {
			return err
		}
		if err := tx.InsertMessage(storetest.NewMessage("m"+id, "A", storetest.T0)); err != nil {
			return err
		}
		switch fail(i) {
		case "error":
			return errSentinel
		case "panic":
			panic("boom " + id)
		case "conflict":
			return tx.InsertUser(storetest.NewUser("A", id+"-2", "taken"))
		case "swallowed":
			if err := tx.InsertUser(storetest.NewUser("A", id+"-2", "taken")); !rollcall.IsKind(err, rollcall.Conflict) {
				return fmt.Errorf("want Conflict, got %v", err)
			}
		}
		return nil
	}, func(i int) {
		if i == n-1 { // every Update is started: let the batch run
			waitQueued(t, s, n)
			release()
		}
	})

	// The batch runs without savepoints until its first Update that fails after it
	// wrote, which rolls it back: the Updates before that one run again in a batch of
	// their own (none if it was the first), the rest in a careful batch, with
	// savepoints, where each failure is its own.
	st := s.Stats()
	if d := st.Batches - before.Batches; d < 2 || d > 3 {
		t.Fatalf("the %d queued Updates ran in %d batches, want 2 or 3", n, d)
	}
	if d := st.Commits - before.Commits; d < 2 || d > 3 { // the blocking Update's, and the batches'
		t.Fatalf("%d commits, want 2 or 3", d)
	}
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		for i := range n {
			id := fmt.Sprintf("u%02d", i)
			_, uerr := tx.User("A", id)
			_, merr := tx.Message("m" + id)
			switch mode := fail(i); mode {
			case "", "swallowed":
				if errs[i] != nil || uerr != nil || merr != nil {
					t.Errorf("%s (%q): Update %v, user %v, message %v; want all there", id, mode, errs[i], uerr, merr)
				}
			default:
				if errs[i] == nil || !rollcall.IsKind(uerr, rollcall.NotFound) || !rollcall.IsKind(merr, rollcall.NotFound) {
					t.Errorf("%s (%q): Update %v, user %v, message %v; want an error and nothing written", id, mode, errs[i], uerr, merr)
				}
				want := map[string]rollcall.Kind{"error": rollcall.Internal, "panic": rollcall.Internal, "conflict": rollcall.Conflict}[mode]
				if mode == "error" && !errors.Is(errs[i], errSentinel) || mode != "error" && !rollcall.IsKind(errs[i], want) {
					t.Errorf("%s (%q): Update returned %v", id, mode, errs[i])
				}
			}
		}
		return nil
	})
}

// queueInOrder runs fns as Updates of one batch, in order, and returns their errors.
func queueInOrder(t *testing.T, s *sqlite.Store, fns ...func(rollcall.Tx) error) []error {
	t.Helper()
	release := blockWriter(t, s)
	errs := make([]error, len(fns))
	done := make(chan struct{})
	for i, fn := range fns {
		go func() {
			errs[i] = s.Update(context.Background(), fn)
			done <- struct{}{}
		}()
		waitQueued(t, s, i+1)
	}
	release()
	for range fns {
		<-done
	}
	return errs
}

// TestFailureAfterWrite: in a batch without savepoints, the first Update that fails
// after it wrote rolls the batch back; the Updates before it run again (and only they),
// the ones after it run in a careful batch, with savepoints, where a later failure
// after a write is undone alone; after carefulBatches batches the writer runs without
// savepoints again.
func TestFailureAfterWrite(t *testing.T) {
	s := mustOpen(t)
	errSentinel := errors.New("fail on purpose")
	var runs [5]atomic.Int32
	update := func(prefix string, i int, fail bool, runs *atomic.Int32) func(rollcall.Tx) error {
		return func(tx rollcall.Tx) error {
			runs.Add(1)
			id := fmt.Sprintf("%s%d", prefix, i)
			if err := tx.InsertUser(storetest.NewUser("A", id, id)); err != nil {
				return err
			}
			if fail {
				return errSentinel
			}
			return nil
		}
	}
	before := s.Stats()
	var fns []func(rollcall.Tx) error
	for i := range runs {
		fns = append(fns, update("u", i, i%2 == 1, &runs[i]))
	}
	errs := queueInOrder(t, s, fns...)
	st := s.Stats()
	wantRuns := [5]int32{2, 1, 1, 1, 1} // u1 rolled back u0's write; u3 only its own
	for i := range runs {
		if got := runs[i].Load(); got != wantRuns[i] {
			t.Errorf("u%d ran %d times, want %d", i, got, wantRuns[i])
		}
		if i%2 == 1 != errors.Is(errs[i], errSentinel) || i%2 == 0 && errs[i] != nil {
			t.Errorf("u%d: Update returned %v", i, errs[i])
		}
	}
	if d := st.Retried - before.Retried; d != 1 {
		t.Errorf("%d Updates retried, want 1 (u0)", d)
	}
	if d := st.Commits - before.Commits; d != 3 { // the blocking Update's, u0's retry, u2 and u4's
		t.Errorf("%d commits, want 3", d)
	}
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		for i := range runs {
			_, err := tx.User("A", fmt.Sprintf("u%d", i))
			if i%2 == 0 && err != nil || i%2 == 1 && !rollcall.IsKind(err, rollcall.NotFound) {
				t.Errorf("u%d: %v", i, err)
			}
		}
		return nil
	})

	// The careful batches run out: a failure after a write rolls a batch back again.
	var ignored atomic.Int32
	for i := range sqlite.CarefulBatches {
		if err := s.Update(context.Background(), update("v", i, false, &ignored)); err != nil {
			t.Fatal(err)
		}
	}
	var again [2]atomic.Int32
	before = s.Stats()
	errs = queueInOrder(t, s, update("w", 0, false, &again[0]), update("w", 1, true, &again[1]))
	if errs[0] != nil || !errors.Is(errs[1], errSentinel) || again[0].Load() != 2 || again[1].Load() != 1 {
		t.Errorf("after the careful batches: errors %v, runs %d and %d; want nil and the sentinel, runs 2 and 1",
			errs, again[0].Load(), again[1].Load())
	}
	if d := s.Stats().Retried - before.Retried; d != 1 {
		t.Errorf("%d Updates retried after the careful batches, want 1", d)
	}
}

func TestPanicInUpdate(t *testing.T) {
	s := mustOpen(t)
	err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		tx.InsertUser(storetest.NewUser("A", "u1", "k"))
		panic("boom")
	})
	storetest.WantKind(t, "Update whose fn panics", err, rollcall.Internal)
	if !strings.Contains(err.Error(), "boom") {
		t.Fatalf("the error does not keep the panic: %v", err)
	}
	// The writer lives on, and the panicking Update left nothing behind.
	storetest.MustInsert(t, s, storetest.NewUser("A", "u1", "k"))
}

func TestGoexitInUpdate(t *testing.T) {
	s := mustOpen(t)
	err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		tx.InsertUser(storetest.NewUser("A", "u1", "k"))
		runtime.Goexit()
		return nil
	})
	storetest.WantKind(t, "Update whose fn calls runtime.Goexit", err, rollcall.Internal)
	// A new writer took over, and the Update left nothing behind.
	storetest.MustInsert(t, s, storetest.NewUser("A", "u1", "k"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCanceledBeforePickup: an Update whose context ends while it waits for the writer
// does not run.
func TestCanceledBeforePickup(t *testing.T) {
	s := mustOpen(t)
	release := blockWriter(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Bool
	done := make(chan error, 1)
	go func() {
		done <- s.Update(ctx, func(tx rollcall.Tx) error {
			ran.Store(true)
			return tx.InsertUser(storetest.NewUser("A", "u1", "k"))
		})
	}()
	waitQueued(t, s, 1)
	cancel()
	release()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Update canceled in the queue: %v, want context.Canceled", err)
	}
	if ran.Load() {
		t.Fatal("fn of an Update canceled in the queue ran")
	}
	if st := s.Stats(); st.Canceled != 1 {
		t.Fatalf("Stats.Canceled = %d, want 1", st.Canceled)
	}
}

// TestCanceledWhileRunning: once fn runs, canceling the context changes nothing: the
// Update commits and says so.
func TestCanceledWhileRunning(t *testing.T) {
	s := mustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := s.Update(ctx, func(tx rollcall.Tx) error {
		cancel()
		return tx.InsertUser(storetest.NewUser("A", "u1", "k"))
	})
	if err != nil {
		t.Fatalf("Update canceled while running: %v, want success", err)
	}
	storetest.MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.User("A", "u1"); return err })
}

// TestDiskFull fills the database (max_page_count) under concurrent Updates. SQLite may
// roll back a whole transaction on SQLITE_FULL; whatever it does, every Update that
// succeeded is stored and every one that failed is not.
func TestDiskFull(t *testing.T) {
	s := mustOpen(t)
	storetest.MustInsert(t, s, storetest.NewUser("A", "u-first", "first"))
	pages, err := sqlite.WriterQuery(s, "PRAGMA page_count")
	if err != nil {
		t.Fatal(err)
	}
	n0, err := strconv.Atoi(pages)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlite.WriterExec(s, "PRAGMA max_page_count = "+strconv.Itoa(n0+40)); err != nil {
		t.Fatal(err)
	}
	const n = 400
	big := strings.Repeat("x", 2000)
	errs := insertAtOnce(s, n, func(i int) *rollcall.User {
		u := numbered(i)
		u.DisplayName = big
		return u
	}, nil)
	ok := committedOrUnavailable(t, s, errs)
	full := n - ok
	if full == 0 {
		t.Fatal("the database never filled up")
	}
	t.Logf("%d committed, %d refused as full; %+v", ok, full, s.Stats())
	// Room again: the store carries on.
	if err := sqlite.WriterExec(s, "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	storetest.MustInsert(t, s, storetest.NewUser("A", "u-last", "last"))
}

// TestAnsweredBeforeTheNextBatch: on one P, an Update answered in a small batch returns
// to its caller before the writer runs the next batch's fns, rather than waiting for
// them (writer.go, yieldBatch). Counted over rounds, as the scheduler may hand the P off
// during a cgo call either way.
func TestAnsweredBeforeTheNextBatch(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	s := mustOpen(t)
	ctx := context.Background()
	const rounds = 40
	first := 0
	for i := range rounds {
		var answered, sawAnswered atomic.Bool
		running, release := make(chan struct{}), make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			if err := s.Update(ctx, func(tx rollcall.Tx) error {
				close(running)
				<-release
				return tx.PutTenant(&rollcall.Tenant{ID: fmt.Sprint("a", i), Kind: rollcall.TenantAWS, Name: "a"})
			}); err != nil {
				t.Error(err)
			}
			answered.Store(true)
		})
		<-running
		wg.Go(func() {
			if err := s.Update(ctx, func(tx rollcall.Tx) error {
				sawAnswered.Store(answered.Load())
				return tx.PutTenant(&rollcall.Tenant{ID: fmt.Sprint("b", i), Kind: rollcall.TenantAWS, Name: "b"})
			}); err != nil {
				t.Error(err)
			}
		})
		for s.QueueDepth() == 0 { // the second waits while the first's batch runs
			runtime.Gosched()
		}
		close(release)
		wg.Wait()
		if sawAnswered.Load() {
			first++
		}
	}
	if first < rounds*3/4 {
		t.Fatalf("the first Update had returned when the next batch ran in %d of %d rounds, want at least %d", first, rounds, rounds*3/4)
	}
}
