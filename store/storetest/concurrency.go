package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/rollcall/rollcall"
)

// Goroutines is how many goroutines the concurrency tests start at once.
const Goroutines = 50

var concurrencyTests = []testCase{
	{"SameKey", func(t *testing.T, s rollcall.Store) {
		testRace(t, s, func(i int) *rollcall.User { return NewUser("A", fmt.Sprintf("u%02d", i), "same") })
	}},
	{"SameID", func(t *testing.T, s rollcall.Store) {
		testRace(t, s, func(i int) *rollcall.User { return NewUser("A", "same", fmt.Sprintf("k%02d", i)) })
	}},
	{"DistinctKeys", func(t *testing.T, s rollcall.Store) {
		const perGoroutine = 4
		errs := AtOnce(Goroutines, func(i int) error {
			for j := range perGoroutine {
				u := NewUser("A", fmt.Sprintf("u%02d-%d", i, j), fmt.Sprintf("k%02d-%d", i, j))
				if err := update(s, func(tx rollcall.Tx) error { return tx.InsertUser(u) }); err != nil {
					return err
				}
			}
			return nil
		})
		for _, err := range errs {
			if err != nil {
				t.Fatalf("a create of a distinct key failed: %v", err)
			}
		}
		all := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(rollcall.UserQuery{DirectoryID: "A"}) })
		if len(all) != Goroutines*perGoroutine {
			t.Fatalf("%d users stored, want %d", len(all), Goroutines*perGoroutine)
		}
	}},
	{"ReadModifyWrite", func(t *testing.T, s rollcall.Store) {
		// Updates are serializable: concurrent read-modify-writes of one row lose no
		// increment (a backend may retry fn to get there).
		MustInsert(t, s, NewMessage("m1", "A", T0))
		errs := AtOnce(Goroutines, func(int) error {
			return update(s, func(tx rollcall.Tx) error {
				m, err := tx.Message("m1")
				if err != nil {
					return err
				}
				m.Attempts++
				return tx.UpdateMessage(m)
			})
		})
		for _, err := range errs {
			if err != nil {
				t.Fatalf("an increment failed: %v", err)
			}
		}
		m, err := get(t, s, rollcall.Tx.Message, "m1")
		if err != nil {
			t.Fatal(err)
		}
		if m.Attempts != Goroutines {
			t.Fatalf("Attempts = %d after %d concurrent increments", m.Attempts, Goroutines)
		}
	}},
	{"ReadersAndWriters", func(t *testing.T, s rollcall.Store) {
		// Views running while Updates commit each see a consistent state: a user and
		// its message are written together, so a View never sees one without the other.
		const writers, perWriter, readers = 8, 25, 8
		done := make(chan struct{})
		var rwg sync.WaitGroup
		readErrs := make(chan error, readers)
		for range readers {
			rwg.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					err := s.View(t.Context(), func(tx rollcall.Tx) error {
						users, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
						if err != nil {
							return err
						}
						msgs, err := tx.Messages(rollcall.MessageFilter{TenantID: "A"})
						if err != nil {
							return err
						}
						if len(users) != len(msgs) {
							return fmt.Errorf("a View saw %d users and %d messages, written in pairs", len(users), len(msgs))
						}
						return nil
					})
					if err != nil {
						readErrs <- err
						return
					}
				}
			})
		}
		errs := AtOnce(writers, func(i int) error {
			for j := range perWriter {
				id := fmt.Sprintf("%d-%02d", i, j)
				err := update(s, func(tx rollcall.Tx) error {
					return insert(tx, NewUser("A", "u"+id, "k"+id), NewMessage("m"+id, "A", T0))
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
		close(done)
		rwg.Wait()
		close(readErrs)
		for err := range readErrs {
			t.Fatal(err)
		}
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		all := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(rollcall.UserQuery{DirectoryID: "A"}) })
		if len(all) != writers*perWriter {
			t.Fatalf("%d users stored, want %d", len(all), writers*perWriter)
		}
	}},
}

// testRace starts Goroutines creates that collide (same key, or same ID): exactly one
// wins, every other gets Conflict, and one user is stored.
func testRace(t *testing.T, s rollcall.Store, user func(i int) *rollcall.User) {
	errs := AtOnce(Goroutines, func(i int) error {
		u := user(i)
		return update(s, func(tx rollcall.Tx) error { return tx.InsertUser(u) })
	})
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !rollcall.IsKind(err, rollcall.Conflict):
			t.Fatalf("a losing create returned %v, want Conflict", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d of %d colliding creates won, want exactly 1", won, Goroutines)
	}
	all := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(rollcall.UserQuery{DirectoryID: "A"}) })
	if len(all) != 1 {
		t.Fatalf("%d users stored after a race, want 1", len(all))
	}
}

// AtOnce runs fn(0), ..., fn(n-1) in n goroutines released together, to race them, and
// returns their results in that order.
func AtOnce[T any](n int, fn func(i int) T) []T {
	out := make([]T, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			out[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return out
}
