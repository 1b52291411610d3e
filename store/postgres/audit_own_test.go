package postgres_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestOwnAuditResponsesDoNotConflict: creates that each put their audit event and its
// response in their own transaction (a declared response stored as a row: audit/trail),
// many at once, commit without a serialization failure, every response kept. A
// response that read its event (the join that keeps a response of a gone event out)
// made every create's transaction read audit_events, which the others write: 1.6
// retries a create at 64 clients.
func TestOwnAuditResponsesDoNotConflict(t *testing.T) {
	var retries atomic.Int32
	s, err := postgres.Open(t.Context(), withParam(freshDB(t), "pool_max_conns", "16"),
		postgres.WithHooks(postgres.Hooks{Retry: func() { retries.Add(1) }}))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	const rounds, n = 4, 64
	for r := range rounds {
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			u := storetest.NewUser("A", fmt.Sprintf("u%d-%d", r, i), fmt.Sprintf("u%d-%d", r, i))
			e := &rollcall.AuditEvent{TenantID: u.TenantID, Time: u.CreatedAt, ID: u.ID, Name: "CreateUser",
				Principal: "p", Record: []byte(`{"userId":"` + u.ID + `"}`)}
			wg.Go(func() {
				errs[i] = s.Update(t.Context(), func(tx rollcall.Tx) error {
					if err := tx.InsertUser(u); err != nil {
						return err
					}
					if err := tx.PutAuditEvent(e); err != nil {
						return err
					}
					r := *e
					r.Record, r.Response = nil, []byte(`{"User":{"UserId":"`+u.ID+`"}}`)
					return tx.PutAuditResponse(&r)
				})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("create %d-%d: %v", r, i, err)
			}
		}
	}
	if got := retries.Load(); got != 0 {
		t.Errorf("%d serialization retries for %d creates, want 0", got, rounds*n)
	}
	var es []*rollcall.AuditEvent
	storetest.MustView(t, s, func(tx rollcall.Tx) (err error) {
		es, err = tx.AuditEvents(rollcall.AuditFilter{TenantID: storetest.NewUser("A", "x", "x").TenantID})
		return err
	})
	kept := 0
	for _, e := range es {
		if len(e.Response) > 0 {
			kept++
		}
	}
	if len(es) != rounds*n || kept != rounds*n {
		t.Errorf("%d events, %d with their response, want %d each", len(es), kept, rounds*n)
	}
}
