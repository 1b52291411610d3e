package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestCheckpoints: the checkpointer copies the WAL into the database while Updates
// and Views run, and the WAL stays small. With a limit of one frame, every checkpoint
// that finds the WAL in use asks the writer for a RESTART, so that path runs too.
func TestCheckpoints(t *testing.T) {
	s, path := mustOpenNew(t)
	defer s.Close()
	sqlite.SetMaxWALFrames(s, 1)

	done := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				s.View(context.Background(), func(tx rollcall.Tx) error {
					_, err := tx.Users(rollcall.UserQuery{DirectoryID: "A", Limit: 10})
					return err
				})
			}
		})
	}
	const rounds, perRound = 10, 50
	maxWAL := int64(0)
	for r := range rounds {
		var wg sync.WaitGroup
		for i := range perRound {
			wg.Go(func() {
				id := fmt.Sprintf("u%02d-%02d", r, i)
				if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
					return tx.InsertUser(storetest.NewUser("A", id, id))
				}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if fi, err := os.Stat(path + "-wal"); err == nil {
			maxWAL = max(maxWAL, fi.Size())
		}
	}
	close(done)
	readers.Wait()

	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().Restarts == 0 && time.Now().Before(deadline) {
		storetest.MustInsert(t, s, storetest.NewTenant(fmt.Sprint(time.Now().UnixNano())))
		time.Sleep(10 * time.Millisecond)
	}
	st := s.Stats()
	if st.Checkpoints == 0 || st.Restarts == 0 {
		t.Fatalf("%d checkpoints, %d WAL restarts; want some of each", st.Checkpoints, st.Restarts)
	}
	if maxWAL > 16<<20 {
		t.Fatalf("the WAL grew to %d bytes with a limit of one frame", maxWAL)
	}
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		users, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
		if len(users) != rounds*perRound {
			t.Errorf("%d users, want %d", len(users), rounds*perRound)
		}
		return err
	})
	t.Logf("%d checkpoints, %d WAL restarts, WAL at most %d KiB", st.Checkpoints, st.Restarts, maxWAL>>10)
}

// TestCloseStopsGoroutines: a closed Store leaves no goroutine behind.
func TestCloseStopsGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 5 {
		s, _ := mustOpenNew(t)
		storetest.MustInsert(t, s, storetest.NewUser("A", "u1", "k"))
		storetest.MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.User("A", "u1"); return err })
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines after closing, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
