package main

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/testdeps"
)

// TestSlowSysmon: slowSysmon gives one thread, sysmon, the slack, and no other. Where
// the process may not set another thread's slack (no CAP_SYS_NICE) it says so.
func TestSlowSysmon(t *testing.T) {
	const d = 3 * time.Millisecond
	err := slowSysmon(d)
	if errors.Is(err, os.ErrPermission) {
		testdeps.Require(t, err, "CAP_SYS_NICE (run the tests as root)")
	}
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := filepath.Glob("/proc/self/task/*")
	if err != nil {
		t.Fatal(err)
	}
	slow := 0
	for _, task := range tasks {
		path := "/proc/" + filepath.Base(task) + "/timerslack_ns"
		b, err := os.ReadFile(path)
		if err != nil {
			continue // the thread has ended
		}
		switch v := strings.TrimSpace(string(b)); v {
		case strconv.Itoa(int(d)):
			slow++
			os.WriteFile(path, []byte("0"), 0) // back to the kernel's, for the tests after
		case "50000":
		default:
			t.Errorf("a thread sleeps with a slack of %s ns", v)
		}
	}
	if slow != 1 {
		t.Errorf("%d threads got the slack, want sysmon's alone (%d threads)", slow, len(tasks))
	}
}
