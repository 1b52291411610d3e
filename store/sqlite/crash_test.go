package sqlite_test

import (
	"github.com/rollcall/rollcall/internal/testdeps"

	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// crashChildEnv names the database a re-executed test binary writes to until killed.
const crashChildEnv = "ROLLCALL_SQLITE_CRASH_CHILD"

// TestCrashDurability runs a child process (this test binary again) that creates users
// from many goroutines and prints each one's ID once its Update has returned, then
// SIGKILLs it in mid-stream. Every ID the child printed, that is, every create it had
// acknowledged, must be in the database when the parent opens it.
func TestCrashDurability(t *testing.T) {
	if asChild(crashChildEnv, crashChild) {
		return
	}
	testdeps.Slow(t, "starts a child process")
	path := filepath.Join(t.TempDir(), "rollcall.db")
	cmd, sc := startChild(t, "TestCrashDurability", crashChildEnv, path)
	const killAfter = 3000
	var acked []string
	for sc.Scan() {
		acked = append(acked, sc.Text())
		if len(acked) == killAfter {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	for sc.Scan() { // acknowledged before the kill landed
		acked = append(acked, sc.Text())
	}
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed by SIGKILL (%v) after %d acknowledgements", err, len(acked))
	}

	s := mustOpenPath(t, path)
	defer s.Close()
	stored := 0
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		for _, id := range acked {
			if _, err := tx.User("A", id); err != nil {
				t.Errorf("user %s was acknowledged, then lost to SIGKILL: %v", id, err)
			}
		}
		all, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
		stored = len(all)
		return err
	})
	t.Logf("%d creates acknowledged before SIGKILL, all there; %d stored (the rest committed but not yet printed)", len(acked), stored)
}

// crashChild creates users from 32 goroutines until it is killed, printing each ID to
// stdout after its Update returned.
func crashChild(path string) {
	s := openInChild(path)
	var mu sync.Mutex
	var seq atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(time.Minute) // in case nobody kills us
	for range 32 {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				id := fmt.Sprintf("u%08d", seq.Add(1))
				u := storetest.NewUser("A", id, id)
				if err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertUser(u) }); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintln(os.Stdout, id) // unbuffered: one write per acknowledgement
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	os.Exit(3)
}

// asChild runs child with the path startChild set env to, and reports whether it did,
// in a test that runs as the parent and as the child: the child runs when env is set.
func asChild(env string, child func(path string)) bool {
	path := os.Getenv(env)
	if path == "" {
		return false
	}
	child(path)
	return true
}

// openInChild opens the database of a child process, which exits 2 when it cannot.
func openInChild(path string) *sqlite.Store {
	s, err := sqlite.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	return s
}

// startChild runs this test binary again, for test alone, with env set to path, and
// returns it with a scanner of its stdout.
func startChild(t *testing.T, test, env, path string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}
