package sqlite

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/testdeps"
)

// pinToCPU0 pins thread tid (0: the calling one) to the first CPU.
func pinToCPU0(tid int) error {
	var mask [16]uint64 // a cpu_set_t of 1024 CPUs
	mask[0] = 1
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask))); e != 0 {
		return e
	}
	return nil
}

// niceZero gives thread tid (0: the calling one) nice 0, so that a test run under
// `nice -n 19` compares SCHED_IDLE with the ordinary policy at nice 0 (at nice 19 the
// ordinary policy's weight is 15, SCHED_IDLE's 3, not 1024 and 3).
func niceZero(tid int) error { return syscall.Setpriority(syscall.PRIO_PROCESS, tid, 0) }

// hogCPU0 runs a busy loop at the ordinary policy and nice 0 on a thread of its own
// pinned to the first CPU, until the function it returns is called. The thread exits with its goroutine
// (never unlocked), so neither its pinning nor its nice leaks to another goroutine.
func hogCPU0(t *testing.T) (stop func()) {
	t.Helper()
	var stopped atomic.Bool
	started, done := make(chan error), make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		err := pinToCPU0(0)
		if err == nil {
			err = niceZero(0)
		}
		started <- err
		for err == nil && !stopped.Load() {
		}
	}()
	if err := <-started; err != nil {
		<-done
		testdeps.Require(t, err, "a busy loop pinned to CPU 0 at nice 0 (root or CAP_SYS_NICE)")
	}
	return func() { stopped.Store(true); <-done }
}

// TestRestartDoesNotWaitOnStarvedCheckpointer: the writer's RESTART (or TRUNCATE) needs
// SQLite's checkpoint lock, which the checkpointer holds through a PASSIVE checkpoint. A
// checkpointer thread at SCHED_IDLE (tried twice, reverted: docs/throughput.md,
// 2026-12-02) gets about 0.3% of a busy core, and the writer then waits for a checkpoint
// that the kernel runs only when the core has nothing else to do: a priority inversion.
// This test fails on such a version (4b065b2) and passes on one at the ordinary policy.
//
// Made deterministic: the test holds cp.mu while it commits a large backlog (10,000
// pages), pins the checkpointer's thread to CPU 0 beside a busy loop pinned there too,
// lets the checkpoint start, and waits until the wal-index says it is copying (SQLite
// sets nBackfillAttempted under the checkpoint lock before it copies, nBackfill after);
// only then does it ask the writer for a RESTART, which must be done within 5 s. The
// copy takes 50-150 ms of CPU: at SCHED_IDLE beside the busy loop that is tens of
// seconds, at the ordinary policy a fraction of a second.
func TestRestartDoesNotWaitOnStarvedCheckpointer(t *testing.T) {
	testdeps.Slow(t, "commits a 30 MB backlog beside a busy loop")
	if runtime.NumCPU() < 2 {
		testdeps.Require(t, errors.New("one CPU"), "a second CPU for the writer beside the pinned busy loop")
	}
	path := filepath.Join(t.TempDir(), "rollcall.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	shm, err := os.Open(path + "-shm") // closed after s: closing it earlier would drop SQLite's locks
	if err != nil {
		s.Close()
		t.Fatal(err)
	}
	defer shm.Close()
	defer s.Close()
	backfill := func() (done, attempted uint32) { // WalCkptInfo.nBackfill, nBackfillAttempted
		var b [136]byte
		if _, err := shm.ReadAt(b[:], 0); err != nil {
			t.Fatal(err)
		}
		return binary.NativeEndian.Uint32(b[96:]), binary.NativeEndian.Uint32(b[128:])
	}
	update := func(f func(*tx) error) {
		t.Helper()
		if err := s.Update(context.Background(), func(x rollcall.Tx) error { return f(x.(*tx)) }); err != nil {
			t.Fatal(err)
		}
	}
	update(func(x *tx) error { _, err := x.write("ballast", `CREATE TABLE ballast (b BLOB)`); return err })
	for s.cp.tid.Load() == 0 {
		time.Sleep(time.Millisecond)
	}

	tid := int(s.cp.tid.Load())
	err = pinToCPU0(tid)
	if err == nil {
		err = niceZero(tid)
	}
	testdeps.Require(t, err, "the checkpointer's thread pinned to CPU 0 at nice 0 (root or CAP_SYS_NICE)")
	defer hogCPU0(t)() // stopped before s is closed, which waits for the checkpointer
	s.cp.mu.Lock()     // no checkpoint starts until the backlog is there and the core is busy
	update(func(x *tx) error {
		_, err := x.write("ballast", `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 10000)
			INSERT INTO ballast SELECT randomblob(3000) FROM n`)
		return err
	})
	s.w.kickCheckpointer()
	s.cp.mu.Unlock()

	deadline := time.Now().Add(20 * time.Second)
	for {
		done, attempted := backfill()
		if attempted > done {
			break // the checkpointer holds the checkpoint lock and copies
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint started copying within 20s (nBackfill %d, nBackfillAttempted %d)", done, attempted)
		}
		time.Sleep(time.Millisecond)
	}

	before := s.stats.restarts.Load()
	asked := time.Now()
	s.w.restart.Store(true)
	for s.stats.restarts.Load() == before {
		if time.Since(asked) > 5*time.Second {
			done, attempted := backfill()
			t.Fatalf("the writer's RESTART was not done 5s after it was asked: it waits on the starved checkpointer (nBackfill %d of %d)", done, attempted)
		}
		update(func(x *tx) error { return x.PutTenant(&rollcall.Tenant{ID: "t1", Kind: rollcall.TenantAWS, Name: "t"}) })
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the RESTART was done %v after it was asked", time.Since(asked).Round(time.Millisecond))
}
