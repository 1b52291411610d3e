package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// auditEvents is a fixed set of events of two tenants: several per millisecond (so the
// cursor's ID tie-break matters), two names, two principals, some failed.
func auditEvents() []*rollcall.AuditEvent {
	var out []*rollcall.AuditEvent
	for i := range 40 {
		tenant := "A"
		if i%5 == 4 {
			tenant = "B"
		}
		name, principal := "CreateUser", "alice"
		if i%3 == 0 {
			name = "ListUsers"
		}
		if i%4 == 0 {
			principal = "bob"
		}
		out = append(out, &rollcall.AuditEvent{
			TenantID: tenant, Time: T0.Add(time.Duration(i/3) * time.Millisecond), ID: fmt.Sprintf("e%02d", (i*7)%40),
			Name: name, Principal: principal, Failed: i%6 == 1, ReadOnly: name == "ListUsers",
			Record: []byte(fmt.Sprintf(`{"eventID":"e%02d"}`, (i*7)%40)),
		})
	}
	return out
}

func putAuditEvents(tb testing.TB, s rollcall.Store, events ...*rollcall.AuditEvent) {
	tb.Helper()
	mustWriteEach(tb, s, rollcall.Tx.PutAuditEvent, events...)
}

// wantAudit is what a store must answer for f: the events f.Matches, newest first.
func wantAudit(all []*rollcall.AuditEvent, f rollcall.AuditFilter) []*rollcall.AuditEvent {
	var out []*rollcall.AuditEvent
	for _, e := range all {
		if f.Matches(e) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *rollcall.AuditEvent) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		switch {
		case a.ID > b.ID:
			return -1
		case a.ID < b.ID:
			return 1
		}
		return 0
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out
}

// wantAuditPage is what AuditEvents(f) returns from all with f.Scan set: the filter's
// events among the first Scan of the range, at most Limit, and a Mark at the last
// examined when the walk examined Scan events before it found Limit. Without a name,
// principal or failed filter the walk is the page, and Scan does not apply.
func wantAuditPage(all []*rollcall.AuditEvent, f rollcall.AuditFilter) []*rollcall.AuditEvent {
	if !f.RowFiltered() {
		return wantAudit(all, f) // the walk is the page
	}
	rng := rollcall.AuditFilter{TenantID: f.TenantID, Since: f.Since, Until: f.Until, AfterTime: f.AfterTime, AfterID: f.AfterID, Limit: f.Scan}
	walked := wantAudit(all, rng)
	page := wantAudit(walked, rollcall.AuditFilter{TenantID: f.TenantID, Name: f.Name, Principal: f.Principal, FailedOnly: f.FailedOnly, Limit: f.Limit})
	if (f.Limit <= 0 || len(page) < f.Limit) && len(walked) == f.Scan {
		last := walked[len(walked)-1]
		page = append(page, &rollcall.AuditEvent{TenantID: last.TenantID, Time: last.Time, ID: last.ID, Mark: true})
	}
	return page
}

func auditEventsOf(tb testing.TB, s rollcall.Store, f rollcall.AuditFilter) []*rollcall.AuditEvent {
	tb.Helper()
	return mustRead(tb, s, func(tx rollcall.Tx) ([]*rollcall.AuditEvent, error) { return tx.AuditEvents(f) })
}

var errRolledBack = errors.New("roll back")

