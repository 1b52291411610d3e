package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// The reads a store may answer from a cache: business groups in an Update (an Amazon
// Business create resolves its group in every one) and access tokens in a View (every
// Amazon Business request authenticates by one). Each case reads twice first (so that
// a cache holds the row), then writes, then reads again and wants the write: a revoked
// token is refused by the first View after the revoke returns.
var cacheTests = []testCase{
	{"GroupReadsSeeWrites", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewDirectory("biz"), NewGroup("biz", "g1", "purchasing"))
		wantGroup := func(how, key, wantName string) {
			t.Helper()
			for range 2 {
				var g *rollcall.Group
				err := s.Update(t.Context(), func(tx rollcall.Tx) (err error) {
					g, err = groupBy(tx, how, key)
					return err
				})
				switch {
				case wantName == "":
					WantKind(t, "group "+how+" "+key, err, rollcall.NotFound)
				case err != nil:
					t.Fatalf("group %s %s: %v", how, key, err)
				case g.Name != wantName:
					t.Fatalf("group %s %s: name %q, want %q", how, key, g.Name, wantName)
				}
			}
		}
		wantGroup("id", "g1", "group g1")
		wantGroup("tag", "purchasing", "group g1")

		renamed := NewGroup("biz", "g1", "finance")
		renamed.Name = "renamed"
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.PutGroup(renamed) })
		wantGroup("id", "g1", "renamed")
		wantGroup("tag", "purchasing", "")
		wantGroup("tag", "finance", "renamed")

		// A write in the same Update is seen; one rolled back is not.
		errUndo := errors.New("undo")
		undone := *renamed
		undone.Name = "rolled back"
		if err := s.Update(t.Context(), func(tx rollcall.Tx) error {
			if err := tx.PutGroup(&undone); err != nil {
				return err
			}
			if g, err := tx.Group("biz", "g1"); err != nil || g.Name != "rolled back" {
				t.Errorf("in the Update that wrote it: %v, %v", g, err)
			}
			return errUndo
		}); !errors.Is(err, errUndo) {
			t.Fatal(err)
		}
		wantGroup("id", "g1", "renamed")

		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteDirectoryContents("biz", rollcall.DirectoryGroups) })
		wantGroup("id", "g1", "")
		wantGroup("tag", "finance", "")

		MustInsert(t, s, NewGroup("biz", "g1", "purchasing"))
		wantGroup("id", "g1", "group g1")
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentGroups, TenantID) })
		wantGroup("id", "g1", "")
		wantGroup("tag", "purchasing", "")
	}},
	{"RevokedTokenRefusedAtOnce", func(t *testing.T, s rollcall.Store) {
		for _, r := range []struct {
			how    string
			revoke func(tx rollcall.Tx) error
		}{
			{"DeleteAccessToken", func(tx rollcall.Tx) error { return tx.DeleteAccessToken("h1") }},
			{"DeleteDirectoryContents", func(tx rollcall.Tx) error {
				return tx.DeleteDirectoryContents("biz", rollcall.DirectoryAccessTokens)
			}},
			{"DeleteContents", func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentAccessTokens, "biz") }},
			{"PurgeExpired", func(tx rollcall.Tx) error {
				later := T0.Add(2 * time.Hour) // past NewAccessToken's expiry
				_, err := tx.PurgeExpired(rollcall.PurgeCutoffs{Now: later, SessionsIdleSince: T0, InvitationsExpiredBy: T0})
				return err
			}},
		} {
			MustInsert(t, s, NewAccessToken("h1", "biz"))
			lookup := func(tx rollcall.Tx) error { _, err := tx.AccessToken("h1"); return err }
			for range 2 {
				MustView(t, s, lookup)
				if err := rollcall.ViewOne(t.Context(), s, lookup); err != nil { // as auth reads it
					t.Fatalf("ViewOne: %v", err)
				}
			}
			MustUpdate(t, s, r.revoke)
			WantKind(t, "AccessToken after "+r.how, s.View(t.Context(), lookup), rollcall.NotFound)
			WantKind(t, "ViewOne's AccessToken after "+r.how, rollcall.ViewOne(t.Context(), s, lookup), rollcall.NotFound)
		}
	}},
}

func groupBy(tx rollcall.Tx, how, key string) (*rollcall.Group, error) {
	if how == "tag" {
		return tx.GroupByTag("biz", key)
	}
	return tx.Group("biz", key)
}
