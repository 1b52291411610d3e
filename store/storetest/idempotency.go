package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// idempotencyEdgeTests: the edges of a store that does not let a unique index refuse a
// taken (scope, token) (SQLite's checks a map of the tokens' hashes first): concurrent
// inserts, rolled-back ones, a record deleted and its token used again in one Update.
var idempotencyEdgeTests = []testCase{
	{"ConcurrentInserts", func(t *testing.T, s rollcall.Store) {
		// Retries of one request racing each other: one stores its record, the
		// others are refused, whether they share a commit or not.
		const n = 16
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				r := NewIdempotency("a4b:1", "tok")
				r.ResultID = fmt.Sprint("result-", i)
				errs[i] = s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertIdempotency(r) })
			})
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			if err == nil {
				if won >= 0 {
					t.Fatalf("InsertIdempotency of one token succeeded for %d and %d", won, i)
				}
				won = i
				continue
			}
			WantKind(t, "a concurrent InsertIdempotency of a taken token", err, rollcall.Conflict)
		}
		if won < 0 {
			t.Fatal("every concurrent InsertIdempotency failed")
		}
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency("a4b:1", "tok") })
		if want := fmt.Sprint("result-", won); got.ResultID != want {
			t.Fatalf("the stored record's ResultID is %q, want the winner's %q", got.ResultID, want)
		}
		recs := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.IdempotencyRecord, error) { return tx.IdempotencyRecords() })
		if len(recs) != 1 {
			t.Fatalf("%d records after concurrent inserts of one token, want 1", len(recs))
		}
	}},
	{"RolledBack", func(t *testing.T, s rollcall.Store) {
		r := NewIdempotency("a4b:1", "tok")
		err := update(s, func(tx rollcall.Tx) error {
			if err := tx.InsertIdempotency(r); err != nil {
				return err
			}
			return errSentinel
		})
		if err != errSentinel {
			t.Fatalf("Update = %v, want %v", err, errSentinel)
		}
		_, err = read(t, s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency(r.Scope, r.Token) })
		WantKind(t, "Idempotency of a rolled-back insert", err, rollcall.NotFound)
		MustInsert(t, s, r)
		WantKind(t, "InsertIdempotency after the insert", update(s, func(tx rollcall.Tx) error { return tx.InsertIdempotency(r) }), rollcall.Conflict)
	}},
	{"DeleteAndReuseInOneUpdate", func(t *testing.T, s rollcall.Store) {
		// As a create with an expired token does: its record goes and a new one
		// takes the token, in one transaction. The newest record is deleted, so a
		// store that numbers rows by the largest plus one gives the new one its number.
		old := NewIdempotency("a4b:1", "tok")
		old.CreatedAt = T0.Add(-48 * time.Hour)
		MustInsert(t, s, NewIdempotency("a4b:1", "other"), old)
		renewed := NewIdempotency("a4b:1", "tok")
		renewed.ResultID = "renewed"
		MustUpdate(t, s, func(tx rollcall.Tx) error {
			if err := tx.DeleteIdempotency("a4b:1", "tok", T0.Add(-24*time.Hour)); err != nil {
				return err
			}
			return tx.InsertIdempotency(renewed)
		})
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency("a4b:1", "tok") })
		WantEqual(t, "the renewed record", got, renewed)
		WantKind(t, "InsertIdempotency of the renewed token", update(s, func(tx rollcall.Tx) error { return tx.InsertIdempotency(renewed) }), rollcall.Conflict)
	}},
	{"PurgedTokenIsNew", func(t *testing.T, s rollcall.Store) {
		old := NewIdempotency("a4b:1", "tok")
		old.CreatedAt = T0.Add(-48 * time.Hour)
		MustInsert(t, s, old, NewIdempotency("a4b:2", "tok"))
		MustUpdate(t, s, func(tx rollcall.Tx) error { _, err := tx.PurgeIdempotency(T0.Add(-24*time.Hour), 10); return err })
		_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency("a4b:1", "tok") })
		WantKind(t, "Idempotency of a purged record", err, rollcall.NotFound)
		MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.Idempotency("a4b:2", "tok"); return err })
		MustInsert(t, s, NewIdempotency("a4b:1", "tok"))
		WantKind(t, "InsertIdempotency after the token was used again", update(s, func(tx rollcall.Tx) error { return tx.InsertIdempotency(NewIdempotency("a4b:1", "tok")) }), rollcall.Conflict)
	}},
	{"TenantDeleted", func(t *testing.T, s rollcall.Store) {
		// A tenant's records deleted in bulk: its tokens are new, another's are kept.
		MustInsert(t, s, NewIdempotency("a4b:1", "tok"), NewIdempotency("a4b:2", "tok"))
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentIdempotency, "1") })
		MustInsert(t, s, NewIdempotency("a4b:1", "tok"))
		WantKind(t, "InsertIdempotency of the other tenant's token", update(s, func(tx rollcall.Tx) error { return tx.InsertIdempotency(NewIdempotency("a4b:2", "tok")) }), rollcall.Conflict)
	}},
}

// testIdempotencyReopen: a record and its refusal of the token survive a restart.
func testIdempotencyReopen(t *testing.T, open func() rollcall.Store) {
	s := open()
	old := NewIdempotency("a4b:1", "old")
	old.CreatedAt = T0.Add(-48 * time.Hour)
	MustInsert(t, s, NewIdempotency("a4b:1", "tok"), old)
	MustUpdate(t, s, func(tx rollcall.Tx) error { _, err := tx.PurgeIdempotency(T0.Add(-24*time.Hour), 10); return err })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = MustOpen(t, open)
	got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency("a4b:1", "tok") })
	WantEqual(t, "the record after a restart", got, NewIdempotency("a4b:1", "tok"))
	WantKind(t, "InsertIdempotency after a restart", update(s, func(tx rollcall.Tx) error { return tx.InsertIdempotency(NewIdempotency("a4b:1", "tok")) }), rollcall.Conflict)
	MustInsert(t, s, NewIdempotency("a4b:1", "old"))
}

// RunIdempotencyTests runs the suite's idempotency cases alone, for a backend to run them
// again in a configuration of its own (SQLite: every token's hash the same).
func RunIdempotencyTests(t *testing.T, opener Opener) {
	for _, c := range slices.Concat(idempotencyTests, idempotencyEdgeTests) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, MustOpen(t, opener(t)))
		})
	}
}
