package sqlite

import (
	"strings"
	"time"

	"github.com/rollcall/rollcall"
)

const auditColumns = `tenant_id, at, id, name, principal, failed, read_only, record`

func (t *tx) PutAuditEvent(e *rollcall.AuditEvent) error {
	// An upsert changes the row in place, and SQLite maintains only the indexes of the
	// columns it sets: replacing an event leaves the name and principal indexes alone.
	_, err := t.write("audit event", `INSERT INTO audit_events (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, at, id) DO UPDATE SET failed = excluded.failed, read_only = excluded.read_only, record = excluded.record`,
		e.TenantID, millis(e.Time), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record)
	return err
}

func (t *tx) PutAuditResponse(e *rollcall.AuditEvent) error {
	_, err := t.write("audit event", `INSERT OR REPLACE INTO audit_responses (tenant_id, at, id, response) VALUES (?, ?, ?, ?)`,
		e.TenantID, millis(e.Time), e.ID, e.Response)
	return err
}

func scanAuditEvent(s rowScanner) (*rollcall.AuditEvent, error) {
	var e rollcall.AuditEvent
	var at int64
	if err := s.Scan(&e.TenantID, &at, &e.ID, &e.Name, &e.Principal, &e.Failed, &e.ReadOnly, &e.Record, &e.Response); err != nil {
		return nil, err
	}
	e.Time = fromMillis(at)
	return &e, nil
}

// AuditEvents walks (tenant_id, at, id) backwards from the cursor, on the table's key
// or on the index of the narrowest filter set: name, then principal, then failed-only.
// Each event's response is one lookup by the same key.
func (t *tx) AuditEvents(f rollcall.AuditFilter) ([]*rollcall.AuditEvent, error) {
	q, args := auditQuery(f)
	return list(t, "audit event", scanAuditEvent, q, args...)
}

// auditQuery is the statement AuditEvents runs for f.
func auditQuery(f rollcall.AuditFilter) (string, []any) {
	var q strings.Builder
	q.WriteString(`SELECT e.tenant_id, e.at, e.id, e.name, e.principal, e.failed, e.read_only, e.record, r.response
		FROM audit_events AS e`)
	switch {
	case f.Name != "":
		q.WriteString(" INDEXED BY audit_events_name")
	case f.Principal != "":
		q.WriteString(" INDEXED BY audit_events_principal")
	case f.FailedOnly:
		q.WriteString(" INDEXED BY audit_events_failed")
	default:
		q.WriteString(" NOT INDEXED") // on a WITHOUT ROWID table: the key's own B-tree
	}
	q.WriteString(" LEFT JOIN audit_responses AS r ON r.tenant_id = e.tenant_id AND r.at = e.at AND r.id = e.id WHERE e.tenant_id = ?")
	args := []any{f.TenantID}
	if f.Name != "" {
		q.WriteString(" AND e.name = ?")
		args = append(args, f.Name)
	}
	if f.Principal != "" {
		q.WriteString(" AND e.principal = ?")
		args = append(args, f.Principal)
	}
	if f.FailedOnly {
		q.WriteString(" AND e.failed = 1")
	}
	if !f.Since.IsZero() {
		q.WriteString(" AND e.at >= ?")
		args = append(args, millis(f.Since))
	}
	if !f.Until.IsZero() {
		q.WriteString(" AND e.at < ?")
		args = append(args, millis(f.Until))
	}
	if f.AfterID != "" {
		q.WriteString(" AND (e.at, e.id) < (?, ?)")
		args = append(args, millis(f.AfterTime), f.AfterID)
	}
	q.WriteString(" ORDER BY e.at DESC, e.id DESC LIMIT ?")
	args = append(args, noLimit(f.Limit))
	return q.String(), args
}

// PurgeAuditEvents walks the tenants that have events (a seek on the key per tenant)
// and deletes each one's oldest before the cutoff, and their responses, until limit.
func (t *tx) PurgeAuditEvents(before time.Time, limit int) (int, error) {
	limit = max(limit, 1)
	deleted, tenant := 0, ""
	for deleted < limit {
		var next string
		err := t.get("audit event", func(s rowScanner) error { return s.Scan(&next) },
			`SELECT tenant_id FROM audit_events WHERE tenant_id > ? ORDER BY tenant_id LIMIT 1`, tenant)
		if rollcall.ErrorKind(err) == rollcall.NotFound {
			break
		}
		if err != nil {
			return deleted, err
		}
		tenant = next
		// The responses first: the same keys are still in audit_events to be found.
		oldest := `SELECT tenant_id, at, id FROM audit_events WHERE tenant_id = ? AND at < ? ORDER BY at, id LIMIT ?`
		args := []any{tenant, millis(before), limit - deleted}
		if _, err := t.write("audit event", `DELETE FROM audit_responses WHERE (tenant_id, at, id) IN (`+oldest+`)`, args...); err != nil {
			return deleted, err
		}
		res, err := t.write("audit event", `DELETE FROM audit_events WHERE (tenant_id, at, id) IN (`+oldest+`)`, args...)
		if err != nil {
			return deleted, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return deleted, internal("audit event", err)
		}
		deleted += int(n)
	}
	return deleted, nil
}
