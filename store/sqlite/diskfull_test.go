package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
	sqlite3 "modernc.org/sqlite/lib"
)

// TestFullDiskWhenTheWALIndexMustGrow fills a small filesystem so that the WAL still has
// room (preallocated) but the -shm cannot grow when the log passes its first 32 KiB
// region (4062 frames). The COMMIT then fails with SQLITE_IOERR_SHMSIZE after its frames,
// commit frame included, were written and fsynced. Required: the answer is Unavailable
// (503), not Internal; after a crash (the files copied as SIGKILL leaves them, then
// recovered) the create answered 503 is not there and every acknowledged one is; and
// once space is freed, creates succeed again without a restart.
func TestFullDiskWhenTheWALIndexMustGrow(t *testing.T) {
	dir := testdeps.SmallFS(t, 32<<20)
	path := filepath.Join(dir, "rollcall.db")
	s := mustOpenPath(t, path)
	defer s.Close()
	sqlite.WatchNoRoom(s) // else the writer refuses at 1 MiB free, and truncates the WAL grown below
	pageSize, err := sqlite.WriterQuery(s, "PRAGMA page_size")
	if err != nil {
		t.Fatal(err)
	}
	var ps int64
	fmt.Sscan(pageSize, &ps)
	wal, err := os.OpenFile(path+"-wal", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	const keepSize = 1 // FALLOC_FL_KEEP_SIZE: blocks for the WAL to grow into
	if err := syscall.Fallocate(int(wal.Fd()), keepSize, 0, 4600*(ps+24)); err != nil {
		t.Fatal(err)
	}
	wal.Close()
	filler := testdeps.Fill(t, dir, "filler")

	var acked []string
	var failedID string
	var failErr error
	for i := 0; failErr == nil; i++ {
		if i == 20000 {
			t.Fatal("20000 creates and none failed: the -shm never had to grow")
		}
		id := fmt.Sprintf("u%06d", i)
		if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
			return tx.InsertUser(storetest.NewUser("A", id, id))
		}); err != nil {
			failedID, failErr = id, err
			break
		}
		acked = append(acked, id)
	}
	if code, _ := sqlite.ErrCode(failErr); code != sqlite3.SQLITE_IOERR_SHMSIZE {
		t.Logf("the failure is not SQLITE_IOERR_SHMSIZE: %v", failErr)
	}
	t.Logf("%d creates acknowledged, then %s: %v", len(acked), failedID, failErr)
	storetest.WantKind(t, "a create on a full disk", failErr, rollcall.Unavailable)
	var re *rollcall.Error
	if errors.As(failErr, &re) && re.Message != "the database is full" {
		t.Errorf("message %q, want the database is full", re.Message)
	}
	// A second create in the same state: the same answer, nothing kept.
	again := s.Update(context.Background(), func(tx rollcall.Tx) error {
		return tx.InsertUser(storetest.NewUser("A", "again", "again"))
	})
	storetest.WantKind(t, "a second create on a full disk", again, rollcall.Unavailable)

	// What a SIGKILL now would leave: the database and its WAL (the -shm is rebuilt).
	crash := filepath.Join(t.TempDir(), "rollcall.db")
	copyFile(t, path, crash)
	copyFile(t, path+"-wal", crash+"-wal")
	c := mustOpenPath(t, crash)
	storetest.MustView(t, c, func(tx rollcall.Tx) error {
		for _, id := range []string{failedID, "again"} {
			if _, err := tx.User("A", id); !rollcall.IsKind(err, rollcall.NotFound) {
				t.Errorf("user %s was answered %v, yet is there after recovery (%v)", id, rollcall.Unavailable, err)
			}
		}
		for _, id := range acked {
			if _, err := tx.User("A", id); err != nil {
				t.Fatalf("acknowledged user %s lost: %v", id, err)
			}
		}
		return nil
	})
	c.Close()

	// Space again: the next create succeeds, without a restart.
	os.Remove(filler)
	start := time.Now()
	if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		return tx.InsertUser(storetest.NewUser("A", failedID, failedID))
	}); err != nil {
		t.Fatalf("create once space is freed: %v", err)
	}
	t.Logf("the first create after space was freed succeeded in %v", time.Since(start))
}

// TestFullDiskWALGivesSpaceBack: a WAL that cannot start over (a View holds an old
// snapshot, as a slow one does while the checkpointer waits) grows with every commit,
// until the filesystem is full; space is freed, and it grows again. Required: once the
// View ends, the store writes again and the health check's probe says so, without a
// restart. Before, the WAL took every byte freed, so the checkpoint that lets it start
// over could not grow the database file: every write failed, and the probe said full,
// until a restart. Now the writer keeps the last MiB for that checkpoint, and truncates
// the WAL to give its space back.
func TestFullDiskWALGivesSpaceBack(t *testing.T) {
	dir := testdeps.SmallFS(t, 8<<20)
	ballast := filepath.Join(dir, "ballast")
	if err := os.WriteFile(ballast, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	s := mustOpenPath(t, filepath.Join(dir, "rollcall.db"))
	defer s.Close()
	storetest.MustInsert(t, s, storetest.NewTenant(storetest.TenantID), storetest.NewDirectory("A"))
	n := 0
	fill := func(when string) {
		t.Helper()
		release, held := make(chan struct{}), make(chan struct{})
		go s.View(context.Background(), func(tx rollcall.Tx) error {
			_, err := tx.CountUsers(rollcall.UserQuery{DirectoryID: "A"})
			close(held)
			<-release
			return err
		})
		<-held
		defer close(release)
		for start := n; ; n++ {
			if n-start == 100000 {
				t.Fatalf("%s: 100000 creates and none failed", when)
			}
			id := fmt.Sprintf("u%06d", n)
			err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertUser(storetest.NewUser("A", id, id)) })
			if err != nil {
				storetest.WantKind(t, when, err, rollcall.Unavailable)
				t.Logf("%s: %d creates, then %v", when, n-start, err)
				return
			}
		}
	}
	fill("the disk filled")
	os.Remove(ballast)
	fill("the freed space filled")
	if err := s.ProbeWrite(context.Background()); err != nil {
		t.Fatalf("the View ended, the health probe: %v", err)
	}
	storetest.MustInsert(t, s, storetest.NewUser("A", "after", "after"))
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o666); err != nil {
		tb.Fatal(err)
	}
}
