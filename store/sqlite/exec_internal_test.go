package sqlite

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall"
)

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
