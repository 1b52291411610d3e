//go:build cgo

package sqlite

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

// TestDatabaseFileGrowsInChunks: the write connections grow the database file dbChunk
// bytes at a time, so that a checkpoint's fsync seldom allocates blocks (checkpoint.go,
// dbChunk), and the file keeps its chunk after a RESTART on the writer's connection.
func TestDatabaseFileGrowsInChunks(t *testing.T) {
	s := mustOpenPlain(t)
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if err := s.Update(ctx, func(t2 rollcall.Tx) error {
			_, err := t2.(*tx).c.exec(ctx, q, args...)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	exec("CREATE TABLE chunk_test (b BLOB)")
	for range 8 {
		exec("INSERT INTO chunk_test VALUES (?)", []byte(strings.Repeat("x", 64<<10)))
	}
	s.cp.passive(ctx)
	s.w.restart.Store(true)
	exec("INSERT INTO chunk_test VALUES (?)", []byte("a RESTART runs after this batch"))
	exec("INSERT INTO chunk_test VALUES (?)", []byte("and before this one"))
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
