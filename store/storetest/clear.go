package storetest

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// PutTenantRows writes one row of every kind for tenant id (a directory "d-"+id with a
// group and a user, a token, a key, an IAM principal, an idempotency record, a message,
// an invitation, an audit event, a fault rule): what a reset of the tenant must remove,
// which WantTenantRows checks.
func PutTenantRows(tb testing.TB, s rollcall.Store, id string) {
	tb.Helper()
	dir := NewDirectory("d-" + id)
	dir.TenantID = id
	u := NewUser(dir.ID, "u-"+id, "k-"+id)
	u.TenantID = id
	key := NewAccessKey("AK" + id)
	key.TenantID = id
	tok := NewAccessToken("h-"+id, dir.ID)
	tok.TenantID, tok.ExpiresAt = id, Unexpiring
	inv := NewInvitation("i-"+id, "ih-"+id, dir.ID)
	inv.TenantID, inv.ExpiresAt = id, Unexpiring
	p := NewPrincipal("p")
	p.ARN, p.TenantID = "arn:aws:iam::"+id+":user/p", id
	idem := NewIdempotency(rollcall.IdempotencyScope("a4b", id), "c-"+id)
	idem.CreatedAt = Unexpiring
	MustInsert(tb, s, NewTenant(id), key, tok, dir, NewGroup(dir.ID, "g-"+id, "t"), u, p, idem, NewMessage("m-"+id, id, T0), inv)
	MustUpdate(tb, s, func(tx rollcall.Tx) error {
		f := NewFault("f-" + id)
		f.TenantID = id
		return errors.Join(tx.InsertFault(f), tx.PutAuditEvent(&rollcall.AuditEvent{TenantID: id, Time: Unexpiring, ID: "e-" + id,
			Name: "CreateUser", Principal: "p", Record: []byte(`{}`)}))
	})
}

// Unexpiring is when the rows of PutTenantRows expire, and its audit event's and
// idempotency record's time: later than any sweep reaches. A running server purges
// expired tokens and invitations, and audit events and idempotency records past
// retention, by the wall clock, in the background, and T0 is in the past; rows that
// expired at T0 would vanish under a test that counts them.
var Unexpiring = T0.AddDate(100, 0, 0)

// clearRows is the rowCounts key of tenant id's row of each Content.
func clearRows(id string) map[rollcall.Content]string {
	return map[rollcall.Content]string{
		rollcall.ContentTenants: "tenant " + id, rollcall.ContentAccessKeys: "key " + id,
		rollcall.ContentAccessTokens: "token " + id, rollcall.ContentPrincipals: "principal " + id,
		rollcall.ContentDirectories: "directory " + id, rollcall.ContentGroups: "group d-" + id,
		rollcall.ContentUsers: "user " + id, rollcall.ContentInvitations: "invitation " + id,
		rollcall.ContentMessages: "message " + id, rollcall.ContentIdempotency: "idempotency a4b:" + id,
		rollcall.ContentAuditEvents: "audit event e-" + id, rollcall.ContentFaults: "fault " + id,
	}
}

// rowCounts counts every kind of row per tenant ID ("" for sessions, settings and
// faults of every tenant), audit events of the tenants named per event ID (a reset
// through the admin API records its own).
func rowCounts(tb testing.TB, s rollcall.Store, tenants ...string) map[string]int {
	tb.Helper()
	n := map[string]int{}
	MustView(tb, s, func(tx rollcall.Tx) error {
		errs := []error{
			countBy(n, "tenant ", func(t *rollcall.Tenant) string { return t.ID })(tx.Tenants()),
			countBy(n, "key ", func(k *rollcall.AccessKey) string { return k.TenantID })(tx.AccessKeys()),
			countBy(n, "token ", func(k *rollcall.AccessToken) string { return k.TenantID })(tx.AccessTokens()),
			countBy(n, "principal ", func(p *rollcall.Principal) string { return p.TenantID })(tx.Principals("")),
			countBy(n, "directory ", func(d *rollcall.Directory) string { return d.TenantID })(tx.AllDirectories()),
			countBy(n, "group ", func(g *rollcall.Group) string { return g.DirectoryID })(tx.AllGroups()),
			countBy(n, "user ", func(u *rollcall.User) string { return u.TenantID })(tx.AllUsers("", 0)),
			countBy(n, "idempotency ", func(r *rollcall.IdempotencyRecord) string { return r.Scope })(tx.IdempotencyRecords()),
			countBy(n, "message ", func(m *rollcall.Message) string { return m.TenantID })(tx.Messages(rollcall.MessageFilter{})),
			countBy(n, "invitation ", func(i *rollcall.Invitation) string { return i.TenantID })(tx.Invitations()),
			countBy(n, "fault ", func(f *rollcall.Fault) string { return f.TenantID })(tx.Faults()),
		}
		for _, id := range tenants {
			errs = append(errs, countBy(n, "audit event ", func(e *rollcall.AuditEvent) string { return e.ID })(
				tx.AuditEvents(rollcall.AuditFilter{TenantID: id})))
		}
		if _, err := tx.Session("s1"); err == nil {
			n["session"]++
		}
		set, err := tx.Settings()
		n["settings"] = len(set)
		return errors.Join(append(errs, err)...)
	})
	return n
}

// countBy returns a function that adds one to n[prefix+key(row)] for each of a read's
// rows and returns the read's error.
func countBy[T any](n map[string]int, prefix string, key func(*T) string) func([]*T, error) error {
	return func(rows []*T, err error) error {
		for _, r := range rows {
			n[prefix+key(r)]++
		}
		return err
	}
}

