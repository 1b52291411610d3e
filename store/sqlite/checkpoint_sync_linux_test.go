package sqlite

import (
	"syscall"
	"testing"
	"unsafe"
)

// TestPassiveCheckpointSyncsItsPages: SQLite leaves its fsync of the database file out
// of a PASSIVE checkpoint that cannot reach the end of the WAL (here a reader holds an
// older snapshot; under load, newer commits do), so the checkpointer syncs what it
// copied, lest the writer's RESTART write it all while Updates wait (checkpoint.go).
func TestPassiveCheckpointSyncsItsPages(t *testing.T) {
	s := mustOpenPlain(t)
	s.cp.mu.Lock() // no checkpoint runs until the reader holds its snapshot
	locked := true
	defer func() {
		if locked {
			s.cp.mu.Unlock()
		}
	}()
	writeBlobs(writerExec(t, s), "sync_test", 16)
	reader := openDB(s.path, pragmas(s.opts, true)...)
	defer reader.Close()
	rtx, err := reader.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rtx.Rollback()
	var n int
	if err := rtx.QueryRow("SELECT count(*) FROM sync_test").Scan(&n); err != nil || n != 16 {
		t.Fatalf("reader: %d rows, %v", n, err)
	}
	writerExec(t, s)("INSERT INTO sync_test VALUES (NULL)") // after the reader's snapshot
	s.cp.mu.Unlock()
	locked = false

	s.cp.passive(t.Context())
	dirty, err := dirtyPages(&s.cp.db, s.path)
	if err == syscall.ENOSYS {
		t.Skip("no cachestat(2) on this kernel")
	}
	if err != nil {
		t.Fatal(err)
	}
	if dirty != 0 {
		t.Fatalf("after a PASSIVE checkpoint, %d pages of the database file are still dirty or under writeback", dirty)
	}
}

// dirtyPages is how many of the file's pages in the page cache are dirty or being
// written back (cachestat(2), Linux 6.5). It reads them through h, which it leaves
// open (see heldFile).
func dirtyPages(h *heldFile, path string) (uint64, error) {
	f, err := h.open(path)
	if err != nil {
		return 0, err
	}
	var rng [2]uint64 // off, len: 0 is to the end
	var st struct{ cache, dirty, writeback, evicted, recentlyEvicted uint64 }
	const sysCachestat = 451
	if _, _, e := syscall.Syscall6(sysCachestat, f.Fd(), uintptr(unsafe.Pointer(&rng)), uintptr(unsafe.Pointer(&st)), 0, 0, 0); e != 0 {
		return 0, e
	}
	return st.dirty + st.writeback, nil
}
