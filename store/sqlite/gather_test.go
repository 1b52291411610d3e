package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestBatchWaitsForTheCallersJustAnswered: at low load the callers answered by one
// batch come back a round trip later, while an Update handed in during that batch's
// COMMIT is already waiting; the next batch waits for them (writer.go, gather) instead
// of committing that Update alone and theirs in a third batch. Here two callers' Updates
// commit together; during that commit a third Update is handed in; the two callers, once
// answered, each hand in another Update 10 ms later. All three commit together.
func TestBatchWaitsForTheCallersJustAnswered(t *testing.T) {
	var mu sync.Mutex
	var commits []int
	hold, held := make(chan struct{}), make(chan struct{})
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "rollcall.db"), sqlite.WithHooks(sqlite.Hooks{Commit: func(n int, _ time.Duration) {
		mu.Lock()
		commits = append(commits, n)
		k := len(commits)
		mu.Unlock()
		if k == 2 { // the two callers' commit: held until the third Update waits
			close(held)
			<-hold
		}
	}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	sqlite.SetMaxGather(s, time.Minute) // the wait is bounded by how long the held batch took

	ctx := context.Background()
	insert := func(id string) error {
		return s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(storetest.NewUser("A", id, id)) })
	}
	// The first batch: one Update, held in its fn until both callers wait behind it.
	release, first := holdFirst(ctx, s)
	errs := make(chan error, 5)
	for c := range 2 {
		go func() {
			if err := insert(fmt.Sprintf("caller%d-1", c)); err != nil {
				errs <- err
				return
			}
			time.Sleep(10 * time.Millisecond) // the round trip before the caller's next request
			errs <- insert(fmt.Sprintf("caller%d-2", c))
		}()
	}
	waitQueued(t, s, 2)
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	<-held
	go func() { errs <- insert("third") }()
	waitQueued(t, s, 1)
	time.Sleep(100 * time.Millisecond) // the held batch takes longer than the callers' round trip
	close(hold)
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(commits) != 3 || commits[0] != 1 || commits[1] != 2 || commits[2] != 3 {
		t.Fatalf("commits carried %v Updates; want [1 2 3]: the third Update waits for the two callers just answered", commits)
	}
}

// TestGatherSkipsDetachedUpdates: a detached Update (rollcall.Detached, the audit
// trail's batch) committed with the callers' Updates is no caller to wait for. Two
// callers' Updates and a detached one commit together; the callers come back 20 ms
// after the answer, and another Update is handed in 300 ms after it. The callers'
// Updates commit as soon as both are back, without waiting for a third that would
// never come: the late Update commits on its own.
func TestGatherSkipsDetachedUpdates(t *testing.T) {
	var mu sync.Mutex
	var commits []int
	answered := make(chan struct{})
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "rollcall.db"), sqlite.WithHooks(sqlite.Hooks{Commit: func(n int, _ time.Duration) {
		mu.Lock()
		commits = append(commits, n)
		k := len(commits)
		mu.Unlock()
		if k == 2 { // the callers' and the detached commit: long, so gather's bound is long
			time.Sleep(time.Second)
			close(answered)
		}
	}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	sqlite.SetMaxGather(s, time.Minute) // the wait is bounded by how long the last batch took

	ctx, detached := context.Background(), rollcall.Detached(context.Background())
	insert := func(ctx context.Context, id string) error {
		return s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(storetest.NewUser("A", id, id)) })
	}
	// The first batch: a detached Update, held in its fn until the others wait behind it.
	release, first := holdFirst(detached, s)
	errs := make(chan error, 6)
	for c := range 2 {
		go func() {
			if err := insert(ctx, fmt.Sprintf("caller%d-1", c)); err != nil {
				errs <- err
				return
			}
			time.Sleep(20 * time.Millisecond) // the round trip before the caller's next request
			errs <- insert(ctx, fmt.Sprintf("caller%d-2", c))
		}()
	}
	waitQueued(t, s, 2)
	go func() { errs <- insert(detached, "trail") }()
	waitQueued(t, s, 3)
	go func() {
		<-answered
		time.Sleep(300 * time.Millisecond)
		errs <- insert(ctx, "late")
	}()
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(commits) != "[1 3 2 1]" {
		t.Fatalf("commits carried %v Updates; want [1 3 2 1]: the callers' next Updates commit once both are back, not waiting for the detached one's", commits)
	}
}

// holdFirst starts an Update made with ctx and returns once its fn runs; the fn then
// waits until release is closed. first gives the Update's error.
func holdFirst(ctx context.Context, s *sqlite.Store) (release chan struct{}, first chan error) {
	started := make(chan struct{})
	release, first = make(chan struct{}), make(chan error, 1)
	go func() {
		first <- s.Update(ctx, func(tx rollcall.Tx) error {
			close(started)
			<-release
			return tx.InsertUser(storetest.NewUser("A", "first", "first"))
		})
	}()
	<-started
	return release, first
}
