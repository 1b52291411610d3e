//go:build cgo

package sqlite

import (
	"context"
	"os"
	"testing"

	"github.com/rollcall/rollcall"
)

// TestDatabaseFileGrowsInChunks: the write connections grow the database file dbChunk
// bytes at a time, so that a checkpoint's fsync seldom allocates blocks (checkpoint.go,
// dbChunk), and the file keeps its chunk after a RESTART on the writer's connection.
func TestDatabaseFileGrowsInChunks(t *testing.T) {
	s := mustOpenPlain(t)
	writeBlobs(writerExec(t, s), "chunk_test", 8)
	s.cp.passive(context.Background())
	s.w.restart.Store(true)
	for range 2 { // the RESTART runs after the first batch, before the second
		writerExec(t, s)("INSERT INTO chunk_test VALUES (NULL)")
	}
	if s.Stats().Restarts == 0 {
		t.Fatal("no RESTART ran")
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() < dbChunk || fi.Size()%dbChunk != 0 {
		t.Fatalf("the database file is %d bytes, not a multiple of the %d-byte chunk", fi.Size(), dbChunk)
	}
}

// writerExec returns a function that runs one statement in an Update of its own, on
// the writer's connection, and fails t if it fails.
func writerExec(t *testing.T, s *Store) func(q string, args ...any) {
	return func(q string, args ...any) {
		t.Helper()
		ctx := context.Background()
		if err := s.Update(ctx, func(t2 rollcall.Tx) error {
			_, err := t2.(*tx).c.exec(ctx, q, args...)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// writeBlobs creates table and inserts n rows of 64 KiB into it, an Update each: pages
// for the WAL and, once checkpointed, for the database file.
func writeBlobs(exec func(string, ...any), table string, n int) {
	exec("CREATE TABLE " + table + " (b BLOB)")
	for range n {
		exec("INSERT INTO "+table+" VALUES (?)", make([]byte, 64<<10))
	}
}
