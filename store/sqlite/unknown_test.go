package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// unknownChild creates users on path and reports each outcome on stdout ("ok ID", or
// "err ID KIND "MESSAGE" CAUSE"). It says "ready" when the next create is the first the
// parent lets fail (by filling the disk), waits for SIGUSR1, creates until three are
// refused after the first failure, reads, says "done" and waits to be killed.
func unknownChild(path string) {
	ctx := context.Background()
	disk := make(chan os.Signal, 1)
	signal.Notify(disk, syscall.SIGUSR1)
	fail := func(err error) {
		fmt.Println("fail", err)
		os.Exit(2)
	}
	create := func(s *sqlite.Store, id string) error {
		return s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(storetest.NewUser("A", id, id)) })
	}
	s, err := sqlite.Open(path)
	if err != nil {
		fail(err)
	}
	for i := range 3 {
		id := fmt.Sprintf("before-%d", i)
		if err := create(s, id); err != nil {
			fail(err)
		}
		fmt.Println("ok", id)
	}
	// Closing checkpoints everything and removes the WAL. A View held open from the
	// reopening on reads the database file alone: no checkpoint can copy anything while
	// it is open, and SQLite cannot start the WAL over, so every commit appends to the
	// WAL and the first to meet the failing disk is a COMMIT's.
	if err := s.Close(); err != nil {
		fail(err)
	}
	if s, err = sqlite.Open(path); err != nil {
		fail(err)
	}
	holding, hold := make(chan struct{}), make(chan struct{})
	go s.View(ctx, func(tx rollcall.Tx) error {
		_, err := tx.User("A", "before-0")
		close(holding)
		<-hold
		return err
	})
	<-holding
	if err := create(s, "after-0"); err != nil { // the WAL's header and first frames
		fail(err)
	}
	fmt.Println("ok after-0")
	fmt.Println("ready")
	<-disk
	failed := 0
	for i := 0; failed < 4; i++ {
		if i == 1000 {
			fail(fmt.Errorf("1000 creates on a full disk and %d failed", failed))
		}
		id := fmt.Sprintf("full-%d", i)
		if err := create(s, id); err != nil {
			failed++
			// What the client sees (kind, message), then the cause, which goes to the log.
			fmt.Printf("err %s %s %q %s\n", id, rollcall.ErrorKind(err), rollcall.ErrorMessage(err), strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		fmt.Println("ok", id)
	}
	var n int
	err = s.View(ctx, func(tx rollcall.Tx) error {
		all, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
		n = len(all)
		return err
	})
	if err != nil {
		fail(err)
	}
	fmt.Println("view", n)
	err = s.ProbeWrite(ctx) // the health check's write probe
	fmt.Printf("probe %s %q\n", rollcall.ErrorKind(err), rollcall.ErrorMessage(err))
	fmt.Println("done")
	select {} // until killed
}

// TestCommitOutcomeUnknown drives a COMMIT whose outcome cannot be told. A child process
// (this test binary again) writes to a database on a disk that fails under it
// (testdeps.ThinDisk): its WAL frames are written, their fsync fails with EIO, ext4
// aborts its journal and turns read-only, so the writer cannot invalidate the frames
// either (wal.go). Required, as the client sees it: that create is answered Internal
// "An internal error occurred." (not success, not a certain failure; the cause, for the
// log, says the outcome is unknown); every later write is refused, Unavailable, until a
// restart, and the health check's write probe says so; reads still work. After the crash (the child killed, the disk unmounted with
// what it could not write dropped, then checked and mounted again, with space), every
// acknowledged create is there, no refused one is, and the store writes again.
func TestCommitOutcomeUnknown(t *testing.T) {
	const env = "ROLLCALL_SQLITE_UNKNOWN_CHILD" // the database, when this binary runs as the child
	if path := os.Getenv(env); path != "" {
		unknownChild(path)
		return
	}
	testdeps.Slow(t, "starts a child process on a loop-mounted disk")
	disk := testdeps.NewThinDisk(t, 64<<20, 24<<20)
	path := filepath.Join(disk.Dir, "rollcall.db")

	cmd, sc := startChild(t, "TestCommitOutcomeUnknown", env, path)
	defer cmd.Process.Kill()

	var acked, refused []string
	var unknown, filler string
	reads, probe := -1, ""
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), " ", 4)
		switch f[0] {
		case "ok":
			if unknown != "" {
				t.Errorf("%s acknowledged after a commit's outcome was unknown", f[1])
			}
			acked = append(acked, f[1])
		case "ready": // the next commit is the first to meet the failing disk
			filler = testdeps.Fill(t, disk.Backing, "filler")
			if err := cmd.Process.Signal(syscall.SIGUSR1); err != nil {
				t.Fatal(err)
			}
		case "err":
			id, kind, msg := f[1], f[2], f[3]
			if unknown == "" {
				unknown = id
				if kind != rollcall.Internal.String() || !strings.HasPrefix(msg, `"An internal error occurred." `) || !strings.Contains(msg, "the outcome is unknown") {
					t.Errorf("the create whose COMMIT failed on the disk: %s %s; want internal, its cause the outcome is unknown", kind, msg)
				}
				continue
			}
			refused = append(refused, id)
			if kind != rollcall.Unavailable.String() || !strings.HasPrefix(msg, `"the database cannot write until rollcall restarts" `) {
				t.Errorf("create %s after an unknown outcome: %s %s; want unavailable, the database cannot write until rollcall restarts", id, kind, msg)
			}
		case "view":
			fmt.Sscan(f[1], &reads)
		case "probe":
			probe = strings.Join(f[1:], " ")
		case "fail":
			t.Fatalf("child: %s", sc.Text())
		case "done":
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	cmd.Wait()
	if unknown == "" || len(refused) == 0 {
		t.Fatalf("the child's creates: %d acknowledged, none failed on the full disk", len(acked))
	}
	if reads != len(acked) {
		t.Errorf("a read after the failure saw %d users, want the %d acknowledged", reads, len(acked))
	}
	if want := `unavailable "the database cannot write until rollcall restarts"`; probe != want {
		t.Errorf("the health check's write probe: %s, want %s", probe, want)
	}

	// The crash: what the disk could not write is gone. Then space, a check, a restart.
	disk.Unmount()
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	disk.Mount()
	s := mustOpenPath(t, path)
	defer s.Close()
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		for _, id := range acked {
			if _, err := tx.User("A", id); err != nil {
				t.Errorf("acknowledged user %s lost: %v", id, err)
			}
		}
		for _, id := range refused {
			if _, err := tx.User("A", id); !rollcall.IsKind(err, rollcall.NotFound) {
				t.Errorf("user %s was refused, yet is there after recovery (%v)", id, err)
			}
		}
		_, err := tx.User("A", unknown)
		t.Logf("%d creates acknowledged, then %s's outcome unknown (after recovery: %v), %d refused", len(acked), unknown, err, len(refused))
		return nil
	})
	storetest.MustInsert(t, s, storetest.NewUser("A", "after-restart", "after-restart"))
}
