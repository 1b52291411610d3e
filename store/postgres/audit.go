package postgres

import (
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
)

const auditCols = `tenant_id, at, id, name, principal, failed, read_only, record`

func (t *tx) PutAuditEvent(e *rollcall.AuditEvent) error {
	_, err := t.exec("audit event", `INSERT INTO audit_events (`+auditCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (tenant_id, at, id) DO UPDATE SET failed = EXCLUDED.failed, read_only = EXCLUDED.read_only, record = EXCLUDED.record`,
		e.TenantID, ts(e.Time), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record)
	return err
}

func scanAuditEvent(r pgx.Row) (*rollcall.AuditEvent, error) {
	var e rollcall.AuditEvent
	if err := r.Scan(&e.TenantID, &e.Time, &e.ID, &e.Name, &e.Principal, &e.Failed, &e.ReadOnly, &e.Record); err != nil {
		return nil, err
	}
	e.Time = e.Time.UTC()
	return &e, nil
}

// AuditEvents walks (tenant_id, at, id) backwards from the cursor; the planner picks
// the index of the filter set (name, principal, failed-only).
func (t *tx) AuditEvents(f rollcall.AuditFilter) ([]*rollcall.AuditEvent, error) {
	var q strings.Builder
	args := []any{f.TenantID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	q.WriteString(`SELECT ` + auditCols + ` FROM audit_events WHERE tenant_id = $1`)
	if f.Name != "" {
		q.WriteString(" AND name = " + arg(f.Name))
	}
	if f.Principal != "" {
		q.WriteString(" AND principal = " + arg(f.Principal))
	}
	if f.FailedOnly {
		q.WriteString(" AND failed")
	}
	if !f.Since.IsZero() {
		q.WriteString(" AND at >= " + arg(ts(f.Since)))
	}
	if !f.Until.IsZero() {
		q.WriteString(" AND at < " + arg(ts(f.Until)))
	}
	if f.AfterID != "" {
		q.WriteString(" AND (at, id) < (" + arg(ts(f.AfterTime)) + ", " + arg(f.AfterID) + ")")
	}
	q.WriteString(" ORDER BY at DESC, id DESC")
	if f.Limit > 0 {
		q.WriteString(" LIMIT " + arg(f.Limit))
	}
	return list(t, "audit event", scanAuditEvent, q.String(), args...)
}

func (t *tx) PurgeAuditEvents(before time.Time, limit int) (int, error) {
	n, err := t.exec("audit event", `DELETE FROM audit_events WHERE (tenant_id, at, id) IN
		(SELECT tenant_id, at, id FROM audit_events WHERE at < $1 ORDER BY at LIMIT $2)`, ts(before), max(limit, 1))
	return int(n), err
}
