package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestIdempotencyHashCollisions runs the suite's idempotency cases with tokens' hashes
// forced to collide (two values for every token): the map's rows are told apart by
// their scope and token.
func TestIdempotencyHashCollisions(t *testing.T) {
	storetest.RunIdempotencyTests(t, func(t *testing.T) func() rollcall.Store {
		return func() rollcall.Store {
			collide := func(scope, token string) uint64 { return uint64(len(scope)+len(token)) % 2 }
			return openIdem(t, filepath.Join(t.TempDir(), "rollcall.db"), func(o *options) { o.idemHash = collide })
		}
	})
}

func openIdem(t *testing.T, path string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestIdempotencyOtherProcess: a record another process stored (rollcall import on the
// same file) is refused and found, from the writer's next batch on, which loads the
// map again.
func TestIdempotencyOtherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rollcall.db")
	s := openIdem(t, path)
	defer s.Close()
	storetest.MustInsert(t, s, storetest.NewIdempotency("a4b:1", "mine"))
	other := openIdem(t, path)
	storetest.MustInsert(t, other, storetest.NewIdempotency("a4b:1", "theirs"))
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		return tx.InsertIdempotency(storetest.NewIdempotency("a4b:1", "theirs"))
	})
	storetest.WantKind(t, "InsertIdempotency of a token another process stored", err, rollcall.Conflict)
	storetest.MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.Idempotency("a4b:1", "theirs"); return err })
	storetest.MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.Idempotency("a4b:1", "mine"); return err })
}

// TestIdempotencyMapFollowsDeletes: the rows a purge, a DeleteIdempotency or a tenant's
// reset deleted leave the map once they commit, and a rolled-back delete leaves it whole.
func TestIdempotencyMapFollowsDeletes(t *testing.T) {
	s := openIdem(t, filepath.Join(t.TempDir(), "rollcall.db"))
	defer s.Close()
	wantSize := func(what string, n int) {
		t.Helper()
		if got := s.idem.size(); got != n {
			t.Fatalf("%s: the map holds %d rows, want %d", what, got, n)
		}
	}
	var recs []any
	for i := range 10 {
		r := storetest.NewIdempotency(fmt.Sprint("a4b:", i%2), fmt.Sprint("tok", i))
		r.CreatedAt = storetest.T0.Add(time.Duration(i-10) * time.Hour)
		recs = append(recs, r)
	}
	storetest.MustInsert(t, s, recs...)
	wantSize("after 10 inserts", 10)
	purge := func(tx rollcall.Tx) error {
		_, err := tx.PurgeIdempotency(storetest.T0.Add(-7*time.Hour), 100)
		return err
	}
	err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		if err := purge(tx); err != nil {
			return err
		}
		return fmt.Errorf("undo")
	})
	if err == nil {
		t.Fatal("the Update that fails did not")
	}
	wantSize("after a purge rolled back", 10)
	storetest.MustUpdate(t, s, purge)
	wantSize("after a purge of 3", 7)
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteIdempotency("a4b:1", "tok3", storetest.T0) })
	wantSize("after a DeleteIdempotency", 6)
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentIdempotency, "0") })
	wantSize("after a tenant's records were deleted", 3)
}

// TestIdempotencyRestore: a restored snapshot's records are the map's.
func TestIdempotencyRestore(t *testing.T) {
	s := openIdem(t, filepath.Join(t.TempDir(), "rollcall.db"))
	defer s.Close()
	ctx := context.Background()
	storetest.MustInsert(t, s, storetest.NewIdempotency("a4b:1", "before"))
	if _, err := s.SaveSnapshot(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentIdempotency, "") })
	storetest.MustInsert(t, s, storetest.NewIdempotency("a4b:1", "after"))
	if err := s.RestoreSnapshot(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	storetest.MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.Idempotency("a4b:1", "before"); return err })
	err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertIdempotency(storetest.NewIdempotency("a4b:1", "before")) })
	storetest.WantKind(t, "InsertIdempotency of a restored token", err, rollcall.Conflict)
	storetest.MustInsert(t, s, storetest.NewIdempotency("a4b:1", "after"))
}
