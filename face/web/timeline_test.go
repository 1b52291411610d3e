package web_test

import (
	"context"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestConsoleAuditTimeline: the tenant page lists the tenant's audit events newest
// first, a page at a time, and another tenant's never.
func TestConsoleAuditTimeline(t *testing.T) {
	h := MustHarness(t)
	c := h.MustLogin(t)
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	err := h.svc.Store.Update(context.Background(), func(tx rollcall.Tx) error {
		for i := range 30 {
			rec := fmt.Sprintf(`{"eventTime":%q,"eventSource":"business-api.amazon.com","eventName":"Op%02d","sourceIPAddress":"192.0.2.1"}`,
				t0.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), i)
			e := &rollcall.AuditEvent{TenantID: rollcall.DevBusinessID, Time: t0.Add(time.Duration(i) * time.Minute), ID: fmt.Sprintf("e%02d", i),
				Name: fmt.Sprintf("Op%02d", i), Principal: "www.amazon.com:" + rollcall.DevBusinessID, Record: []byte(rec)}
			if err := tx.PutAuditEvent(e); err != nil {
				return err
			}
		}
		return tx.PutAuditEvent(&rollcall.AuditEvent{TenantID: rollcall.DevAccountID, Time: t0, ID: "x", Name: "OtherTenantOp",
			Principal: "p", Record: []byte(`{"eventName":"OtherTenantOp"}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	page := h.get(t, "/_rollcall/console/tenants/"+rollcall.DevBusinessID, c)
	if i, j := strings.Index(page.Body, "Op29"), strings.Index(page.Body, "Op05"); i < 0 || j < 0 || i > j {
		t.Fatalf("first page: Op29 at %d, Op05 at %d; want both, newest first", i, j)
	}
	if strings.Contains(page.Body, "Op04") || strings.Contains(page.Body, "OtherTenantOp") {
		t.Fatal("the first page shows more than 25 events, or another tenant's")
	}
	start := strings.Index(page.Body, `<a href="?events=`)
	if start < 0 {
		t.Fatal("no link to older events")
	}
	href := page.Body[start+len(`<a href="`):]
	href = html.UnescapeString(href[:strings.Index(href, `"`)])
	older := h.get(t, "/_rollcall/console/tenants/"+rollcall.DevBusinessID+strings.TrimSuffix(href, "#audit"), c)
	if !strings.Contains(older.Body, "Op04") || !strings.Contains(older.Body, "Op00") || strings.Contains(older.Body, "Op05") ||
		strings.Contains(older.Body, `href="?events=`) {
		t.Fatalf("second page:\n%s", older.Body)
	}
}
