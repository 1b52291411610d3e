//go:build !linux

package sqlite

// idleIO does nothing where there is no ioprio_set: checkpoints run at the I/O
// priority of every other thread (see ioprio_linux.go).
func idleIO() (tid int, err error) { return 0, nil }

// Where there is no SCHED_IDLE, checkpoints run at the CPU priority of every other
// thread (see checkpointCPU).
const (
	schedNormal = 0
	schedIdle   = 0
)

func setPolicy(tid, policy int) error { return nil }

func idleCPUReversible() bool { return false }
