package sqlite

import (
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestAuditQueryPlans: every filter of the audit query is a bounded walk of the
// tenant's range of the table's key, in the order asked (no sort, no other index, no
// other tenant's events), the filters tested on each event walked; each event's
// response is a lookup by the key; and the walk that finds where a short page stopped
// is a walk of the same range.
func TestAuditQueryPlans(t *testing.T) {
	s := mustOpenPlain(t)
	t0 := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	const scan = rollcall.AuditScan
	for _, c := range []struct {
		f    rollcall.AuditFilter
		want string // what the plan reads audit_events with
	}{
		{rollcall.AuditFilter{TenantID: "A", Limit: 50}, "SEARCH audit_events USING PRIMARY KEY (tenant_id=?)"},
		{rollcall.AuditFilter{TenantID: "A", Since: t0, Until: t0.Add(time.Hour), AfterTime: t0.Add(time.Minute), AfterID: "x"}, "SEARCH audit_events USING PRIMARY KEY (tenant_id=? AND at>? AND at<?)"},
		{rollcall.AuditFilter{TenantID: "A", Name: "CreateUser", Since: t0, Limit: 51, Scan: scan}, "SEARCH audit_events USING PRIMARY KEY (tenant_id=? AND at>?)"},
		{rollcall.AuditFilter{TenantID: "A", Principal: "bob", AfterTime: t0, AfterID: "x", Limit: 51, Scan: scan}, "SEARCH audit_events USING PRIMARY KEY (tenant_id=? AND (at,id)<(?,?))"},
		{rollcall.AuditFilter{TenantID: "A", Name: "CreateUser", Principal: "bob", Scan: scan}, "SEARCH audit_events USING PRIMARY KEY (tenant_id=?)"},
		{rollcall.AuditFilter{TenantID: "A", FailedOnly: true, Until: t0, Limit: 51, Scan: scan}, "SEARCH audit_events USING PRIMARY KEY (tenant_id=? AND at<?)"},
	} {
		q, args := auditQuery(c.f)
		plan := strings.Join(explain(t, s, q, args), "\n")
		// The walk is a co-routine the page reads as it goes (SCAN e is the walk's rows).
		if !strings.Contains(plan, "CO-ROUTINE walk\n"+c.want) || strings.Contains(plan, "TEMP B-TREE") ||
			strings.Count(plan, "SCAN ") != 1 || !strings.Contains(plan, "SCAN e") ||
			!strings.Contains(plan, "SEARCH r USING PRIMARY KEY (tenant_id=? AND at=? AND id=?)") {
			t.Errorf("%+v: plan\n%s\nwant the walk %q, the response by its key, no other scan and no sort", c.f, plan, c.want)
		}
		if c.f.Scan > 0 {
			q, args := auditStopQuery(c.f)
			if plan := strings.Join(explain(t, s, q, args), "\n"); plan != c.want {
				t.Errorf("%+v: stop plan\n%s\nwant %q", c.f, plan, c.want)
			}
		}
	}
}
