package sqlite

import (
	"runtime"
	"sync"
	"syscall"
	"unsafe"
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

// Linux's CPU policies (linux/sched.h).
const (
	schedNormal = 0 // SCHED_OTHER
	schedIdle   = 5
)

// setPolicy gives thread tid (0: the calling one) CPU policy policy, at priority 0 (the
// only one either takes); its nice value stays as it was.
func setPolicy(tid, policy int) error {
	var param struct{ priority int32 } // struct sched_param
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETSCHEDULER, uintptr(tid), uintptr(policy), uintptr(unsafe.Pointer(&param))); e != 0 {
		return e
	}
	return nil
}

// idleCPUReversible says whether a thread of this process can be given SCHED_IDLE and
// then the ordinary policy again: leaving SCHED_IDLE takes CAP_SYS_NICE or an
// RLIMIT_NICE that allows the thread's nice value. It tries, on a thread of its own that
// ends with its goroutine (never unlocked), so a thread left at SCHED_IDLE ends too.
var idleCPUReversible = sync.OnceValue(func() bool {
	ok := make(chan bool)
	go func() {
		runtime.LockOSThread()
		ok <- setPolicy(0, schedIdle) == nil && setPolicy(0, schedNormal) == nil
	}()
	return <-ok
})
