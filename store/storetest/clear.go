package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/rollcall/rollcall"
)

// clearFixture writes one row of every kind for tenant id (a directory "d-"+id with a
// group and a user, a token, a key, an idempotency record, a message, an invitation).
func clearFixture(id string) []any {
	dir := NewDirectory("d-" + id)
	dir.TenantID = id
	u := NewUser(dir.ID, "u-"+id, "k-"+id)
	u.TenantID = id
	key := NewAccessKey("AK" + id)
	key.TenantID = id
	tok := NewAccessToken("h-"+id, dir.ID)
	tok.TenantID = id
	inv := NewInvitation("i-"+id, "ih-"+id, dir.ID)
	inv.TenantID = id
	return []any{NewTenant(id), key, tok, dir, NewGroup(dir.ID, "g-"+id, "t"), u,
		NewIdempotency("a4b:"+id, "c-"+id), NewMessage("m-"+id, id, T0), inv}
}

// rowCounts counts every kind of row per tenant ID ("" for sessions and settings).
func rowCounts(tb testing.TB, s rollcall.Store) map[string]int {
	tb.Helper()
	n := map[string]int{}
	MustView(tb, s, func(tx rollcall.Tx) error {
		ts, err := tx.Tenants()
		errs := []error{err}
		countBy(n, "tenant ", ts, func(t *rollcall.Tenant) string { return t.ID })
		ks, err := tx.AccessKeys()
		errs = append(errs, err)
		countBy(n, "key ", ks, func(k *rollcall.AccessKey) string { return k.TenantID })
		toks, err := tx.AccessTokens()
		errs = append(errs, err)
		countBy(n, "token ", toks, func(k *rollcall.AccessToken) string { return k.TenantID })
		ds, err := tx.AllDirectories()
		errs = append(errs, err)
		countBy(n, "directory ", ds, func(d *rollcall.Directory) string { return d.TenantID })
		gs, err := tx.AllGroups()
		errs = append(errs, err)
		countBy(n, "group ", gs, func(g *rollcall.Group) string { return g.DirectoryID })
		us, err := tx.AllUsers("", 0)
		errs = append(errs, err)
		countBy(n, "user ", us, func(u *rollcall.User) string { return u.TenantID })
		is, err := tx.IdempotencyRecords()
		errs = append(errs, err)
		countBy(n, "idempotency ", is, func(r *rollcall.IdempotencyRecord) string { return r.Scope })
		ms, err := tx.Messages(rollcall.MessageFilter{})
		errs = append(errs, err)
		countBy(n, "message ", ms, func(m *rollcall.Message) string { return m.TenantID })
		invs, err := tx.Invitations()
		errs = append(errs, err)
		countBy(n, "invitation ", invs, func(i *rollcall.Invitation) string { return i.TenantID })
		if _, err := tx.Session("s1"); err == nil {
			n["session"]++
		}
		set, err := tx.Settings()
		n["settings"] = len(set)
		return errors.Join(append(errs, err)...)
	})
	return n
}

// countBy adds one to n[prefix+key(row)] for each row.
func countBy[T any](n map[string]int, prefix string, rows []*T, key func(*T) string) {
	for _, r := range rows {
		n[prefix+key(r)]++
	}
}

func wantCounts(tb testing.TB, what string, got map[string]int, tenants ...string) {
	tb.Helper()
	want := map[string]int{"session": 1, "settings": 1}
	if len(tenants) > 0 && tenants[0] == "" {
		want = map[string]int{"settings": 1}
		tenants = tenants[1:]
	}
	for _, id := range tenants {
		for _, k := range []string{"tenant ", "key ", "token ", "directory ", "user ", "message ", "invitation "} {
			want[k+id] = 1
		}
		want["group d-"+id] = 1
		want["idempotency a4b:"+id] = 1
	}
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("%s: rows\n got %v\nwant %v", what, got, want)
	}
}

var clearTests = []testCase{
	{"OneTenantThenAll", func(t *testing.T, s rollcall.Store) {
		// "1" is a suffix of "21": the tenant's scope must match whole.
		MustInsert(t, s, append(append(clearFixture("1"), clearFixture("21")...), NewSession("s1"))...)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.InsertSetting("page-token-key", "k") })
		wantCounts(t, "before", rowCounts(t, s), "1", "21")
		// An Update reads the directory first, so a backend that caches directories has it.
		MustUpdate(t, s, func(tx rollcall.Tx) error { _, err := tx.Directory("d-1"); return err })
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.Clear("1") })
		wantCounts(t, "after Clear(1)", rowCounts(t, s), "21")
		err := update(s, func(tx rollcall.Tx) error { _, err := tx.Directory("d-1"); return err })
		WantKind(t, "Directory(d-1) in an Update after Clear(1)", err, rollcall.NotFound)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.Clear("") })
		wantCounts(t, "after Clear()", rowCounts(t, s), "")
	}},
	{"RolledBack", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, append(clearFixture("1"), NewSession("s1"))...)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.InsertSetting("page-token-key", "k") })
		boom := fmt.Errorf("boom")
		err := update(s, func(tx rollcall.Tx) error {
			if err := tx.Clear(""); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update = %v, want boom", err)
		}
		wantCounts(t, "after a rolled-back Clear", rowCounts(t, s), "1")
		// The store still finds what it had (a cache must not have kept the clear).
		MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.Directory("d-1"); return err })
		MustUpdate(t, s, func(tx rollcall.Tx) error { _, err := tx.Directory("d-1"); return err })
	}},
	{"ReadOnly", func(t *testing.T, s rollcall.Store) {
		err := s.View(t.Context(), func(tx rollcall.Tx) error { return tx.Clear("") })
		WantKind(t, "Clear in a View", err, rollcall.Internal)
	}},
}
