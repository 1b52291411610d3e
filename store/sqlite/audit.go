package sqlite

import (
	"strings"
	"time"

	"github.com/rollcall/rollcall"
)

const auditColumns = `tenant_id, at, id, name, principal, failed, read_only, record`

// auditBoxes are the writer's argument values (strings made interface values, which
// allocates) of the columns audit events repeat: tenants, operations, principals. Most
// events reuse theirs. Only the writer's goroutine uses them; past maxAuditBoxes they
// start again, so values that do not repeat cannot grow them.
type auditBoxes map[string]any

const maxAuditBoxes = 1024

func (t *tx) box(s string) any {
	if t.w == nil {
		return s
	}
	b := t.w.auditBoxes
	if v, ok := b[s]; ok {
		return v
	}
	if b == nil || len(b) >= maxAuditBoxes {
		b = make(auditBoxes, 64)
		t.w.auditBoxes = b
	}
	v := any(s)
	b[s] = v
	return v
}

func (t *tx) PutAuditEvent(e *rollcall.AuditEvent) error {
	// An upsert changes the row in place (the table is its key: there is no other index).
	args := append(t.args(), t.box(e.TenantID), millis(e.Time), stringArg(&e.ID), t.box(e.Name), t.box(e.Principal), e.Failed, e.ReadOnly, bytesArg(&e.Record))
	_, err := t.write("audit event", `INSERT INTO audit_events (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, at, id) DO UPDATE SET failed = excluded.failed, read_only = excluded.read_only, record = excluded.record`,
		args...)
	t.doneArgs(args)
	return err
}

// PutAuditResponse stores the response only while its event is there: one stored after
// a reset or the purge removed the event would stay behind, never purged (both walk
// the events), and attach to an event put again with the same key. Without its event
// the response is NULL, which OR IGNORE skips (the NOT NULL check comes before the key's
// upsert): one row's VALUES, not an INSERT ... SELECT, which SQLite runs with a
// statement journal.
func (t *tx) PutAuditResponse(e *rollcall.AuditEvent) error {
	args := append(t.args(), t.box(e.TenantID), millis(e.Time), stringArg(&e.ID), bytesArg(&e.Response))
	_, err := t.write("audit event", `INSERT OR IGNORE INTO audit_responses (tenant_id, at, id, response)
		VALUES (?1, ?2, ?3, (SELECT ?4 FROM audit_events WHERE tenant_id = ?1 AND at = ?2 AND id = ?3))
		ON CONFLICT (tenant_id, at, id) DO UPDATE SET response = excluded.response`,
		args...)
	t.doneArgs(args)
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

// AuditEvents walks the tenant's (tenant_id, at, id) key range backwards from the
// cursor, testing the name, principal and failed filters on each event, at most f.Scan
// events (no other index is kept up for them). When a bounded walk ends before the
// page is full, a second walk of the key alone finds where it stopped, the Mark.
// Each event's response is one lookup by the same key.
func (t *tx) AuditEvents(f rollcall.AuditFilter) ([]*rollcall.AuditEvent, error) {
	q, args := auditQuery(f)
	es, err := list(t, "audit event", scanAuditEvent, q, args...)
	if err != nil || !f.NeedsMark(len(es)) {
		return es, err
	}
	q, args = auditStopQuery(f)
	var at int64
	var id string
	err = t.get("audit event", func(s rowScanner) error { return s.Scan(&at, &id) }, q, args...)
	if rollcall.ErrorKind(err) == rollcall.NotFound {
		return es, nil // the walk reached the end of the range
	}
	if err != nil {
		return nil, err
	}
	return append(es, f.MarkAt(fromMillis(at), id)), nil
}

// auditRange is the WHERE clause of the key range f walks: tenant, time and cursor.
func auditRange(f rollcall.AuditFilter) (string, []any) {
	q, args := "tenant_id = ?", []any{f.TenantID}
	if !f.Since.IsZero() {
		q += " AND at >= ?"
		args = append(args, millis(f.Since))
	}
	if !f.Until.IsZero() {
		q += " AND at < ?"
		args = append(args, millis(f.Until))
	}
	if f.AfterID != "" {
		q += " AND (at, id) < (?, ?)"
		args = append(args, millis(f.AfterTime), f.AfterID)
	}
	return q, args
}

// auditQuery is the statement AuditEvents runs for f: the bounded walk of the key, then
// the filters on each event it walked.
func auditQuery(f rollcall.AuditFilter) (string, []any) {
	rng, args := auditRange(f)
	var q strings.Builder
	q.WriteString(`WITH walk AS (SELECT ` + auditColumns + ` FROM audit_events NOT INDEXED WHERE ` + rng +
		` ORDER BY at DESC, id DESC LIMIT ?)
		SELECT e.tenant_id, e.at, e.id, e.name, e.principal, e.failed, e.read_only, e.record, r.response
		FROM walk AS e LEFT JOIN audit_responses AS r ON r.tenant_id = e.tenant_id AND r.at = e.at AND r.id = e.id WHERE 1`)
	args = append(args, noLimit(f.Walk()))
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
	q.WriteString(" ORDER BY e.at DESC, e.id DESC LIMIT ?")
	args = append(args, noLimit(f.Limit))
	return q.String(), args
}

// auditStopQuery finds the last event a bounded walk examined.
func auditStopQuery(f rollcall.AuditFilter) (string, []any) {
	rng, args := auditRange(f)
	return `SELECT at, id FROM audit_events NOT INDEXED WHERE ` + rng + ` ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?`,
		append(args, f.Scan-1)
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
