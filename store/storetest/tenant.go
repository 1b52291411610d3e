package storetest

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

var tenantTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		aws, biz := NewTenant("111111111111"), NewTenant("biz-1")
		biz.Kind = rollcall.TenantBusiness
		MustInsert(t, s, aws, biz)
		wantStored(t, s, "Tenant", func(v *rollcall.Tenant) string { return v.ID },
			func(tx rollcall.Tx, v *rollcall.Tenant) (*rollcall.Tenant, error) { return tx.Tenant(v.ID) }, aws, biz)
	}},
	{"NotFound", func(t *testing.T, s rollcall.Store) {
		_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.Tenant, error) { return tx.Tenant("nope") })
		WantKind(t, "Tenant of a missing id", err, rollcall.NotFound)
	}},
	{"PutReplaces", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewTenant("111111111111"))
		changed := &rollcall.Tenant{ID: "111111111111", Kind: rollcall.TenantBusiness, Name: "renamed", CreatedAt: T0.Add(time.Hour)}
		MustInsert(t, s, changed)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Tenant, error) { return tx.Tenant("111111111111") })
		WantEqual(t, "tenant after a second Put", got, changed)
		all := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Tenant, error) { return tx.Tenants() })
		if len(all) != 1 {
			t.Fatalf("Tenants() has %d tenants after two Puts of one ID, want 1", len(all))
		}
	}},
	{"ListOrderedByID", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewTenant("333333333333"), NewTenant("111111111111"), NewTenant("222222222222"))
		all := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Tenant, error) { return tx.Tenants() })
		wantIDs(t, "Tenants()", ids(all, func(v *rollcall.Tenant) string { return v.ID }), []string{"111111111111", "222222222222", "333333333333"})
		WantEqual(t, "first tenant", all[0], NewTenant("111111111111"))
	}},
	{"ListEmpty", func(t *testing.T, s rollcall.Store) {
		all := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Tenant, error) { return tx.Tenants() })
		if len(all) != 0 {
			t.Fatalf("Tenants() of an empty store = %d tenants", len(all))
		}
	}},
}

var accessKeyTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		long := NewAccessKey("AKIAEXAMPLE")
		temp := NewAccessKey("ASIAEXAMPLE")
		temp.SessionTokenHash, temp.ExpiresAt = "abc123", T0.Add(12*time.Hour)
		MustInsert(t, s, long, temp)
		for _, want := range []*rollcall.AccessKey{long, temp} {
			got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessKey, error) { return tx.AccessKey(want.ID) })
			WantEqual(t, "AccessKey("+want.ID+")", got, want)
		}
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessKey, error) { return tx.AccessKey(long.ID) })
		if !got.ExpiresAt.IsZero() {
			t.Fatalf("a key stored without expiry expires at %v", got.ExpiresAt)
		}
	}},
	{"NotFound", func(t *testing.T, s rollcall.Store) {
		_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.AccessKey, error) { return tx.AccessKey("nope") })
		WantKind(t, "AccessKey of a missing id", err, rollcall.NotFound)
	}},
	{"PutReplaces", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewAccessKey("AKIAEXAMPLE"))
		changed := &rollcall.AccessKey{ID: "AKIAEXAMPLE", Secret: "rotated", TenantID: "222222222222",
			SessionTokenHash: "h", ExpiresAt: T0.Add(time.Hour), CreatedAt: T0.Add(time.Minute)}
		MustInsert(t, s, changed)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessKey, error) { return tx.AccessKey("AKIAEXAMPLE") })
		WantEqual(t, "key after a second Put", got, changed)
		// And back to a long-term key: the expiry goes.
		changed.ExpiresAt, changed.SessionTokenHash = time.Time{}, ""
		MustInsert(t, s, changed)
		got = mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessKey, error) { return tx.AccessKey("AKIAEXAMPLE") })
		WantEqual(t, "key after its expiry was cleared", got, changed)
	}},
}

var accessTokenTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		expiring := NewAccessToken("h1", "biz")
		forever := NewAccessToken("h2", "biz")
		forever.ExpiresAt, forever.Kind = time.Time{}, "refresh"
		MustInsert(t, s, expiring, forever)
		for _, want := range []*rollcall.AccessToken{expiring, forever} {
			got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessToken, error) { return tx.AccessToken(want.Hash) })
			WantEqual(t, "AccessToken("+want.Hash+")", got, want)
		}
	}},
	{"InsertConflict", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewAccessToken("h1", "biz"))
		other := NewAccessToken("h1", "other")
		WantKind(t, "InsertAccessToken of a taken hash", update(s, func(tx rollcall.Tx) error { return tx.InsertAccessToken(other) }), rollcall.Conflict)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessToken, error) { return tx.AccessToken("h1") })
		WantEqual(t, "the first token", got, NewAccessToken("h1", "biz"))
	}},
	{"NotFound", func(t *testing.T, s rollcall.Store) {
		_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.AccessToken, error) { return tx.AccessToken("nope") })
		WantKind(t, "AccessToken of a missing hash", err, rollcall.NotFound)
	}},
	{"Delete", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewAccessToken("h1", "biz"), NewAccessToken("h2", "biz"))
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteAccessToken("h1") })
		_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.AccessToken, error) { return tx.AccessToken("h1") })
		WantKind(t, "AccessToken after Delete", err, rollcall.NotFound)
		mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessToken, error) { return tx.AccessToken("h2") })
		WantKind(t, "DeleteAccessToken of a missing hash", update(s, func(tx rollcall.Tx) error { return tx.DeleteAccessToken("h1") }), rollcall.NotFound)
		// The hash is free again.
		MustInsert(t, s, NewAccessToken("h1", "biz"))
	}},
	// A store may answer token reads in a View from a cache (every Amazon Business
	// request authenticates by one): a token read twice (so that a cache holds it), then
	// revoked, is refused by the first View (or ViewOne) after the revoke returns.
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
