package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestAuditWritesInsert: a group of creates writes its audit events, and the trail's
// batch its responses, with plain INSERTs, not upserts (no speculative insertion on the
// server), and no trigger checks a response's event row by row (migration 0420); an
// event or a response put again all the same completes the row it finds, the
// transaction run again with upserts, and a response without its event is still
// dropped.
func TestAuditWritesInsert(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	s, c := openTraced(t, dsn+"&pool_max_conns=4")
	ctx := context.Background()
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	const n = 32
	events := make([]*rollcall.AuditEvent, n)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		u := storetest.NewUser("A", fmt.Sprintf("u%d", i), fmt.Sprintf("u%d", i))
		events[i] = &rollcall.AuditEvent{TenantID: u.TenantID, Time: u.CreatedAt, ID: u.ID, Name: "CreateUser",
			Principal: "p", Record: []byte(`{"userId":"` + u.ID + `"}`)}
		wg.Go(func() {
			errs[i] = s.Update(ctx, func(tx rollcall.Tx) error {
				if err := tx.InsertUser(u); err != nil {
					return err
				}
				return tx.PutAuditEvent(events[i])
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	putResponses := func(es ...*rollcall.AuditEvent) {
		t.Helper()
		storetest.MustUpdate(t, s, func(tx rollcall.Tx) error {
			for _, e := range es {
				if err := tx.PutAuditResponse(e); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for i, e := range events {
		e.Response = []byte(fmt.Sprintf(`{"n":%d}`, i))
	}
	putResponses(events...)
	upserts := func() int {
		c.mu.Lock()
		defer c.mu.Unlock()
		k := 0
		for sql, m := range c.sql {
			if (strings.HasPrefix(sql, "INSERT INTO audit_events") || strings.HasPrefix(sql, "INSERT INTO audit_responses")) &&
				strings.Contains(sql, "ON CONFLICT") {
				k += m
			}
		}
		return k
	}
	if k := upserts(); k != 0 {
		t.Errorf("%d upserts of audit events or responses for new rows, want plain INSERTs", k)
	}
	rows, err := pgtest.Connect(t, dsn).Query(ctx, `SELECT tgname FROM pg_trigger
		WHERE tgrelid = 'audit_responses'::regclass AND NOT tgisinternal ORDER BY tgname`)
	if err != nil {
		t.Fatal(err)
	}
	if triggers, err := pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || len(triggers) != 0 {
		t.Errorf("triggers on audit_responses: %v (%v), want none", triggers, err)
	}

	// Put again: the event completed, the response replaced, each by an upsert after the
	// INSERT met the row; a response without its event is dropped.
	again := *events[0]
	again.Failed, again.Record, again.Response = true, []byte(`{"errorCode":"X"}`), nil
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.PutAuditEvent(&again) })
	again.Response = []byte(`{"again":true}`)
	orphan := &rollcall.AuditEvent{TenantID: again.TenantID, Time: again.Time, ID: "none", Response: []byte(`{}`)}
	putResponses(&again, orphan)
	if upserts() == 0 {
		t.Error("an event and a response put again: no upsert ran")
	}
	var got []*rollcall.AuditEvent
	if err := s.View(ctx, func(tx rollcall.Tx) (err error) {
		got, err = tx.AuditEvents(rollcall.AuditFilter{TenantID: again.TenantID})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var mine []*rollcall.AuditEvent
	for _, e := range got {
		if e.ID == again.ID || e.ID == orphan.ID {
			mine = append(mine, e)
		}
	}
	storetest.WantEqual(t, "the event and response put again", mine, []*rollcall.AuditEvent{&again})
}

// TestMultiRowInsertsProjectSet: the many-row INSERTs of a group (users, audit events,
// responses) read their arrays with unnest in the select list (a ProjectSet, row by
// row), not with unnest($1, $2, ...) in FROM, a Function Scan that materializes every
// array in a tuplestore of its own (16 KB each) on every statement.
func TestMultiRowInsertsProjectSet(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	mustOpenInternal(t, dsn) // the schema
	conn := pgtest.Connect(t, dsn)
	u := storetest.NewUser("A", "u1", "u1")
	e := &rollcall.AuditEvent{TenantID: u.TenantID, Time: u.CreatedAt, ID: u.ID, Name: "CreateUser", Principal: "p",
		Record: []byte(`{}`), Response: []byte(`{}`)}
	for _, c := range []struct {
		name string
		rows *multiRow
		args []any
	}{
		{"users", insertUsers, userArgs(u)},
		{"audit events", insertAuditEvents, []any{e.TenantID, ts(e.Time), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record}},
		{"audit events (upsert)", putAuditEvents, []any{e.TenantID, ts(e.Time), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record}},
		{"audit responses", insertAuditResponses, []any{e.TenantID, ts(e.Time), e.ID, e.Response}},
		{"audit responses (upsert)", putAuditResponses, []any{e.TenantID, ts(e.Time), e.ID, e.Response}},
	} {
		rows, err := conn.Query(t.Context(), "EXPLAIN (COSTS OFF) "+c.rows.sql, columns([][]any{c.args, c.args}, c.rows.cols)...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if p := strings.Join(plan, "\n"); !strings.Contains(p, "ProjectSet") || strings.Contains(p, "Function Scan") {
			t.Errorf("%s: the plan reads its arrays without a ProjectSet, or with a Function Scan:\n%s", c.name, p)
		}
	}
}
