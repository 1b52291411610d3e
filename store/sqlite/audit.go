package sqlite

import (
	"strings"

	"github.com/rollcall/rollcall"
	"time"
)

const auditColumns = `tenant_id, at, id, name, principal, failed, read_only, record`

func (t *tx) PutAuditEvent(e *rollcall.AuditEvent) error {
	// An upsert changes the row in place, and SQLite maintains only the indexes of the
	// columns it sets: completing a write's event (once the call is answered) leaves the
	// name and principal indexes alone.
	_, err := t.write("audit event", `INSERT INTO audit_events (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, at, id) DO UPDATE SET failed = excluded.failed, read_only = excluded.read_only, record = excluded.record`,
		e.TenantID, millis(e.Time), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record)
	return err
}

func scanAuditEvent(s rowScanner) (*rollcall.AuditEvent, error) {
	var e rollcall.AuditEvent
	var at int64
	if err := s.Scan(&e.TenantID, &at, &e.ID, &e.Name, &e.Principal, &e.Failed, &e.ReadOnly, &e.Record); err != nil {
		return nil, err
	}
	e.Time = fromMillis(at)
	return &e, nil
}

// AuditEvents walks (tenant_id, at, id) backwards from the cursor, through the index
// of the narrowest filter set: name, then principal, then failed-only.
func (t *tx) AuditEvents(f rollcall.AuditFilter) ([]*rollcall.AuditEvent, error) {
	var q strings.Builder
	q.WriteString(`SELECT ` + auditColumns + ` FROM audit_events`)
	index := "sqlite_autoindex_audit_events_1"
	switch {
	case f.Name != "":
		index = "audit_events_name"
	case f.Principal != "":
		index = "audit_events_principal"
	case f.FailedOnly:
		index = "audit_events_failed"
	}
	q.WriteString(" INDEXED BY " + index + " WHERE tenant_id = ?")
	args := []any{f.TenantID}
	if f.Name != "" {
		q.WriteString(" AND name = ?")
		args = append(args, f.Name)
	}
	if f.Principal != "" {
		q.WriteString(" AND principal = ?")
		args = append(args, f.Principal)
	}
	if f.FailedOnly {
		q.WriteString(" AND failed = 1")
	}
	if !f.Since.IsZero() {
		q.WriteString(" AND at >= ?")
		args = append(args, millis(f.Since))
	}
	if !f.Until.IsZero() {
		q.WriteString(" AND at < ?")
		args = append(args, millis(f.Until))
	}
	if f.AfterID != "" {
		q.WriteString(" AND (at, id) < (?, ?)")
		args = append(args, millis(f.AfterTime), f.AfterID)
	}
	q.WriteString(" ORDER BY at DESC, id DESC LIMIT ?")
	args = append(args, noLimit(f.Limit))
	return list(t, "audit event", scanAuditEvent, q.String(), args...)
}

func (t *tx) PurgeAuditEvents(before time.Time, limit int) (int, error) {
	res, err := t.write("audit event", `DELETE FROM audit_events WHERE rowid IN
		(SELECT rowid FROM audit_events INDEXED BY audit_events_at WHERE at < ? ORDER BY at LIMIT ?)`, millis(before), max(limit, 1))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, internal("audit event", err)
	}
	return int(n), nil
}
