package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestClaimAcrossReplicas: three Stores on one database, as three replicas have, with
// many claimers each, drain the outbox; every message is claimed exactly once. Then a
// replica claims and dies before it sends: once the lease is over, the message is
// claimable by another replica.
func TestClaimAcrossReplicas(t *testing.T) {
	const (
		replicas  = 3
		claimers  = 8 // per replica
		messages  = 600
		batch     = 7
		lease     = time.Minute
		maxClaims = messages * 4 // a bound on the loop; far more than needed
	)
	dsn := withParam(freshDB(t), "pool_max_conns", "4")
	stores := make([]rollcall.Store, replicas)
	for i := range stores {
		stores[i] = mustOpen(t, dsn)
	}
	now := storetest.T0.Add(time.Hour)
	var rows []any
	for i := range messages {
		rows = append(rows, storetest.NewMessage(fmt.Sprintf("m%04d", i), "A", storetest.T0.Add(time.Duration(i)*time.Millisecond)))
	}
	storetest.MustInsert(t, stores[0], rows...)

	var mu sync.Mutex
	claimedBy := map[string][]string{}
	claims := 0
	var wg sync.WaitGroup
	errs := make(chan error, replicas*claimers)
	for r, s := range stores {
		for c := range claimers {
			wg.Go(func() {
				for {
					var got []*rollcall.Message
					err := s.Update(context.Background(), func(tx rollcall.Tx) (err error) {
						got, err = tx.ClaimMessages(now, lease, batch)
						return err
					})
					if err != nil {
						errs <- fmt.Errorf("replica %d claimer %d: %w", r, c, err)
						return
					}
					mu.Lock()
					claims++
					for _, m := range got {
						claimedBy[m.ID] = append(claimedBy[m.ID], fmt.Sprintf("replica %d claimer %d", r, c))
					}
					stop := len(got) == 0 || claims > maxClaims
					mu.Unlock()
					if stop {
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(claimedBy) != messages {
		t.Fatalf("%d of %d messages claimed", len(claimedBy), messages)
	}
	perReplica := map[string]int{}
	for id, by := range claimedBy {
		if len(by) != 1 {
			t.Errorf("message %s claimed %d times: %v", id, len(by), by)
		}
		perReplica[by[0][:len("replica 0")]]++
	}
	// Which replicas win is the scheduler's choice; the test means something only if
	// claims did race across replicas.
	t.Logf("claims per replica: %v", perReplica)
	if len(perReplica) < 2 {
		t.Errorf("claims per replica: %v; want claims from at least two replicas", perReplica)
	}

	// The dispatchers sent them all.
	storetest.MustUpdate(t, stores[0], func(tx rollcall.Tx) error {
		for id := range claimedBy {
			m, err := tx.Message(id)
			if err != nil {
				return err
			}
			m.Status = rollcall.MessageSent
			if err := tx.UpdateMessage(m); err != nil {
				return err
			}
		}
		return nil
	})

	// A replica claims a new message and dies mid-send: it never marks it sent.
	// Before the lease is over nobody can claim it; after, another replica does.
	storetest.MustInsert(t, stores[0], storetest.NewMessage("late", "A", now))
	claimOne := func(s rollcall.Store, at time.Time) []*rollcall.Message {
		var got []*rollcall.Message
		storetest.MustUpdate(t, s, func(tx rollcall.Tx) (err error) {
			got, err = tx.ClaimMessages(at, lease, batch)
			return err
		})
		return got
	}
	if got := claimOne(stores[2], now); len(got) != 1 || got[0].ID != "late" {
		t.Fatalf("the dying replica's claim: %v", got)
	}
	stores[2].Close()
	if got := claimOne(stores[0], now.Add(lease-time.Millisecond)); len(got) != 0 {
		t.Fatalf("claimed again within the lease: %d messages", len(got))
	}
	got := claimOne(stores[1], now.Add(lease))
	if len(got) != 1 || got[0].ID != "late" || got[0].Attempts != 2 {
		t.Fatalf("after the lease another replica claims %+v, want late with its second attempt", got)
	}
}
