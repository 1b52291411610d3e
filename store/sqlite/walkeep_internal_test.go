package sqlite

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall"
)

// TestWALKeptPastItsRestart: journal_size_limit keeps a WAL file as long as the WAL
// grows before the writer restarts it (maxWALFrames, and a quarter more appended until
// the RESTART runs), so a restart does not truncate the file for the next cycle to grow
// it again (checkpoint.go, walKeep).
func TestWALKeptPastItsRestart(t *testing.T) {
	s := mustOpenPlain(t)
	var limit, pageSize int64
	if err := s.Update(context.Background(), func(t2 rollcall.Tx) error {
		c := t2.(*tx).c // the writer's connection
		if err := c.queryRow(context.Background(), "PRAGMA journal_size_limit").Scan(&limit); err != nil {
			return err
		}
		return c.queryRow(context.Background(), "PRAGMA page_size").Scan(&pageSize)
	}); err != nil {
		t.Fatal(err)
	}
	peak := maxWALFrames * 5 / 4 * (pageSize + walFrameHeaderSize)
	if limit < peak {
		t.Fatalf("journal_size_limit is %d bytes; a WAL of %d frames of %d bytes reaches %d before its RESTART", limit, maxWALFrames*5/4, pageSize, peak)
	}
}
