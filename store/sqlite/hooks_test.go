package sqlite_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
)

// TestHooks: the Commit hook sees each committed transaction with the Updates it
// carried, the Checkpoint hook each checkpoint, and QueueDepth the Updates waiting.
func TestHooks(t *testing.T) {
	var mu sync.Mutex
	var commits []int
	checkpoints := make(chan time.Duration, 16)
	s := mustOpen(t, sqlite.WithHooks(sqlite.Hooks{
		Commit: func(n int, d time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			if d <= 0 {
				t.Errorf("a commit took %v", d)
			}
			commits = append(commits, n)
		},
		Checkpoint: func(d time.Duration) {
			select {
			case checkpoints <- d:
			default:
			}
		},
	}))
	release := blockWriter(t, s) // one Update, committed alone
	if got := s.QueueDepth(); got != 0 {
		t.Fatalf("QueueDepth with nothing waiting = %d", got)
	}
	done := make(chan error, 3)
	for i := range 3 {
		go func() {
			done <- s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertUser(numbered(i)) })
		}()
	}
	waitQueued(t, s, 3)
	if got := s.QueueDepth(); got != 3 {
		t.Fatalf("QueueDepth = %d, want 3", got)
	}
	release()
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	got := append([]int(nil), commits...)
	mu.Unlock()
	if len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Fatalf("Commit hook saw %v, want [1 3]: the blocking Update alone, then the three queued behind it together", got)
	}
	select {
	case <-checkpoints:
	case <-time.After(10 * time.Second):
		t.Fatal("no checkpoint observed within 10s of a commit")
	}
}
