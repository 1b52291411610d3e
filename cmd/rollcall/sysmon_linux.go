package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// slowSysmon gives the Go runtime's monitor thread (sysmon) a timer slack of d, so that
// under load it wakes about once per d instead of every 20µs. No other thread's slack
// changes: theirs stays the kernel's 50µs, which a Go timer, the netpoller's timed waits
// and a stealing thread's 3µs sleep keep to.
//
// Why: while Ps are busy, sysmon sleeps 20µs between its rounds, and each round in which
// it retakes a P from a thread in a long system or cgo call (a COMMIT's fsync, a socket
// write the scheduler preempted) keeps it there. On this project's virtual machine each
// of its wake-ups cost about 25µs of CPU (a context switch): 15-26µs per Chime create at
// 64 clients, 69µs at 4, a tenth of the server's CPU. With a slack of 1ms it wakes at
// most about once a millisecond, so a P in a system call is retaken within one or two
// milliseconds instead of tens of microseconds (docs/throughput.md, 2026-12-02).
//
// A thread sets its own slack; sysmon's, another thread's, can be set only through
// /proc/TID/timerslack_ns with CAP_SYS_NICE (root has it). Without it, or when sysmon
// cannot be told apart, slowSysmon changes nothing and says why.
func slowSysmon(d time.Duration) error {
	if d <= 0 {
		return nil
	}
	tid, err := sysmonThread()
	if err != nil {
		return err
	}
	path := "/proc/" + strconv.Itoa(tid) + "/timerslack_ns"
	if err := os.WriteFile(path, []byte(strconv.FormatInt(int64(d), 10)), 0); err != nil {
		return fmt.Errorf("the runtime's monitor thread keeps the kernel's timer slack (setting it needs CAP_SYS_NICE; --sysmon-slack=0 stops trying): %w", err)
	}
	return nil
}

// sysmonThread finds the thread of sysmon: the first thread found sleeping in
// nanosleep(2) 20 times while this goroutine keeps its P busy looking (sysmon sleeps in a
// futex only once every P is idle; a Go thread sleeps in nanosleep only there and, for
// 3µs, when it steals a goroutine).
func sysmonThread() (int, error) {
	const looks, enough = 1000, 20
	self := syscall.Gettid()
	in := strconv.Itoa(syscall.SYS_NANOSLEEP) + " "
	seen := map[int]int{}
	for range looks {
		for tid, k := range seen {
			if k >= enough {
				return tid, nil
			}
		}
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return 0, err
		}
		for _, task := range tasks {
			tid, err := strconv.Atoi(task.Name())
			if err != nil || tid == self {
				continue
			}
			b, err := os.ReadFile("/proc/self/task/" + task.Name() + "/syscall")
			if err == nil && strings.HasPrefix(string(b), in) {
				seen[tid]++
			}
		}
	}
	return 0, errors.New("the runtime's monitor thread was not found sleeping")
}
