//go:build cgo && linux

package sqlite

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall"
)

// TestWALSyncedWithFdatasync: the writer's COMMITs sync
// the WAL with fdatasync, not fsync (walsync_cgo.go), and still one sync per COMMIT.
func TestWALSyncedWithFdatasync(t *testing.T) {
	if walVFS() == "" {
		t.Fatal("the fdatasync VFS could not be registered")
	}
	s := mustOpenPlain(t)
	write := func() {
		t.Helper()
		if err := s.Update(context.Background(), func(t2 rollcall.Tx) error {
			c := t2.(*tx).c
			if _, err := c.exec(context.Background(), "CREATE TABLE IF NOT EXISTS sync_probe (x INTEGER)"); err != nil {
				return err
			}
			_, err := c.exec(context.Background(), "INSERT INTO sync_probe VALUES (1)")
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	write() // the WAL's first sync is the unix VFS's (it syncs the new file's directory)
	const n = 5
	before, commits := walDataSyncs(), s.Stats().Commits
	for range n {
		write()
	}
	synced, committed := walDataSyncs()-before, s.Stats().Commits-commits
	if committed != n || synced < n {
		t.Fatalf("%d COMMITs, %d WAL fdatasyncs: want one fdatasync each at least", committed, synced)
	}
}
