package sqlite_test

import (
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestTokenCacheOldSnapshot: a View whose snapshot is older than a revoke still reads
// the token (it is in its snapshot), but the token cache does not keep that row: the
// next View is refused. (storetest's RevokedTokenRefusedAtOnce checks each revoke.)
func TestTokenCacheOldSnapshot(t *testing.T) {
	s := mustOpen(t)
	ctx := t.Context()
	storetest.MustInsert(t, s, storetest.NewAccessToken("h1", "biz"), storetest.NewAccessToken("h2", "biz"))
	began, revoked, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- s.View(ctx, func(tx rollcall.Tx) error {
			if _, err := tx.AccessToken("h2"); err != nil { // the snapshot is taken
				return err
			}
			close(began)
			<-revoked
			_, err := tx.AccessToken("h1")
			return err
		})
	}()
	<-began
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteAccessToken("h1") })
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { return nil }) // a batch after it: the cache is on again
	close(revoked)
	if err := <-done; err != nil {
		t.Fatalf("the View of the older snapshot: %v, want the token", err)
	}
	err := s.ViewOne(ctx, func(tx rollcall.Tx) error { _, err := tx.AccessToken("h1"); return err })
	storetest.WantKind(t, "AccessToken after the revoke", err, rollcall.NotFound)
}

// TestViewOneReadsOnce: a ViewOne answers its one read, from the token cache or the
// table, and fails a second; a View is not limited.
func TestViewOneReadsOnce(t *testing.T) {
	s := mustOpen(t)
	storetest.MustInsert(t, s, storetest.NewAccessToken("h1", "biz"))
	twice := func(tx rollcall.Tx) error {
		if _, err := tx.AccessToken("h1"); err != nil {
			return err
		}
		_, err := tx.AccessToken("h1")
		return err
	}
	for range 2 { // from the table, then from the cache
		storetest.WantKind(t, "a second read in a ViewOne", s.ViewOne(t.Context(), twice), rollcall.Internal)
	}
	storetest.MustView(t, s, twice)
}
