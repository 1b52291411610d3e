package sqlite

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestAuditEventRepeatedArguments: an event's tenant, operation and principal, the
// same from event to event, are boxed for the statement once, not for every event (an
// allocation each); values that do not repeat still store as given.
func TestAuditEventRepeatedArguments(t *testing.T) {
	s := mustOpenPlain(t)
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
