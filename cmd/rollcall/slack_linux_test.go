package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTimerSlackEveryThread: execWithTimerSlack runs the process again with the slack
// set, so that every thread has it, the runtime's own (sysmon) among them, which exist
// before any of rollcall's code runs. The test runs itself in a child that calls it; the
// child, run again, reports the slack of its thread and, where it may read them (root,
// CAP_SYS_NICE), of all its threads.
func TestTimerSlackEveryThread(t *testing.T) {
	if os.Getenv("ROLLCALL_TEST_SLACK_CHILD") != "" {
		execWithTimerSlack(3 * time.Millisecond) // returns only in the process it ran
		runtime.LockOSThread()
		cur, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prGetTimerSlack, 0, 0)
		if e != 0 {
			t.Fatal(e)
		}
		var others []string
		tasks, _ := filepath.Glob("/proc/self/task/*")
		for _, task := range tasks {
			b, err := os.ReadFile("/proc/" + filepath.Base(task) + "/timerslack_ns")
			if err != nil {
				others = append(others, "unreadable")
				break
			}
			others = append(others, strings.TrimSpace(string(b)))
		}
		t.Logf("execed=%s slack=%d threads=%s", os.Getenv(slackExeced), cur, strings.Join(others, ","))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestTimerSlackEveryThread$", "-test.v")
	cmd.Env = append(os.Environ(), "ROLLCALL_TEST_SLACK_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	_, report, ok := strings.Cut(string(out), "execed=")
	if !ok {
		t.Fatalf("no report: %s", out)
	}
	report, _, _ = strings.Cut(report, "\n")
	want := strconv.Itoa(int(3 * time.Millisecond))
	if !strings.HasPrefix(report, "1 slack="+want+" ") {
		t.Fatalf("the child was not run again with the slack: %s", report)
	}
	_, threads, _ := strings.Cut(report, "threads=")
	if threads == "unreadable" {
		t.Logf("the other threads' slack is not readable here: %s", report)
		return
	}
	n := 0
	for s := range strings.SplitSeq(threads, ",") {
		if s != want {
			t.Errorf("a thread sleeps with a slack of %s ns, not %s: %s", s, want, report)
		}
		n++
	}
	if n < 2 {
		t.Errorf("%d threads: %s", n, report)
	}
	t.Log(report)
}
