package main

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// The prctl(2) options of a thread's timer slack.
const (
	prSetTimerSlack = 29
	prGetTimerSlack = 30
)

// slackExeced marks the process execWithTimerSlack made, so that it execs at most once
// (a kernel may not keep the slack, for a real-time thread for example).
const slackExeced = "ROLLCALL_TIMER_SLACK_EXECED"

// execWithTimerSlack makes every thread of the server sleep with a timer slack of d
// (0: the kernel's, 50µs), by setting this thread's and running the same binary again
// with the same arguments and environment: a thread inherits its slack from the thread
// that makes it, and execve(2) keeps it, so the new process's every thread has it from
// its first one on, the runtime's sysmon among them; a thread can set only its own, and
// sysmon exists before any of rollcall's code runs. It returns only when it did not
// exec: d is 0 or already the slack, it exec'd once already, or the kernel refused.
//
// Why: under load the runtime's sysmon thread wakes every 20µs to retake the Ps of
// threads in long system and cgo calls (each retake puts it back to 20µs), and on this
// project's machine each of its wake-ups cost 25µs of CPU (a context switch on a
// virtual machine): 15-26µs per Chime create at 64 clients, 69 at 4, about a tenth of
// the server's CPU. With a slack of 1ms it wakes at most about once a millisecond,
// and a P in a system call is retaken within one or two milliseconds instead of tens of
// microseconds; Go's timers fire up to d late (docs/throughput.md, 2026-12-02).
func execWithTimerSlack(d time.Duration) {
	if d <= 0 || os.Getenv(slackExeced) != "" {
		return
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cur, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prGetTimerSlack, 0, 0)
	if e != 0 || time.Duration(cur) == d {
		return
	}
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetTimerSlack, uintptr(d), 0); e != 0 {
		return
	}
	exe, err := os.Executable()
	if err == nil {
		err = syscall.Exec(exe, os.Args, append(os.Environ(), slackExeced+"=1"))
	}
	// Not exec'd: this thread goes back to the slack the others have.
	syscall.RawSyscall(syscall.SYS_PRCTL, prSetTimerSlack, cur, 0)
}
