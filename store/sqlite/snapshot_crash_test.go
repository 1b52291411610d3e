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

const restoreChildEnv = "ROLLCALL_SQLITE_RESTORE_CHILD"

// TestSnapshotRestoreKilled SIGKILLs a process in the middle of a restore (after it
// copied the users back, before it committed): the database opens with the state it
// had before the restore, and a restore then works.
func TestSnapshotRestoreKilled(t *testing.T) {
	if asChild(restoreChildEnv, restoreChild) {
		return
	}
	testdeps.Slow(t, "starts a child process")
	s, path := snapshotFixture(t, 2000)
	if _, err := s.SaveSnapshot(context.Background(), "base"); err != nil {
		t.Fatal(err)
	}
	renameA(t, s, "current")
	extra := benchUser("extra")
	if err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertUser(extra) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	cmd, sc := startChild(t, "TestSnapshotRestoreKilled", restoreChildEnv, path)
	if !sc.Scan() || sc.Text() != "users copied" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child said %q, want %q", sc.Text(), "users copied")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	s = mustOpenPath(t, path)
	defer s.Close()
	if got, n := dirName(t, s), countUsers(t, s); got != "current" || n != 2001 {
		t.Fatalf("after a restore killed before its commit: directory %q, %d users; want the state before it", got, n)
	}
	if err := s.RestoreSnapshot(context.Background(), "base"); err != nil {
		t.Fatal(err)
	}
	if got, n := dirName(t, s), countUsers(t, s); got != "directory A" || n != 2000 {
		t.Errorf("after the restore: directory %q, %d users", got, n)
	}
}

// restoreChild restores "base" and stops for good once the users are copied back,
// saying so on stdout, to be killed there.
func restoreChild(path string) {
	s := openInChild(path)
	sqlite.SetRestoreHook(func(table string) error {
		if table == "users" {
			fmt.Fprintln(os.Stdout, "users copied")
			select {}
		}
		return nil
	})
	err := s.RestoreSnapshot(context.Background(), "base")
	fmt.Fprintln(os.Stderr, "the restore returned:", err)
	os.Exit(3)
}
