package sqlite

import (
	"runtime"
	"syscall"
)

// idleIO puts the calling goroutine on an OS thread of its own, for good, and gives
// that thread the idle I/O class (ioprio_set, IOPRIO_CLASS_IDLE): the block layer
// (mq-deadline, bfq) then holds its writes back while other I/O, the writer's WAL
// writes among it, is queued or in flight. It returns the thread's id. The thread ends
// with the goroutine (it is never unlocked), so no other goroutine inherits the class.
func idleIO() (tid int, err error) {
	runtime.LockOSThread()
	tid = syscall.Gettid()
	const whoProcess, classIdle, classShift = 1, 3, 13 // linux/ioprio.h
	if _, _, e := syscall.Syscall(syscall.SYS_IOPRIO_SET, whoProcess, uintptr(tid), classIdle<<classShift); e != 0 {
		return tid, e
	}
	return tid, nil
}
