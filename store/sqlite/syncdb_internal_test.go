package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestCheckpointerSyncsBeforeRestart: the checkpointer fsyncs the database file itself
// before it asks the writer for a RESTART (checkpoint.go, syncBeforeRestart), so the
// RESTART's own fsync, which every Update waits for, finds only the pages copied since.
// With a limit of one frame every checkpoint asks for a RESTART; each RESTART the
// writer ran must have been asked for after such a sync.
func TestCheckpointerSyncsBeforeRestart(t *testing.T) {
	if walVFS() == "" {
		t.Skip("no WAL-buffering VFS in this build (walvfs_cgo.go): the database file is synced by SQLite alone")
	}
	s := mustOpenPlain(t)
	s.cp.maxFrames.Store(1)
	before := dbSyncs()
	ctx := context.Background()
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; s.Stats().Restarts < 3 && time.Now().Before(deadline); i++ {
		id := fmt.Sprintf("u%03d", i)
		if err := s.Update(ctx, func(tx rollcall.Tx) error {
			return tx.InsertUser(storetest.NewUser("A", id, id))
		}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	restarts, synced := s.Stats().Restarts, dbSyncs()-before
	if restarts < 3 {
		t.Fatalf("%d RESTARTs in 10s with a limit of one frame; want 3", restarts)
	}
	if synced < restarts {
		t.Fatalf("the checkpointer synced the database file %d times for %d RESTARTs; want one before each", synced, restarts)
	}
}
