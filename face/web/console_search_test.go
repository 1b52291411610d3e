package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestConsoleSearchOlder: a search in a scope larger than the bound says how far it
// searched and links to where it stopped; the link finds the older match, says which
// users it covers, and a changed or foreign link is refused.
func TestConsoleSearchOlder(t *testing.T) {
	h := MustHarness(t)
	n := operator.SearchScan + 50
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tenant, pre := bulkUsers(t, h, n, t0)
	c := h.MustLogin(t)
	first := h.get(t, "/_rollcall/console/users?q=zyzzyva&tenant="+tenant, c)
	stopped := when(t0.Add(time.Duration(n-operator.SearchScan+pre) * time.Second))
	if first.StatusCode != http.StatusOK || !strings.Contains(first.Body, fmt.Sprintf("Zyzzyva%d", n-1)) || strings.Contains(first.Body, "Zyzzyva0<") ||
		!strings.Contains(first.Body, fmt.Sprintf("Searched the newest %d users so far, back to those created at %s", operator.SearchScan, stopped)) {
		t.Fatalf("first page: %d\n%s", first.StatusCode, first.Body)
	}
	m := regexp.MustCompile(`<a href="([^"]*)">Search older users</a>`).FindStringSubmatch(first.Body)
	if m == nil {
		t.Fatal("no link to older users")
	}
	href := html.UnescapeString(m[1])
	older := h.get(t, "/_rollcall/console/users"+href, c)
	if older.StatusCode != http.StatusOK || !strings.Contains(older.Body, "Zyzzyva0<") || strings.Contains(older.Body, fmt.Sprintf("Zyzzyva%d", n-1)) ||
		strings.Contains(older.Body, "Search older users") || !strings.Contains(older.Body, "matches among users created at or before "+stopped) ||
		!strings.Contains(older.Body, `<a href="?q=zyzzyva&amp;tenant=`+tenant+`">Search from the newest users</a>`) {
		t.Fatalf("older page: %d\n%s", older.StatusCode, older.Body)
	}
	// The link belongs to its search: another query, or a changed token, is refused.
	for _, bad := range []string{strings.Replace(href, "q=zyzzyva", "q=zyzzyv", 1), href[:len(href)-3]} {
		if r := h.get(t, "/_rollcall/console/users"+bad, c); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "does not belong to this search") {
			t.Errorf("%s: %d %s", bad, r.StatusCode, r.Body)
		}
	}
}

// bulkUsers adds n users to the dev WorkDocs directory, the i-th created i seconds after
// t0, the first and the last named Zyzzyva, and returns its tenant and how many users the
// tenant had before (all newer than these).
func bulkUsers(t *testing.T, h *harness, n int, t0 time.Time) (tenant string, pre int) {
	err := h.svc.Store.Update(context.Background(), func(tx rollcall.Tx) error {
		d, err := tx.Directory(rollcall.DevOrganizationID)
		if err != nil {
			return err
		}
		tenant = d.TenantID
		if pre, err = tx.CountUsers(rollcall.UserQuery{TenantID: tenant}); err != nil {
			return err
		}
		for i := range n {
			u := storetest.NewUser(d.ID, fmt.Sprintf("bulk-%06d", i), fmt.Sprintf("bulk%06d", i))
			u.TenantID, u.Kind, u.CreatedAt = d.TenantID, d.Kind, t0.Add(time.Duration(i)*time.Second)
			u.GivenName, u.FamilyName, u.DisplayName = "Common", "Usual", "Common Usual"
			if i == 0 || i == n-1 {
				u.FamilyName, u.DisplayName = "Zyzzyva", fmt.Sprintf("Zyzzyva%d", i)
			}
			if err = tx.InsertUser(u); err != nil {
				break
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tenant, pre
}