// WantTenantRows checks that the store holds each row PutTenantRows wrote for tenant id
// (there true) or none of them.
func WantTenantRows(tb testing.TB, s rollcall.Store, id string, there bool) {
	tb.Helper()
	got := rowCounts(tb, s, id)
	for c, k := range clearRows(id) {
		if n := got[k]; n != 1 && there || n != 0 && !there {
			tb.Errorf("%s of tenant %s: %d rows, want them there: %v", c, id, n, there)
		}
	}
}

// wantRows checks that got counts one row for each key of want.
func wantRows(tb testing.TB, what string, got map[string]int, want ...string) {
	tb.Helper()
	w := map[string]int{}
	for _, k := range want {
		w[k] = 1
	}
	if !reflect.DeepEqual(got, w) {
		tb.Errorf("%s: rows\n got %v\nwant %v", what, got, w)
	}
}

// clearStore writes the rows of tenants "1" and "21" ("1" is a suffix of "21": a
// tenant's idempotency scope must match whole), a fault rule of every tenant, a
// console session and a setting, and returns the rowCounts keys of all of them.
func clearStore(t *testing.T, s rollcall.Store) []string {
	t.Helper()
	PutTenantRows(t, s, "1")
	PutTenantRows(t, s, "21")
	MustInsert(t, s, NewSession("s1"))
	MustUpdate(t, s, func(tx rollcall.Tx) error {
		return errors.Join(tx.InsertSetting("page-token-key", "k"), tx.InsertFault(NewFault("f-every-tenant")))
	})
	rows := []string{"session", "settings", "fault "}
	rows = slices.AppendSeq(rows, maps.Values(clearRows("1")))
	return slices.AppendSeq(rows, maps.Values(clearRows("21")))
}

func deleteContents(s rollcall.Store, c rollcall.Content, tenantID string) error {
	return update(s, func(tx rollcall.Tx) error { return tx.DeleteContents(c, tenantID) })
}

var clearTests = []testCase{
	{"TenantRowsOutliveTheSweeps", func(t *testing.T, s rollcall.Store) {
		PutTenantRows(t, s, "1")
		now := time.Now()
		MustUpdate(t, s, func(tx rollcall.Tx) error {
			_, err := tx.PurgeExpired(rollcall.PurgeCutoffs{Now: now, SessionsIdleSince: now, InvitationsExpiredBy: now})
			if err != nil {
				return err
			}
			_, err = tx.PurgeAuditEvents(now, 1000)
			return err
		})
		WantTenantRows(t, s, "1", true)
	}},
	{"EachKindOfOneTenantThenAll", func(t *testing.T, s rollcall.Store) {
		rows := clearStore(t, s)
		wantRows(t, "before", rowCounts(t, s, "1", "21"), rows...)
		// An Update reads the directory first, so a backend that caches directories has it.
		MustUpdate(t, s, func(tx rollcall.Tx) error { _, err := tx.Directory("d-1"); return err })
		// Each kind of tenant 1's rows, one at a time: that kind goes, nothing else.
		of1 := clearRows("1")
		for _, c := range rollcall.TenantContents {
			before := faultsVersion(t, s)
			if err := deleteContents(s, c, "1"); err != nil {
				t.Fatalf("DeleteContents(%s, 1): %v", c, err)
			}
			rows = slices.DeleteFunc(rows, func(k string) bool { return k == of1[c] })
			wantRows(t, fmt.Sprintf("after DeleteContents(%s, 1)", c), rowCounts(t, s, "1", "21"), rows...)
			if moved := faultsVersion(t, s) != before; moved != (c == rollcall.ContentFaults) {
				t.Errorf("DeleteContents(%s, 1) moved FaultsVersion: %v", c, moved)
			}
		}
		err := update(s, func(tx rollcall.Tx) error { _, err := tx.Directory("d-1"); return err })
		WantKind(t, "Directory(d-1) in an Update after DeleteContents(directories, 1)", err, rollcall.NotFound)
		// Each kind of every tenant, and the sessions, which are of none.
		for _, c := range append(rollcall.TenantContents, rollcall.ContentSessions) {
			if err := deleteContents(s, c, ""); err != nil {
				t.Fatalf("DeleteContents(%s): %v", c, err)
			}
		}
		wantRows(t, "after every kind of every tenant", rowCounts(t, s, "21", ""), "settings")
	}},
	{"Refused", func(t *testing.T, s rollcall.Store) {
		rows := clearStore(t, s)
		WantKind(t, "DeleteContents(sessions) of a tenant", deleteContents(s, rollcall.ContentSessions, "1"), rollcall.Invalid)
		WantKind(t, "DeleteContents of an unknown content", deleteContents(s, "nope", ""), rollcall.Internal)
		err := s.View(t.Context(), func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentUsers, "") })
		WantKind(t, "DeleteContents in a View", err, rollcall.Internal)
		wantRows(t, "after refused deletes", rowCounts(t, s, "1", "21"), rows...)
	}},
	{"RolledBack", func(t *testing.T, s rollcall.Store) {
		rows := clearStore(t, s)
		boom := fmt.Errorf("boom")
		err := update(s, func(tx rollcall.Tx) error {
			for _, c := range append(rollcall.TenantContents, rollcall.ContentSessions) {
				if err := tx.DeleteContents(c, ""); err != nil {
					return err
				}
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update = %v, want boom", err)
		}
		wantRows(t, "after a rolled-back delete of everything", rowCounts(t, s, "1", "21"), rows...)
		// The store still finds what it had (a cache must not have kept the delete).
		MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.Directory("d-1"); return err })
		MustUpdate(t, s, func(tx rollcall.Tx) error { _, err := tx.Directory("d-1"); return err })
	}},
}
