package operator_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/coretest"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestSearchUsersWalks: a console search walks the newest users in batches until it has
// a page: a common term stops at the first page, a term only the oldest users match is
// found past many batches, and every search reports whether more matched.
func TestSearchUsersWalks(t *testing.T) {
	w, _ := withUsers(t, 1300, func(i int, u *rollcall.User) {
		u.GivenName, u.FamilyName, u.DisplayName = "Common", "Usual", "Common Usual"
		if i < 3 {
			u.FamilyName = "Rarely"
		}
	})
	ctx := context.Background()
	for _, c := range []struct {
		query string
		limit int
		want  []string
		more  bool
	}{
		{"rare", 10, []string{"user-000002", "user-000001", "user-000000"}, false},
		{"rare", 2, []string{"user-000002", "user-000001"}, true},
		{"common us", 2, []string{"user-001299", "user-001298"}, true},
		{"common rar", 0, []string{"user-000002", "user-000001", "user-000000"}, false},
		{"zzz", 10, nil, false},
	} {
		page, err := w.Operator.SearchUsers(ctx, operator.UserSearch{Query: c.query, Limit: c.limit})
		if err != nil {
			t.Fatal(err)
		}
		if page.Next != nil {
			t.Errorf("%q: stopped on the bound in a scope smaller than it", c.query)
		}
		hits, more := page.Hits, page.More
		var got []string
		for _, h := range hits {
			if h.Directory == nil || h.Directory.ID != h.User.DirectoryID {
				t.Errorf("%q: %s without its directory", c.query, h.User.ID)
			}
			got = append(got, h.User.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) || more != c.more {
			t.Errorf("%q (limit %d): %v more=%v, want %v more=%v", c.query, c.limit, got, more, c.want, c.more)
		}
	}
}

// TestSearchUsersBounded: a page examines at most the bound. A term a few users spread
// through a scope larger than it match gives short pages that say where they stopped, and
// following them finds every match exactly once, newest first; a walk that ends exactly
// on the bound offers no continuation.
func TestSearchUsersBounded(t *testing.T) {
	const n, scan = 1000, 300
	var want []string
	w, tenant := withUsers(t, n, func(i int, u *rollcall.User) {
		u.GivenName, u.FamilyName, u.DisplayName = "Common", "Usual", "Common Usual"
		if i%97 == 5 || i == 0 || i == n-1 {
			u.FamilyName = "Rarely"
			want = append([]string{u.ID}, want...)
		}
	})
	ctx := context.Background()
	var got []string
	var after *rollcall.UserCursor
	pages, examined := 0, 0
	for {
		page, err := w.Operator.SearchUsers(ctx, operator.UserSearch{TenantID: tenant, Query: "rar", Limit: 100, Scan: scan, After: after})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		examined += page.Examined
		if page.More || page.Examined > scan || page.Next != nil && page.Examined != scan || len(page.Hits) >= 100 {
			t.Fatalf("page %d: %d hits, more=%v, examined %d, next %v", pages, len(page.Hits), page.More, page.Examined, page.Next)
		}
		for _, h := range page.Hits {
			got = append(got, h.User.ID)
		}
		if page.Next == nil {
			break
		}
		if page.Reached.IsZero() || len(page.Hits) > 0 && page.Reached.After(page.Hits[len(page.Hits)-1].User.CreatedAt) {
			t.Errorf("page %d reached %v", pages, page.Reached)
		}
		after = page.Next
	}
	// The tenant's own users (the world's) come after these; every page but the last was
	// bounded.
	if fmt.Sprint(got) != fmt.Sprint(want) || pages < n/scan+1 || examined < n {
		t.Fatalf("%d pages examined %d: %v\nwant %v", pages, examined, got, want)
	}

	// A scope that ends exactly on the bound: no continuation.
	page, err := w.Operator.SearchUsers(ctx, operator.UserSearch{TenantID: tenant, Query: "zzz", Scan: examined})
	if err != nil || page.Next != nil || page.Examined != examined {
		t.Fatalf("scope of exactly the bound: %+v %v", page, err)
	}
	page, err = w.Operator.SearchUsers(ctx, operator.UserSearch{TenantID: tenant, Query: "zzz", Scan: examined - 1})
	if err != nil || page.Next == nil || page.Examined != examined-1 {
		t.Fatalf("scope one past the bound: %+v %v", page, err)
	}
	// A cursor of another order is refused.
	if _, err := w.Operator.SearchUsers(ctx, operator.UserSearch{Query: "x", After: &rollcall.UserCursor{}}); !rollcall.IsKind(err, rollcall.Invalid) {
		t.Fatalf("bad cursor: %v", err)
	}
}

// BenchmarkSearchUsers: one console search page (100) of a tenant of 1,000 and 100,000
// users: the newest users, a term a sixth of them match (a page reads about 600 users, two
// batches), and a term none match (every user of the tenant is read and tested, at most
// SearchScan).
func BenchmarkSearchUsers(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		w, tenant := withUsers(b, n, func(i int, u *rollcall.User) {
			u.GivenName = []string{"Mara", "Ada", "Grace", "Alan", "Edsger", "Barbara"}[i%6]
		})
		ctx := context.Background()
		for _, q := range []struct{ name, query string }{{"newest", ""}, {"common", "mar"}, {"none", "zzz"}} {
			b.Run(fmt.Sprintf("users=%d/%s", n, q.name), func(b *testing.B) {
				for b.Loop() {
					if _, err := w.Operator.SearchUsers(ctx, operator.UserSearch{TenantID: tenant, Query: q.query, Limit: 100}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// withUsers is a World whose WorkDocs directory holds n more users, the i-th created i
// seconds after the others and changed by mod, and that directory's tenant.
func withUsers(tb testing.TB, n int, mod func(i int, u *rollcall.User)) (*coretest.World, string) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	w, _ := coretest.MustAt(tb, t0)
	var tenant string
	err := w.Core.Store.Update(context.Background(), func(tx rollcall.Tx) error {
		d, err := tx.Directory(rollcall.DevOrganizationID)
		if err != nil {
			return err
		}
		tenant = d.TenantID
		for i := range n {
			u := storetest.NewUser(d.ID, fmt.Sprintf("user-%06d", i), fmt.Sprintf("key%06d", i))
			u.TenantID, u.Kind, u.CreatedAt = d.TenantID, d.Kind, t0.Add(time.Duration(i+1)*time.Second)
			mod(i, u)
			if err := tx.InsertUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return w, tenant
}
