package sqlite

import (
	"context"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
)

const auditColumns = `tenant_id, at, id, name, principal, failed, read_only, record`

// PutAuditEvent and PutAuditResponse are deferred: an Update's audit rows wait in the
// writer's auditRows, and a batch's go in with a few multi-row INSERTs just before its
// COMMIT (commitOnce), or before a statement of the batch that reads or deletes audit
// rows (storeAudit). An Update that fails has its own taken back (runOne), so a write
// that rolls back leaves no event, as a savepoint or the batch's rollback undoes its
// other writes. Both are upserts on the key, which nothing but a failed transaction
// fails.
func (t *tx) PutAuditEvent(e *rollcall.AuditEvent) error { return t.putAudit(e, false) }

func (t *tx) PutAuditResponse(e *rollcall.AuditEvent) error { return t.putAudit(e, true) }

func (t *tx) putAudit(e *rollcall.AuditEvent, response bool) error {
	switch {
	case t.w == nil:
		return errReadOnly("audit event")
	case t.done:
		return errFinished("audit event")
	}
	rows := &t.w.audit.events
	if response {
		rows = &t.w.audit.responses
	}
	*rows = append(*rows, *e) // a copy: fn may reuse e (but not change its byte slices)
	return nil
}

// auditRows are the audit events and responses the running batch's Updates have put
// and not stored yet, in the order put.
type auditRows struct {
	events, responses []rollcall.AuditEvent
}

// auditMark is a position in auditRows: where an Update's own rows begin.
type auditMark struct{ events, responses int }

func (a *auditRows) mark() auditMark { return auditMark{len(a.events), len(a.responses)} }

// undo takes back the rows put after m.
func (a *auditRows) undo(m auditMark) {
	clear(a.events[m.events:])
	clear(a.responses[m.responses:])
	a.events, a.responses = a.events[:m.events], a.responses[:m.responses]
}

// auditInsert is the multi-row upsert of one audit table, for 1, 2, 4, ... auditChunk rows.
type auditInsert struct {
	sql  [auditChunkLog + 1]string
	args func(args []any, e *rollcall.AuditEvent) []any
}

// auditChunk is the most rows one INSERT carries (8 arguments each, for an event); a
// batch's rows go in chunks of powers of two, so that a connection prepares a handful
// of statements for them, not one per count.
const (
	auditChunkLog = 6
	auditChunk    = 1 << auditChunkLog
)

func newAuditInsert(head, row, tail string, args func([]any, *rollcall.AuditEvent) []any) *auditInsert {
	in := &auditInsert{args: args}
	for i := range in.sql {
		in.sql[i] = head + row + strings.Repeat(", "+row, 1<<i-1) + tail
	}
	return in
}

var (
	auditEventInsert = newAuditInsert(`INSERT INTO audit_events (`+auditColumns+`) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?)`,
		` ON CONFLICT (tenant_id, at, id) DO UPDATE SET failed = excluded.failed, read_only = excluded.read_only, record = excluded.record`,
		func(args []any, e *rollcall.AuditEvent) []any {
			return append(args, e.TenantID, millis(e.Time), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record)
		})
	// A response whose event is not there (any more) is not stored: the trigger
	// audit_responses_need_event of migration 0260 leaves it out.
	auditResponseInsert = newAuditInsert(`INSERT INTO audit_responses (tenant_id, at, id, response) VALUES `, `(?, ?, ?, ?)`,
		` ON CONFLICT (tenant_id, at, id) DO UPDATE SET response = excluded.response`,
		func(args []any, e *rollcall.AuditEvent) []any {
			return append(args, e.TenantID, millis(e.Time), e.ID, e.Response)
		})
)

// store inserts rows with exec, in chunks, with args as the slice to build each
// chunk's arguments in (returned, to be reused).
func (in *auditInsert) store(rows []rollcall.AuditEvent, args []any, exec func(query string, args ...any) error) ([]any, error) {
	for len(rows) > 0 {
		k := auditChunkLog
		for 1<<k > len(rows) {
			k--
		}
		args = args[:0]
		for i := range 1 << k {
			args = in.args(args, &rows[i])
		}
		err := exec(in.sql[k], args...)
		clear(args)
		if err != nil {
			return args, err
		}
		rows = rows[1<<k:]
	}
	return args, nil
}

