package sqlite

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// Test hooks: they reach into the Store from package sqlite_test.

// CarefulBatches is how many batches run with savepoints after a failure after a write.
const CarefulBatches = carefulBatches

// PurgeIdempotencyPlan is SQLite's plan of the statement PurgeIdempotency reads its
// rows with.
func PurgeIdempotencyPlan(t *testing.T, s *Store) []string {
	return explain(t, s, purgeIdempotency, []any{250, 0})
}

// OpenDB opens a pool on the file at path with this build's driver (driver_*.go).
func OpenDB(path string) (*sql.DB, error) { return openDB(path), nil }

// ErrCode is the SQLite extended result code of a driver error.
func ErrCode(err error) (int, bool) { return errCode(err) }

// WriterExec runs a statement on the writer's connection, inside a batch.
func WriterExec(s *Store, query string) error {
	return s.Update(context.Background(), func(t rollcall.Tx) error {
		_, err := t.(*tx).c.conn.ExecContext(context.Background(), query)
		return err
	})
}

// WriterQuery returns the one value query returns on the writer's connection.
func WriterQuery(s *Store, query string) (v string, err error) {
	err = s.Update(context.Background(), func(t rollcall.Tx) error {
		return t.(*tx).c.conn.QueryRowContext(context.Background(), query).Scan(&v)
	})
	return v, err
}

// ReaderQuery returns the one value query returns on a read connection.
func ReaderQuery(s *Store, query string) (v string, err error) {
	err = s.View(context.Background(), func(t rollcall.Tx) error {
		if err := t.(*tx).conn(); err != nil {
			return err
		}
		return t.(*tx).c.conn.QueryRowContext(context.Background(), query).Scan(&v)
	})
	return v, err
}

// WatchNoRoom turns the watch of the free space (room, checkpoint.go) off, for tests
// that fill the disk under the WAL on purpose.
func WatchNoRoom(s *Store) { s.w.room.floor.Store(0) }

// SetMaxWALFrames lowers the WAL length past which the writer restarts the WAL.
func SetMaxWALFrames(s *Store, n int64) { s.cp.maxFrames.Store(n) }

// SetMaxGather sets the longest a small batch waits for the callers just answered
// (writer.go, gather). Set it before the first Update.
func SetMaxGather(s *Store, d time.Duration) { s.w.maxGather = d }

// SetRestoreHook makes every restore call fn at each of its steps ("prepared",
// "closed", "reopen": see restoreHook); an error from fn fails the restore there. The
// returned function removes the hook.
func SetRestoreHook(fn func(step string) error) (undo func()) {
	restoreHook = fn
	return func() { restoreHook = nil }
}

// FailRestoreAt makes every restore fail at step, until the test ends.
func FailRestoreAt(tb interface{ Cleanup(func()) }, step string, err error) {
	tb.Cleanup(SetRestoreHook(func(s string) error {
		if s == step {
			return err
		}
		return nil
	}))
}
