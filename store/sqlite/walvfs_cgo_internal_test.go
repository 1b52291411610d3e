//go:build cgo && linux

package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/testdeps"
)

// walTestConn is a connection of openOwnedDB's (the writer's) on path, with table t.
func walTestConn(t *testing.T, path, sync string) *sql.Conn {
	t.Helper()
	db := openOwnedDB(path, "journal_mode(WAL)", "synchronous("+sync+")", "wal_autocheckpoint(0)")
	t.Cleanup(func() { db.Close() })
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.ExecContext(context.Background(), "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, b BLOB)"); err != nil {
		t.Fatal(err)
	}
	return c
}

// walTestCommit inserts rows from..to-1 in one transaction, each 3,000 bytes of its ID's
// low byte: a commit of several WAL frames.
func walTestCommit(c *sql.Conn, from, to int) error {
	ctx := context.Background()
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	for id := from; id < to; id++ {
		if _, err := c.ExecContext(ctx, "INSERT INTO t VALUES (?, ?)", id, bytes.Repeat([]byte{byte(id)}, 3000)); err != nil {
			c.ExecContext(ctx, "ROLLBACK")
			return err
		}
	}
	_, err := c.ExecContext(ctx, "COMMIT")
	if err != nil {
		c.ExecContext(ctx, "ROLLBACK")
	}
	return err
}

// threadWrites is the count of write syscalls (write, pwrite64, writev...) of the
// calling OS thread.
func threadWrites(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/thread-self/io")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		var n int64
		if _, err := fmt.Sscanf(l, "syscw: %d", &n); err == nil {
			return n
		}
	}
	t.Fatalf("no syscw in /proc/thread-self/io: %s", b)
	return 0
}