// storeAudit stores the rows, events first (a response needs its event), with exec,
// building each statement's arguments in w.args.
func (w *writer) storeAudit(events, responses []rollcall.AuditEvent, exec func(query string, args ...any) error) (err error) {
	w.args, err = auditEventInsert.store(events, w.args, exec)
	if err == nil {
		w.args, err = auditResponseInsert.store(responses, w.args, exec)
	}
	return err
}

// commitAudit stores the batch's audit rows, just before its COMMIT.
func (w *writer) commitAudit(ctx context.Context) error {
	err := w.storeAudit(w.audit.events, w.audit.responses, func(query string, args ...any) error {
		_, err := w.c.exec(ctx, query, args...)
		return err
	})
	w.audit.undo(auditMark{})
	if err != nil {
		return translate("audit event", err)
	}
	return nil
}

// storeAudit stores the audit rows the batch has put so far, before a statement of t
// that reads or deletes audit rows, so that it finds them as if they had not waited:
// those of the Updates before t's, which have succeeded, as rows of no Update; then
// t's own as writes of t (in its savepoint, or undone with the batch). If that fails,
// t fails, and the earlier Updates' rows wait for the COMMIT still (an upsert again).
func (t *tx) storeAudit() error {
	w := t.w
	if w == nil {
		return nil
	}
	from := t.auditFrom
	err := w.storeAudit(w.audit.events[:from.events], w.audit.responses[:from.responses], func(query string, args ...any) error {
		_, err := w.c.exec(t.ctx, query, args...)
		if err != nil {
			return t.fail("audit event", err)
		}
		return nil
	})
	if err == nil {
		err = w.storeAudit(w.audit.events[from.events:], w.audit.responses[from.responses:], func(query string, args ...any) error {
			_, err := t.write("audit event", query, args...)
			return err
		})
	}
	if err != nil {
		return err
	}
	w.audit.undo(auditMark{})
	t.auditFrom = auditMark{}
	return nil
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
	if err := t.storeAudit(); err != nil {
		return nil, err
	}
	q, args := auditQuery(f)
	es, err := list(t, "audit event", scanAuditEvent, q, args...)
	if err != nil || f.Scan <= 0 || !f.RowFiltered() || (f.Limit > 0 && len(es) >= f.Limit) {
		return es, err
	}
	q, args = auditStopQuery(f)
	var mark rollcall.AuditEvent
	var at int64
	err = t.get("audit event", func(s rowScanner) error { return s.Scan(&at, &mark.ID) }, q, args...)
	if rollcall.ErrorKind(err) == rollcall.NotFound {
		return es, nil // the walk reached the end of the range
	}
	if err != nil {
		return nil, err
	}
	mark.TenantID, mark.Time, mark.Mark = f.TenantID, fromMillis(at), true
	return append(es, &mark), nil
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
	q.WriteString(`WITH walk AS (SELECT ` + auditColumns + ` FROM audit_events INDEXED BY audit_events_key WHERE ` + rng +
		` ORDER BY at DESC, id DESC LIMIT ?)
		SELECT e.tenant_id, e.at, e.id, e.name, e.principal, e.failed, e.read_only, e.record, r.response
		FROM walk AS e LEFT JOIN audit_responses AS r ON r.tenant_id = e.tenant_id AND r.at = e.at AND r.id = e.id WHERE 1`)
	walk := f.Scan
	if !f.RowFiltered() {
		walk = f.Limit // the walk is the page
	}
	args = append(args, noLimit(walk))
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
	return `SELECT at, id FROM audit_events INDEXED BY audit_events_key WHERE ` + rng + ` ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?`,
		append(args, f.Scan-1)
}

// PurgeAuditEvents walks the tenants that have events (a seek on the key per tenant)
// and deletes each one's oldest before the cutoff, and their responses, until limit.
func (t *tx) PurgeAuditEvents(before time.Time, limit int) (int, error) {
	if err := t.storeAudit(); err != nil {
		return 0, err
	}
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
