package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestMigrateIdempotency opens a database at migration 0440 with idempotency records:
// 0450 carries them over into the table without a token index, where they are found,
// refuse their tokens and are purged as before.
func TestMigrateIdempotency(t *testing.T) {
	db, path := openBefore(t, "0450")
	old := storetest.NewIdempotency("a4b:1", "old")
	old.CreatedAt = storetest.T0.Add(-48 * time.Hour)
	want := []*rollcall.IdempotencyRecord{storetest.NewIdempotency("a4b:1", "tok"), storetest.NewIdempotency("a4b:2", "tok"), old}
	for _, r := range want {
		if _, err := db.Exec(`INSERT INTO idempotency (scope, token, request_hash, result_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			r.Scope, r.Token, r.RequestHash, r.ResultID, r.CreatedAt.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	s := mustOpenPath(t, path)
	defer s.Close()
	for _, r := range want {
		got, err := storeRead(s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency(r.Scope, r.Token) })
		if err != nil {
			t.Fatalf("Idempotency(%q, %q) after 0450: %v", r.Scope, r.Token, err)
		}
		storetest.WantEqual(t, "a record carried over", got, r)
		err = s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertIdempotency(r) })
		storetest.WantKind(t, "InsertIdempotency of a carried-over token", err, rollcall.Conflict)
	}
	var n int
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) (err error) {
		n, err = tx.PurgeIdempotency(storetest.T0.Add(-24*time.Hour), 10)
		return err
	})
	if n != 1 {
		t.Fatalf("the purge after 0450 deleted %d records, want 1", n)
	}
	var indexes []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'idempotency' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		indexes = append(indexes, name)
	}
	storetest.WantEqual(t, "the idempotency table's indexes after 0450 and 0480", indexes, []string(nil))
}

// TestMigrateIdempotencyCreatedAtDropped opens a database at migration 0470 with
// records, written out of their times' order: 0480 drops idempotency_created_at, and
// the purge deletes the expired among the first records written, reading the table's
// first rows by rowid (no index, nothing sorted), and keeps the young among them.
func TestMigrateIdempotencyCreatedAtDropped(t *testing.T) {
	db, path := openBefore(t, "0480")
	var recs []*rollcall.IdempotencyRecord
	for i, age := range []time.Duration{30, 1, 26, 48, 2, 25} { // hours
		r := storetest.NewIdempotency("a4b:1", fmt.Sprint("tok", i))
		r.CreatedAt = storetest.T0.Add(-age * time.Hour)
		recs = append(recs, r)
		if _, err := db.Exec(`INSERT INTO idempotency (scope, token, request_hash, result_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			r.Scope, r.Token, r.RequestHash, r.ResultID, r.CreatedAt.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	s := mustOpenPath(t, path)
	defer s.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'idempotency'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the idempotency table has %d indexes after 0480 (%v), want none", n, err)
	}
	plan := sqlite.PurgeIdempotencyPlan(t, s)
	if len(plan) == 0 {
		t.Fatal("the purge's statement has no plan")
	}
	for _, l := range plan {
		if strings.Contains(l, "INDEX") || strings.Contains(l, "TEMP B-TREE") {
			t.Errorf("the purge's plan %q reads an index or sorts", plan)
		}
	}
	before := storetest.T0.Add(-24 * time.Hour)
	purge := func(limit int) {
		t.Helper()
		storetest.MustUpdate(t, s, func(tx rollcall.Tx) (err error) { n, err = tx.PurgeIdempotency(before, limit); return err })
	}
	purge(4) // the first four written: 30h, 1h, 26h, 48h
	if n != 3 {
		t.Fatalf("the purge of the first 4 deleted %d, want 3", n)
	}
	purge(4) // 1h, 2h, 25h
	if n != 1 {
		t.Fatalf("the second purge deleted %d, want 1", n)
	}
	left, err := storeRead(s, func(tx rollcall.Tx) ([]*rollcall.IdempotencyRecord, error) { return tx.IdempotencyRecords() })
	if err != nil {
		t.Fatal(err)
	}
	storetest.WantEqual(t, "the records left", left, []*rollcall.IdempotencyRecord{recs[1], recs[4]})
}

func storeRead[T any](s rollcall.Store, fn func(rollcall.Tx) (T, error)) (v T, err error) {
	err = s.View(context.Background(), func(tx rollcall.Tx) (e error) { v, e = fn(tx); return e })
	return v, err
}
