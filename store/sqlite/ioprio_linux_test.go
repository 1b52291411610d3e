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
