package sqlite

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// onCheckpointerAndWriter runs probe on the thread of the first checkpoint after a
// commit (a PASSIVE, on the checkpointer's thread) and on the writer's thread. The store
// is closed when the test ends.
func onCheckpointerAndWriter[T any](t *testing.T, probe func() T) (checkpoint, writer T, s *Store) {
	t.Helper()
	got := make(chan T, 64)
	s, err := Open(filepath.Join(t.TempDir(), "rollcall.db"), WithHooks(Hooks{
		Checkpoint: func(time.Duration) {
			select {
			case got <- probe(): // on the checkpointer's thread
			default:
			}
		},
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		writer = probe() // on the writer's thread
		return tx.PutTenant(&rollcall.Tenant{ID: "t1", Kind: rollcall.TenantAWS, Name: "t"})
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case checkpoint = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("no checkpoint ran within 10s of a commit")
	}
	return checkpoint, writer, s
}

// TestCheckpointsRunAsIdleIO: every PASSIVE checkpoint runs on a thread whose I/O class
// is idle, so its writes give way to the writer's WAL appends (checkpoint.go); the
// writer's own thread keeps the default class.
func TestCheckpointsRunAsIdleIO(t *testing.T) {
	const whoProcess, classIdle, classShift = 1, 3, 13
	class := func() int { // the calling thread's I/O class
		prio, _, e := syscall.Syscall(syscall.SYS_IOPRIO_GET, whoProcess, 0, 0)
		if e != 0 {
			t.Errorf("ioprio_get: %v", e)
		}
		return int(prio) >> classShift
	}
	c, writer, _ := onCheckpointerAndWriter(t, class)
	if c != classIdle {
		t.Errorf("a checkpoint ran with I/O class %d, want %d (idle)", c, classIdle)
	}
	if writer == classIdle {
		t.Error("the writer's thread has the idle I/O class too")
	}
}

// TestCheckpointsRunAsIdleCPU: in the cgo build, where it can be left again, a PASSIVE
// checkpoint runs at the SCHED_IDLE CPU policy, and the checkpointer's thread is back at
// the ordinary policy once it has ended; the writer's thread never has it
// (checkpointCPU).
func TestCheckpointsRunAsIdleCPU(t *testing.T) {
	if !newCheckpointCPU().idle {
		t.Skip("checkpoints keep the ordinary CPU policy here (modernc's driver, or SCHED_IDLE cannot be left)")
	}
	policy := func(tid int) int {
		p, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETSCHEDULER, uintptr(tid), 0, 0)
		if e != 0 {
			t.Errorf("sched_getscheduler(%d): %v", tid, e)
		}
		return int(p)
	}
	c, writer, s := onCheckpointerAndWriter(t, func() int { return policy(0) })
	if c != schedIdle {
		t.Errorf("a checkpoint ran with CPU policy %d, want SCHED_IDLE (%d)", c, schedIdle)
	}
	if writer != schedNormal {
		t.Errorf("the writer's thread has CPU policy %d, want %d", writer, schedNormal)
	}
	tid := int(s.cp.cpu.tid.Load())
	for deadline := time.Now().Add(5 * time.Second); policy(tid) != schedNormal; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the checkpointer's thread still has CPU policy %d 5s after a checkpoint", policy(tid))
		}
	}
}
