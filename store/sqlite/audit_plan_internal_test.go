package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestAuditQueryPlans: every filter of the audit query is a walk of the table's key or
// of one index, in the order asked (no sort), so a page costs the same at 10M events;
// each event's response is a lookup by the key.
func TestAuditQueryPlans(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "rollcall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		f    rollcall.AuditFilter
		want string // what the plan reads audit_events with
	}{
		{rollcall.AuditFilter{TenantID: "A", Limit: 50}, "SEARCH e USING PRIMARY KEY (tenant_id=?)"},
		{rollcall.AuditFilter{TenantID: "A", Since: t0, Until: t0.Add(time.Hour), AfterTime: t0.Add(time.Minute), AfterID: "x"}, "SEARCH e USING PRIMARY KEY (tenant_id=? AND at>? AND at<?)"},
		{rollcall.AuditFilter{TenantID: "A", Name: "CreateUser", Since: t0}, "SEARCH e USING INDEX audit_events_name (tenant_id=? AND name=? AND at>?)"},
		{rollcall.AuditFilter{TenantID: "A", Principal: "bob", AfterTime: t0, AfterID: "x"}, "SEARCH e USING INDEX audit_events_principal (tenant_id=? AND principal=? AND (at,id)<(?,?))"},
		{rollcall.AuditFilter{TenantID: "A", Name: "CreateUser", Principal: "bob"}, "SEARCH e USING INDEX audit_events_name (tenant_id=? AND name=?)"},
		{rollcall.AuditFilter{TenantID: "A", FailedOnly: true, Until: t0}, "SEARCH e USING INDEX audit_events_failed (tenant_id=?"},
	} {
		q, args := auditQuery(c.f)
		rows, err := s.readDB.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var lines []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, detail)
		}
		rows.Close()
		plan := strings.Join(lines, "\n")
		if !strings.Contains(plan, c.want) || strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "SCAN ") ||
			!strings.Contains(plan, "SEARCH r USING PRIMARY KEY (tenant_id=? AND at=? AND id=?)") {
			t.Errorf("%+v: plan\n%s\nwant %q, the response by its key, no scan and no sort", c.f, plan, c.want)
		}
	}
}
