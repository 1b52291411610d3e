package rollcall_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestAuditFilterWalk pins the rule both stores follow for a page's walk and its Mark.
func TestAuditFilterWalk(t *testing.T) {
	for _, c := range []struct {
		f    rollcall.AuditFilter
		n    int  // events the walk found
		walk int  // Walk
		mark bool // NeedsMark(n)
	}{
		{rollcall.AuditFilter{Limit: 50}, 10, 50, false},                       // the walk is the page
		{rollcall.AuditFilter{Limit: 50, Scan: 100}, 10, 50, false},            // no row filter: Scan does not apply
		{rollcall.AuditFilter{Name: "X", Limit: 50}, 10, 0, false},             // unbounded walk: it reached the end
		{rollcall.AuditFilter{Name: "X", Limit: 50, Scan: 100}, 10, 100, true}, // short page
		{rollcall.AuditFilter{Principal: "p", Limit: 5, Scan: 100}, 5, 100, false},
		{rollcall.AuditFilter{FailedOnly: true, Scan: 100}, 7, 100, true}, // no Limit: never full
		{rollcall.AuditFilter{}, 0, 0, false},
	} {
		if got := c.f.Walk(); got != c.walk {
			t.Errorf("%+v: Walk() = %d, want %d", c.f, got, c.walk)
		}
		if got := c.f.NeedsMark(c.n); got != c.mark {
			t.Errorf("%+v: NeedsMark(%d) = %v, want %v", c.f, c.n, got, c.mark)
		}
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	m := rollcall.AuditFilter{TenantID: "T", Name: "X"}.MarkAt(at, "e1")
	if want := (rollcall.AuditEvent{TenantID: "T", Time: at, ID: "e1", Mark: true}); !reflect.DeepEqual(*m, want) {
		t.Errorf("MarkAt = %+v, want %+v", *m, want)
	}
}