var auditTests = []testCase{
	{"Filters", func(t *testing.T, s rollcall.Store) {
		all := auditEvents()
		putAuditEvents(t, s, all...)
		for _, f := range []rollcall.AuditFilter{
			{TenantID: "A"},
			{TenantID: "B"},
			{TenantID: "nobody"},
			{TenantID: "A", Name: "ListUsers"},
			{TenantID: "A", Principal: "bob"},
			{TenantID: "A", Name: "CreateUser", Principal: "alice"},
			{TenantID: "A", FailedOnly: true},
			{TenantID: "A", Principal: "alice", FailedOnly: true},
			{TenantID: "A", Since: T0.Add(3 * time.Millisecond)},
			{TenantID: "A", Until: T0.Add(3 * time.Millisecond)},
			{TenantID: "A", Since: T0.Add(2 * time.Millisecond), Until: T0.Add(5 * time.Millisecond), Name: "CreateUser"},
			{TenantID: "A", Limit: 4},
			{TenantID: "A", AfterTime: T0.Add(4 * time.Millisecond), AfterID: all[12].ID},
		} {
			got := auditEventsOf(t, s, f)
			WantEqual(t, fmt.Sprintf("AuditEvents(%+v)", f), got, wantAudit(all, f))
		}
	}},
	{"Cursor", func(t *testing.T, s rollcall.Store) {
		all := auditEvents()
		putAuditEvents(t, s, all...)
		for _, f := range []rollcall.AuditFilter{
			{TenantID: "A", Limit: 3},
			{TenantID: "A", Name: "CreateUser", Limit: 2},
			{TenantID: "A", Principal: "bob", Limit: 1},
			{TenantID: "A", FailedOnly: true, Limit: 2},
		} {
			var got []*rollcall.AuditEvent
			for page := 0; ; page++ {
				if page > len(all) {
					t.Fatalf("%+v: the pages do not end", f)
				}
				p := auditEventsOf(t, s, f)
				got = append(got, p...)
				if len(p) < f.Limit {
					break
				}
				f.AfterTime, f.AfterID = p[len(p)-1].Time, p[len(p)-1].ID
			}
			f.Limit, f.AfterID, f.AfterTime = 0, "", time.Time{}
			WantEqual(t, fmt.Sprintf("every page of %+v", f), got, wantAudit(all, f))
		}
	}},
	{"Scan", func(t *testing.T, s rollcall.Store) {
		// A page examines at most Scan events of the range: short of Limit, it ends with a
		// Mark at the last one examined, and the pages that follow the marks and cursors
		// hold every event of the filter's once.
		all := auditEvents()
		putAuditEvents(t, s, all...)
		for _, f := range []rollcall.AuditFilter{
			{TenantID: "A", Name: "ListUsers", Limit: 2, Scan: 5},
			{TenantID: "A", Principal: "bob", Limit: 3, Scan: 4},
			{TenantID: "A", FailedOnly: true, Limit: 1, Scan: 7},
			{TenantID: "A", FailedOnly: true, Name: "CreateUser", Limit: 50, Scan: 3},
			{TenantID: "A", Since: T0.Add(2 * time.Millisecond), Name: "CreateUser", Limit: 2, Scan: 2},
			{TenantID: "A", Limit: 4, Scan: 2},
			{TenantID: "nobody", Name: "ListUsers", Limit: 2, Scan: 5},
			{TenantID: "A", Name: "ListUsers", Scan: 5}, // no Limit: every walk of Scan ends with a Mark
		} {
			var got []*rollcall.AuditEvent
			for page := 0; ; page++ {
				if page > len(all) {
					t.Fatalf("%+v: the pages do not end", f)
				}
				p := auditEventsOf(t, s, f)
				WantEqual(t, fmt.Sprintf("AuditEvents(%+v)", f), p, wantAuditPage(all, f))
				if n := len(p); n > 0 && p[n-1].Mark {
					got = append(got, p[:n-1]...)
				} else if got = append(got, p...); f.Limit <= 0 || len(p) < f.Limit {
					break
				}
				f.AfterTime, f.AfterID = p[len(p)-1].Time, p[len(p)-1].ID
			}
			f.Limit, f.Scan, f.AfterID, f.AfterTime = 0, 0, "", time.Time{}
			WantEqual(t, fmt.Sprintf("every page of %+v", f), got, wantAudit(all, f))
		}
	}},
	{"Replace", func(t *testing.T, s rollcall.Store) {
		e := auditEvents()[0]
		putAuditEvents(t, s, e)
		changed := *e
		changed.Failed, changed.Record = true, []byte(`{"errorCode":"X"}`)
		putAuditEvents(t, s, &changed)
		WantEqual(t, "events after a second Put", auditEventsOf(t, s, rollcall.AuditFilter{TenantID: e.TenantID}), []*rollcall.AuditEvent{&changed})
	}},
	{"Response", func(t *testing.T, s rollcall.Store) {
		all := auditEvents()
		putAuditEvents(t, s, all...)
		// Responses of every third event, one put twice (the second wins), in a later
		// transaction than the events; one for an event that was never put is kept apart.
		MustUpdate(t, s, func(tx rollcall.Tx) error {
			for i := 0; i < len(all); i += 3 {
				all[i].Response = []byte(fmt.Sprintf(`{"n":%d}`, i))
				if err := tx.PutAuditResponse(&rollcall.AuditEvent{TenantID: all[i].TenantID, Time: all[i].Time, ID: all[i].ID, Response: []byte("{}")}); err != nil {
					return err
				}
				if err := tx.PutAuditResponse(all[i]); err != nil {
					return err
				}
			}
			return tx.PutAuditResponse(&rollcall.AuditEvent{TenantID: "A", Time: T0, ID: "none", Response: []byte("{}")})
		})
		for _, f := range []rollcall.AuditFilter{{TenantID: "A"}, {TenantID: "B"}, {TenantID: "A", Name: "ListUsers", Limit: 3}, {TenantID: "A", FailedOnly: true}} {
			WantEqual(t, fmt.Sprintf("AuditEvents(%+v) with responses", f), auditEventsOf(t, s, f), wantAudit(all, f))
		}
		// A response put in a transaction that rolls back is not there.
		err := s.Update(context.Background(), func(tx rollcall.Tx) error {
			if err := tx.PutAuditResponse(&rollcall.AuditEvent{TenantID: all[1].TenantID, Time: all[1].Time, ID: all[1].ID, Response: []byte("{}")}); err != nil {
				return err
			}
			return errRolledBack
		})
		if !errors.Is(err, errRolledBack) {
			t.Fatalf("Update = %v, want fn's error", err)
		}
		// The purge deletes an event's response with it: an event put again later with
		// the same key has none.
		n := 0
		MustUpdate(t, s, func(tx rollcall.Tx) (err error) {
			n, err = tx.PurgeAuditEvents(T0.Add(time.Hour), len(all)+1)
			return err
		})
		if n != len(all) {
			t.Fatalf("PurgeAuditEvents deleted %d, want %d", n, len(all))
		}
		again := *all[0]
		again.Response = nil
		putAuditEvents(t, s, &again)
		WantEqual(t, "an event put again after the purge", auditEventsOf(t, s, rollcall.AuditFilter{TenantID: again.TenantID}), []*rollcall.AuditEvent{&again})
		// So does a reset of the tenant's events.
		MustUpdate(t, s, func(tx rollcall.Tx) error { again.Response = []byte("{}"); return tx.PutAuditResponse(&again) })
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentAuditEvents, again.TenantID) })
		again.Response = nil
		putAuditEvents(t, s, &again)
		WantEqual(t, "an event put again after a reset", auditEventsOf(t, s, rollcall.AuditFilter{TenantID: again.TenantID}), []*rollcall.AuditEvent{&again})
	}},
	{"ResponseAfterItsEvent", func(t *testing.T, s rollcall.Store) {
		// A response stored after its event was removed (the trail stores it once the
		// call is answered, in a later transaction) is not kept: an event put again
		// with the same key has none.
		e := *auditEvents()[0]
		for _, remove := range []func(tx rollcall.Tx) error{
			func(tx rollcall.Tx) error { _, err := tx.PurgeAuditEvents(e.Time.Add(time.Hour), 10); return err },
			func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentAuditEvents, e.TenantID) },
			func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentAuditEvents, "") },
		} {
			e.Response = nil
			putAuditEvents(t, s, &e)
			MustUpdate(t, s, remove)
			MustUpdate(t, s, func(tx rollcall.Tx) error {
				return tx.PutAuditResponse(&rollcall.AuditEvent{TenantID: e.TenantID, Time: e.Time, ID: e.ID, Response: []byte(`{"late":true}`)})
			})
			putAuditEvents(t, s, &e)
			WantEqual(t, "an event put again after its removal and a late response", auditEventsOf(t, s, rollcall.AuditFilter{TenantID: e.TenantID}), []*rollcall.AuditEvent{&e})
			MustUpdate(t, s, remove)
		}
	}},
	{"Purge", func(t *testing.T, s rollcall.Store) {
		all := auditEvents()
		putAuditEvents(t, s, all...)
		before := T0.Add(5 * time.Millisecond)
		var older int
		for _, e := range all {
			if e.Time.Before(before) {
				older++
			}
		}
		n := 0
		MustUpdate(t, s, func(tx rollcall.Tx) (err error) { n, err = tx.PurgeAuditEvents(before, 4); return err })
		if n != 4 {
			t.Fatalf("PurgeAuditEvents(limit 4) deleted %d, want 4", n)
		}
		total := n
		for n != 0 {
			MustUpdate(t, s, func(tx rollcall.Tx) (err error) { n, err = tx.PurgeAuditEvents(before, 4); return err })
			total += n
		}
		if total != older {
			t.Fatalf("the purge batches deleted %d events, want the %d older than the cutoff", total, older)
		}
		var kept []*rollcall.AuditEvent
		for _, e := range all {
			if !e.Time.Before(before) {
				kept = append(kept, e)
			}
		}
		for _, tenant := range []string{"A", "B"} {
			f := rollcall.AuditFilter{TenantID: tenant}
			WantEqual(t, "events of "+tenant+" after the purge", auditEventsOf(t, s, f), wantAudit(kept, f))
		}
	}},
	{"WriteHook", func(t *testing.T, s rollcall.Store) {
		e := auditEvents()[1]
		ctx := rollcall.WithWriteHook(context.Background(), func() func(rollcall.Tx) error {
			return func(tx rollcall.Tx) error { return tx.PutAuditEvent(e) }
		})
		// A write that rolls back leaves no event.
		err := s.Update(ctx, func(tx rollcall.Tx) error {
			if err := tx.PutTenant(NewTenant("T")); err != nil {
				return err
			}
			return errRolledBack
		})
		if !errors.Is(err, errRolledBack) {
			t.Fatalf("Update = %v, want fn's error", err)
		}
		WantEqual(t, "events after a rolled-back write", len(auditEventsOf(t, s, rollcall.AuditFilter{TenantID: e.TenantID})), 0)
		// A failing hook rolls the write back.
		hookErr := errors.New("hook failed")
		bad := rollcall.WithWriteHook(context.Background(), func() func(rollcall.Tx) error {
			return func(rollcall.Tx) error { return hookErr }
		})
		if err := s.Update(bad, func(tx rollcall.Tx) error { return tx.PutTenant(NewTenant("T")) }); !errors.Is(err, hookErr) {
			t.Fatalf("Update with a failing hook = %v, want the hook's error", err)
		}
		_, err = read(t, s, func(tx rollcall.Tx) (*rollcall.Tenant, error) { return tx.Tenant("T") })
		WantKind(t, "the tenant of an Update whose hook failed", err, rollcall.NotFound)
		// A write that commits commits its event.
		if err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.PutTenant(NewTenant("T")) }); err != nil {
			t.Fatal(err)
		}
		WantEqual(t, "events after a committed write", auditEventsOf(t, s, rollcall.AuditFilter{TenantID: e.TenantID}), []*rollcall.AuditEvent{e})
	}},
}

