//go:build cgo

package sqlite

import (
	"context"
	"os"
	"testing"
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
