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
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	w, _ := coretest.MustAt(t, t0)
	ctx := context.Background()
	const n = 1300
	err := w.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		d, err := tx.Directory(rollcall.DevOrganizationID)
		if err != nil {
			return err
		}
		for i := range n {
			u := storetest.NewUser(d.ID, fmt.Sprintf("walk-%04d", i), fmt.Sprintf("walk%04d", i))
			u.TenantID, u.Kind = d.TenantID, d.Kind
			u.GivenName, u.FamilyName, u.DisplayName = "Common", "Usual", "Common Usual"
			if i < 3 {
				u.FamilyName = "Rarely"
			}
			u.CreatedAt = t0.Add(time.Duration(i) * time.Second)
			if err := tx.InsertUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		limit int
		want  []string
		more  bool
	}{
		{"rare", 10, []string{"walk-0002", "walk-0001", "walk-0000"}, false},
		{"rare", 2, []string{"walk-0002", "walk-0001"}, true},
		{"common us", 2, []string{"walk-1299", "walk-1298"}, true},
		{"common rar", 0, []string{"walk-0002", "walk-0001", "walk-0000"}, false},
		{"zzz", 10, nil, false},
	} {
		hits, more, err := w.Operator.SearchUsers(ctx, operator.UserSearch{Query: c.query, Limit: c.limit})
		if err != nil {
			t.Fatal(err)
		}
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

// BenchmarkSearchUsers: one console search page (100) of a tenant of 1,000 and 100,000
// users: the newest users, a term a sixth of them match (a page is found in the first
// batch), and a term none match (every user of the tenant is read and tested).
func BenchmarkSearchUsers(b *testing.B) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, n := range []int{1000, 100000} {
		w, _ := coretest.MustAt(b, t0)
		ctx := context.Background()
		var tenant string
		err := w.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
			d, err := tx.Directory(rollcall.DevOrganizationID)
			if err != nil {
				return err
			}
			tenant = d.TenantID
			for i := range n {
				u := storetest.NewUser(d.ID, fmt.Sprintf("bench-%06d", i), fmt.Sprintf("bench%06d", i))
				u.TenantID, u.Kind = d.TenantID, d.Kind
				u.GivenName = []string{"Mara", "Ada", "Grace", "Alan", "Edsger", "Barbara"}[i%6]
				u.CreatedAt = t0.Add(time.Duration(i) * time.Second)
				if err := tx.InsertUser(u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		for _, q := range []struct{ name, query string }{{"newest", ""}, {"common", "mar"}, {"none", "zzz"}} {
			b.Run(fmt.Sprintf("users=%d/%s", n, q.name), func(b *testing.B) {
				for b.Loop() {
					if _, _, err := w.Operator.SearchUsers(ctx, operator.UserSearch{TenantID: tenant, Query: q.query, Limit: 100}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
