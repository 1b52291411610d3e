package sqlite

import (
	"runtime"
	"syscall"
	"unsafe"
)

// idleIO puts the calling goroutine on an OS thread of its own, for good, and gives
// that thread the idle I/O class (ioprio_set, IOPRIO_CLASS_IDLE): the block layer
// (mq-deadline, bfq) then holds its writes back while other I/O, the writer's WAL
// writes among it, is queued or in flight. It also gives the thread the SCHED_IDLE CPU
// policy (idleCPU). It returns the thread's id. The thread ends with the goroutine (it
// is never unlocked), so no other goroutine inherits the class or the policy (the Go
// runtime starts new threads from a template thread while the caller is locked to its
// own).
func idleIO() (tid int, err error) {
	runtime.LockOSThread()
	tid = syscall.Gettid()
	idleCPU(tid)
	const whoProcess, classIdle, classShift = 1, 3, 13 // linux/ioprio.h
	if _, _, e := syscall.Syscall(syscall.SYS_IOPRIO_SET, whoProcess, uintptr(tid), classIdle<<classShift); e != 0 {
		return tid, e
	}
	return tid, nil
}

// schedIdle is Linux's SCHED_IDLE policy (linux/sched.h).
const schedIdle = 5

// idleCPU gives thread tid the SCHED_IDLE CPU policy: the scheduler runs it only on a
// core nothing else wants (its weight is 3 where a nice-0 thread's is 1024), so a
// checkpoint's CPU (copying pages, its pwrites' and fsync's kernel work) no longer
// competes with the writer's thread woken by its WAL fsync, the HTTP goroutines and the
// clients for the two cores. Where SCHED_IDLE is refused, nice 19, the nearest the
// ordinary policy comes. Neither is an error: the checkpoint runs either way.
func idleCPU(tid int) {
	var param struct{ priority int32 } // struct sched_param; SCHED_IDLE takes priority 0
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETSCHEDULER, uintptr(tid), schedIdle, uintptr(unsafe.Pointer(&param))); e == 0 {
		return
	}
	syscall.Setpriority(syscall.PRIO_PROCESS, tid, 19)
}
