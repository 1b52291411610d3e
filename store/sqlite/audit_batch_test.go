package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestAuditRowsOfABatch: the audit rows of an Update that fails go with its writes,
// whichever way it fails: before it wrote (alone), after it wrote in a batch without
// savepoints (the batch rolls back and runs again), after it wrote in a careful batch
// (its savepoint); and a reset of the trail in a batch deletes the events put before
// it, not those put after. (A guard for a change that would hold a batch's audit rows
// back to insert them together.)
func TestAuditRowsOfABatch(t *testing.T) {
	errSentinel := errors.New("fail on purpose")
	s, t0 := mustOpen(t), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	event := func(tenant, id string, i int) *rollcall.AuditEvent {
		return &rollcall.AuditEvent{TenantID: tenant, Time: t0.Add(time.Duration(i) * time.Millisecond), ID: id,
			Name: "CreateUser", Principal: "p", Record: []byte(fmt.Sprintf(`{"eventID":%q}`, id))}
	}
	// update inserts user id (unless write is false), puts its event and fails if fail.
	update := func(id string, i int, write, fail bool) func(rollcall.Tx) error {
		return func(tx rollcall.Tx) error {
			if write {
				if err := tx.InsertUser(storetest.NewUser("A", id, id)); err != nil {
					return err
				}
			}
			var e rollcall.AuditEvent // reused: the store keeps a copy
			for _, n := range []int{i, i + 100} {
				e = *event("A", fmt.Sprintf("%s-%d", id, n), n)
				if err := tx.PutAuditEvent(&e); err != nil {
					return err
				}
			}
			if fail {
				return errSentinel
			}
			return nil
		}
	}
	var want []*rollcall.AuditEvent
	wantOf := func(id string, i int) {
		want = append(want, event("A", fmt.Sprintf("%s-%d", id, i), i), event("A", fmt.Sprintf("%s-%d", id, i+100), i+100))
	}
	errs := queueInOrder(t, s,
		update("u0", 0, true, false),
		update("u1", 1, false, true), // fails before it wrote: alone
		update("u2", 2, true, true),  // fails after it wrote: u0 runs again
		update("u3", 3, true, false), // the careful batch after
		update("u4", 4, true, true),  // fails in its savepoint
		update("u5", 5, false, false),
		func(tx rollcall.Tx) error { // a response for an event put earlier in the batch
			return tx.PutAuditResponse(&rollcall.AuditEvent{TenantID: "A", Time: t0, ID: "u0-0", Response: []byte(`{"r":0}`)})
		},
	)
	for i, err := range errs {
		if failed := i == 1 || i == 2 || i == 4; failed != errors.Is(err, errSentinel) || !failed && err != nil {
			t.Errorf("Update %d: %v", i, err)
		}
	}
	wantOf("u0", 0)
	wantOf("u3", 3)
	wantOf("u5", 5)
	want[0].Response = []byte(`{"r":0}`)
	storetest.WantAuditEvents(t, s, want)

	// A reset of the trail in a batch deletes the events put before it in the batch,
	// not those put after it; in a careful batch (after the failures above) and in one
	// without savepoints.
	for round, prefix := range []string{"v", "w"} {
		if round == 1 {
			for range sqlite.CarefulBatches {
				storetest.MustUpdate(t, s, func(rollcall.Tx) error { return nil })
			}
		}
		id := func(n int) string { return fmt.Sprintf("%s%d", prefix, n) }
		errs = queueInOrder(t, s,
			update(id(0), 10, false, false),
			func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentAuditEvents, "A") },
			update(id(1), 11, false, false),
			update(id(2), 12, true, true), // fails after it wrote, after the reset stored the rows before it
			update(id(3), 13, false, false),
			func(tx rollcall.Tx) error { // its rows stored by a reset (of another tenant's), then it fails
				if err := update(id(4), 14, false, false)(tx); err != nil {
					return err
				}
				if err := tx.DeleteContents(rollcall.ContentAuditEvents, "B"); err != nil {
					return err
				}
				return errSentinel
			},
		)
		for i, err := range errs {
			if failed := i == 3 || i == 5; failed != errors.Is(err, errSentinel) || !failed && err != nil {
				t.Errorf("round %d: Update %d of the batch with a reset: %v", round, i, err)
			}
		}
		want = nil
		wantOf(id(1), 11)
		wantOf(id(3), 13)
		storetest.WantAuditEvents(t, s, want)
	}
}

// TestAuditEventRepeatedArguments: an event's tenant, operation and principal, the
// same from event to event, are boxed for the statement once, not for every event (an
// allocation each); values that do not repeat still store as given.
func TestAuditEventRepeatedArguments(t *testing.T) {
	s := mustOpen(t)
	t0 := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	fresh := make([]string, 3*200) // values made before they are counted, each used once
	for i := range fresh {
		fresh[i] = "fresh-" + strconv.Itoa(i)
	}
	i := 0
	put := func(tx rollcall.Tx, tenant, name, principal string) {
		i++
		e := rollcall.AuditEvent{TenantID: tenant, Time: t0.Add(time.Duration(i) * time.Millisecond), ID: "id",
			Name: name, Principal: principal, Record: []byte("r")}
		if err := tx.PutAuditEvent(&e); err != nil {
			t.Fatal(err)
		}
	}
	var same, distinct float64
	err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		same = testing.AllocsPerRun(100, func() { put(tx, "111122223333", "CreateUser", "111122223333") })
		n := 0
		distinct = testing.AllocsPerRun(100, func() { put(tx, fresh[n], fresh[n+1], fresh[n+2]); n += 3 })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if same > distinct-3 {
		t.Errorf("PutAuditEvent: %v allocations with the same tenant, operation and principal, %v with new ones: want three fewer", same, distinct)
	}
	for _, tenant := range []string{"111122223333", fresh[6]} {
		var es []*rollcall.AuditEvent
		if err := s.View(context.Background(), func(tx rollcall.Tx) (err error) {
			es, err = tx.AuditEvents(rollcall.AuditFilter{TenantID: tenant})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, got := range es {
			if tenant == fresh[6] && (got.Name != fresh[7] || got.Principal != fresh[8]) ||
				tenant != fresh[6] && (got.Name != "CreateUser" || got.Principal != tenant) {
				t.Fatalf("stored %+v", got)
			}
		}
		if len(es) == 0 {
			t.Errorf("no events of %s stored", tenant)
		}
	}
}
