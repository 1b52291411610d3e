package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/store/sqlite"
)

const (
	restoreChildEnv = "ROLLCALL_SQLITE_RESTORE_CHILD"
	restoreStepEnv  = "ROLLCALL_SQLITE_RESTORE_STEP"
)

// TestSnapshotRestoreKilled SIGKILLs a process in the middle of a restore, at each of
// its steps: with the copy ready, with every connection closed (the WAL checkpointed
// and gone), and with the new file renamed into place before the connections are
// opened again. The database opens with the state before the restore or after it,
// whole, the copy left behind is removed, and a restore then works.
func TestSnapshotRestoreKilled(t *testing.T) {
	if asChild(restoreChildEnv, func(path string) { restoreChild(path, os.Getenv(restoreStepEnv)) }) {
		return
	}
	testdeps.Slow(t, "starts a child process")
	for _, c := range []struct {
		step     string
		restored bool
	}{{"prepared", false}, {"closed", false}, {"reopen", true}} {
		t.Run(c.step, func(t *testing.T) {
			s, path := savedFixture(t, 2000, "base")
			extra := benchUser("extra")
			if err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertUser(extra) }); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			t.Setenv(restoreStepEnv, c.step)
			cmd, sc := startChild(t, "TestSnapshotRestoreKilled", restoreChildEnv, path)
			if !sc.Scan() || sc.Text() != c.step {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("the child said %q, want %q", sc.Text(), c.step)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()

			s = mustOpenPath(t, path)
			defer s.Close()
			wantDir, wantN := "current", 2001
			if c.restored {
				wantDir, wantN = "directory A", 2000
			}
			wantState(t, s, fmt.Sprintf("after a restore killed at %s", c.step), wantDir, wantN)
			wantNoTemp(t, path)
			if err := s.RestoreSnapshot(context.Background(), "base"); err != nil {
				t.Fatal(err)
			}
			wantState(t, s, "after the restore", "directory A", 2000)
		})
	}
}

// restoreChild restores "base" and stops for good at step, saying so on stdout, to be
// killed there.
func restoreChild(path, step string) {
	s := openInChild(path)
	sqlite.SetRestoreHook(func(at string) error {
		if at == step {
			fmt.Fprintln(os.Stdout, at)
			select {}
		}
		return nil
	})
	err := s.RestoreSnapshot(context.Background(), "base")
	fmt.Fprintln(os.Stderr, "the restore returned:", err)
	os.Exit(3)
}
