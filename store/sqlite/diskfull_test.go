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
