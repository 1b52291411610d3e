package sqlite

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

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
	classes := make(chan int, 64)
	s, err := Open(filepath.Join(t.TempDir(), "rollcall.db"), WithHooks(Hooks{
		Checkpoint: func(time.Duration) {
			select {
			case classes <- class(): // on the checkpointer's thread
			default:
			}
		},
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	writer := -1
	if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		writer = class() // on the writer's thread
		return tx.PutTenant(&rollcall.Tenant{ID: "t1", Kind: rollcall.TenantAWS, Name: "t"})
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-classes:
		if c != classIdle {
			t.Errorf("a checkpoint ran with I/O class %d, want %d (idle)", c, classIdle)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no checkpoint ran within 10s of a commit")
	}
	if writer == classIdle {
		t.Error("the writer's thread has the idle I/O class too")
	}
}

// TestCheckpointsRunAsIdleCPU: every PASSIVE checkpoint runs on a thread with the
// SCHED_IDLE CPU policy (or, where that was refused, nice 19), so its CPU gives way to
// the writer's, the HTTP goroutines' and the clients' (ioprio_linux.go); the writer's
// thread keeps the default policy.
func TestCheckpointsRunAsIdleCPU(t *testing.T) {
	type sched struct{ policy, nice int }
	current := func() sched { // the calling thread's policy and nice value
		policy, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETSCHEDULER, 0, 0, 0)
		if e != 0 {
			t.Errorf("sched_getscheduler: %v", e)
		}
		nice, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
		if err != nil {
			t.Errorf("getpriority: %v", err)
		}
		return sched{int(policy), 20 - nice} // the raw syscall answers 20 - nice
	}
	scheds := make(chan sched, 64)
	s, err := Open(filepath.Join(t.TempDir(), "rollcall.db"), WithHooks(Hooks{
		Checkpoint: func(time.Duration) {
			select {
			case scheds <- current(): // on the checkpointer's thread
			default:
			}
		},
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var writer sched
	if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		writer = current() // on the writer's thread
		return tx.PutTenant(&rollcall.Tenant{ID: "t1", Kind: rollcall.TenantAWS, Name: "t"})
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-scheds:
		if c.policy != schedIdle && c.nice != 19 {
			t.Errorf("a checkpoint ran with CPU policy %d, nice %d; want SCHED_IDLE (%d) or nice 19", c.policy, c.nice, schedIdle)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no checkpoint ran within 10s of a commit")
	}
	if writer.policy == schedIdle || writer.nice == 19 {
		t.Errorf("the writer's thread has policy %d, nice %d: the checkpointer's", writer.policy, writer.nice)
	}
}