// TestWALWritesCoalesced: a COMMIT of many WAL frames on a write connection writes
// them to the WAL in one syscall, not two per frame (walvfs_cgo.go). The commits run
// on one locked OS thread, whose write syscalls /proc/thread-self/io counts.
func TestWALWritesCoalesced(t *testing.T) {
	c := walTestConn(t, filepath.Join(t.TempDir(), "w.db"), "FULL")
	if err := walTestCommit(c, 1, 2); err != nil { // the WAL's header and first sync
		t.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const commits, rows = 20, 10
	before := threadWrites(t)
	for i := range commits {
		if err := walTestCommit(c, 2+i*rows, 2+(i+1)*rows); err != nil {
			t.Fatal(err)
		}
	}
	perCommit := float64(threadWrites(t)-before) / commits
	t.Logf("%.1f write syscalls per COMMIT of %d 3,000-byte rows", perCommit, rows)
	if perCommit > 1.5 {
		t.Fatalf("%.1f write syscalls per COMMIT: want the WAL frames in one", perCommit)
	}
}

// TestWALUnbufferedUnlessSyncFull: a commit that does not sync the WAL (synchronous
// NORMAL, at open or set later) must leave its frames in the file before it publishes
// them, so such a connection buffers nothing.
func TestWALUnbufferedUnlessSyncFull(t *testing.T) {
	dir := t.TempDir()
	commits := func(c *sql.Conn, from int) int64 {
		t.Helper()
		before := walBufferedWrites()
		for i := range 5 {
			if err := walTestCommit(c, from+i*10, from+(i+1)*10); err != nil {
				t.Fatal(err)
			}
		}
		return walBufferedWrites() - before
	}
	if n := commits(walTestConn(t, filepath.Join(dir, "normal.db"), "NORMAL"), 1); n != 0 {
		t.Errorf("synchronous=NORMAL: %d WAL writes buffered, want 0", n)
	}
	c := walTestConn(t, filepath.Join(dir, "full.db"), "FULL")
	if n := commits(c, 1); n == 0 {
		t.Fatal("synchronous=FULL: no WAL write buffered")
	}
	if _, err := c.ExecContext(context.Background(), "PRAGMA synchronous=1"); err != nil {
		t.Fatal(err)
	}
	if n := commits(c, 100); n != 0 {
		t.Errorf("synchronous set to 1 (NORMAL): %d WAL writes buffered, want 0", n)
	}
}

// TestWALReadersSeeEveryCommit: connections of the read pool (the unix VFS, their own
// descriptors) and a checkpointer, while the writer commits, see every committed row
// whole: IDs 1..n without a gap, n a whole number of commits, each row's bytes its own.
func TestWALReadersSeeEveryCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	w := walTestConn(t, path, "FULL")
	cp := walTestConn(t, path, "FULL")
	readers := openDB(path, "journal_mode(WAL)", "query_only(1)")
	defer readers.Close()
	const commits, rows = 300, 7
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	check := func() error {
		tx, err := readers.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		defer tx.Rollback()
		r, err := tx.Query("SELECT id, b FROM t ORDER BY id")
		if err != nil {
			return err
		}
		defer r.Close()
		n := 0
		for r.Next() {
			var id int
			var b []byte
			if err := r.Scan(&id, &b); err != nil {
				return err
			}
			n++
			if id != n || !bytes.Equal(b, bytes.Repeat([]byte{byte(id)}, 3000)) {
				return fmt.Errorf("row %d: id %d, %d bytes, not its own", n, id, len(b))
			}
		}
		if err := r.Err(); err != nil {
			return err
		}
		if n%rows != 0 {
			return fmt.Errorf("%d rows: not a whole number of commits of %d", n, rows)
		}
		return nil
	}
	// loop runs f every pause until done, or until f fails.
	loop := func(pause time.Duration, f func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				case <-time.After(pause):
				}
				if err := f(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range 3 {
		loop(0, check)
	}
	loop(5*time.Millisecond, func() error {
		_, err := cp.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		return err
	})
	buffered := walBufferedWrites()
	for i := range commits {
		if err := walTestCommit(w, 1+i*rows, 1+(i+1)*rows); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if walBufferedWrites() == buffered {
		t.Fatal("the writer buffered no WAL write")
	}
	if err := check(); err != nil {
		t.Fatal(err)
	}
}

// TestWALBufferOnFullDisk: a buffer that the disk has no room for fails its COMMIT
// with SQLITE_FULL (what the store's full-disk handling looks for), the commit is not
// there, every earlier one is, and commits succeed again once there is room (a buffer
// of 177 KB: more than the unix VFS's xWrite writes in one call).
func TestWALBufferOnFullDisk(t *testing.T) {
	dir := testdeps.SmallFS(t, 4<<20)
	path := filepath.Join(dir, "f.db")
	c := walTestConn(t, path, "FULL")
	if err := walTestCommit(c, 1, 2); err != nil {
		t.Fatal(err)
	}
	filler := testdeps.Fill(t, dir, "filler")
	const rows = 40 // 120 KB: more than the WAL file's last block holds
	flushes := walBufferFlushes()
	err := walTestCommit(c, 2, 2+rows)
	if code, _ := errCode(err); code != 13 { // SQLITE_FULL
		t.Fatalf("a COMMIT on a full disk: %v (code %d), want SQLITE_FULL", err, code)
	}
	if walBufferFlushes() == flushes {
		t.Fatal("no buffer was written: the failure did not come through the buffer")
	}
	var n int
	if err := c.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Fatalf("after the failed COMMIT: %d rows (%v), want 1", n, err)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := walTestCommit(c, 2, 2+rows); err != nil {
		t.Fatalf("once there is room: %v", err)
	}
	if err := c.QueryRowContext(context.Background(), "SELECT count(*) FROM t").Scan(&n); err != nil || n != 1+rows {
		t.Fatalf("%d rows (%v), want %d", n, err, 1+rows)
	}
}

// TestWALBufferLargeAndRolledBack: a transaction larger than the page cache (SQLite
// writes frames before the COMMIT) and than the buffer's 4 MiB, one rolled back after
// such writes, then a small commit: the files as a crash would leave them just after
// the COMMIT hold every committed row and none of the rolled-back ones.
func TestWALBufferLargeAndRolledBack(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "l.db")
	c := walTestConn(t, path, "FULL")
	ctx := context.Background()
	if err := walTestCommit(c, 1, 2001); err != nil { // 6 MB
		t.Fatal(err)
	}
	if _, err := c.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	for id := 5001; id < 6001; id++ {
		if _, err := c.ExecContext(ctx, "INSERT INTO t VALUES (?, ?)", id, bytes.Repeat([]byte{1}, 3000)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := walTestCommit(c, 2001, 2011); err != nil {
		t.Fatal(err)
	}
	crash := filepath.Join(t.TempDir(), "l.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(crash+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	db := openDB(crash)
	defer db.Close()
	var n, bad int
	var ok string
	if err := db.QueryRow("SELECT count(*), count(*) FILTER (WHERE length(b) <> 3000) FROM t").Scan(&n, &bad); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil {
		t.Fatal(err)
	}
	if n != 2010 || bad != 0 || ok != "ok" {
		t.Fatalf("after the crash: %d rows (want 2010), %d of a wrong length, integrity %q", n, bad, ok)
	}
}