// LegacyAuditEvents are events for a migration test to put into an old schema, and
// WantAuditEvents to find after the migration.
func LegacyAuditEvents() []*rollcall.AuditEvent {
	t0 := time.UnixMilli(1764500000123).UTC()
	return []*rollcall.AuditEvent{
		{TenantID: "A", Time: t0.Add(time.Millisecond), ID: "e2", Name: "ListUsers", Principal: "bob", ReadOnly: true, Record: []byte(`{"eventID":"e2"}`)},
		{TenantID: "A", Time: t0, ID: "e1", Name: "CreateUser", Principal: "alice", Failed: true, Record: []byte(`{"eventID":"e1"}`)},
	}
}

// WantAuditEvents checks that every filter of tenant A finds what it should of all in s.
func WantAuditEvents(tb testing.TB, s rollcall.Store, all []*rollcall.AuditEvent) {
	tb.Helper()
	for _, f := range []rollcall.AuditFilter{{TenantID: "A"}, {TenantID: "A", Name: "CreateUser"}, {TenantID: "A", Principal: "bob"}, {TenantID: "A", FailedOnly: true}} {
		WantEqual(tb, fmt.Sprintf("AuditEvents(%+v)", f), auditEventsOf(tb, s, f), wantAudit(all, f))
	}
}
