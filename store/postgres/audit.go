package postgres

import (
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
)

const auditCols = `e.tenant_id, e.at, e.id, e.name, e.principal, e.failed, e.read_only, e.record`

// PutAuditEvent and PutAuditResponse are deferred (see tx): upserts on their key, so
// nothing but a failed transaction fails them. The events (and the responses) waiting
// ahead go out as one statement (tx.go, coalesce): a group of creates writes its
// events in one INSERT, the trail's writer a batch of responses in a few.
func (t *tx) PutAuditEvent(e *rollcall.AuditEvent) error {
	return t.deferRows("audit event", putAuditEvents, false, `INSERT INTO audit_events (`+auditEventCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`+onAuditEvent,
		e.TenantID, ts(e.Time), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record)
}

func (t *tx) PutAuditResponse(e *rollcall.AuditEvent) error {
	return t.deferRows("audit event", putAuditResponses, false, `INSERT INTO audit_responses (`+auditResponseCols+`)
		VALUES ($1, $2, $3, $4)`+onAuditResponse,
		e.TenantID, ts(e.Time), e.ID, e.Response)
}

const (
	auditEventCols    = `tenant_id, at, id, name, principal, failed, read_only, record`
	onAuditEvent      = ` ON CONFLICT (tenant_id, at, id) DO UPDATE SET failed = EXCLUDED.failed, read_only = EXCLUDED.read_only, record = EXCLUDED.record`
	auditResponseCols = `tenant_id, at, id, response`
	onAuditResponse   = ` ON CONFLICT (tenant_id, at, id) DO UPDATE SET response = EXCLUDED.response`
)

// The one-row upserts' forms for many rows, keyed by (tenant_id, at, id).
var (
	putAuditEvents = &multiRow{cols: 8, key: 3, sql: `INSERT INTO audit_events (` + auditEventCols + `)
		SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::boolean[],
			$7::boolean[], $8::bytea[])` + onAuditEvent}
	putAuditResponses = &multiRow{cols: 4, key: 3, sql: `INSERT INTO audit_responses (` + auditResponseCols + `)
		SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::bytea[])` + onAuditResponse}
)

func scanAuditEvent(r pgx.Row) (*rollcall.AuditEvent, error) {
	var e rollcall.AuditEvent
	if err := r.Scan(&e.TenantID, &e.Time, &e.ID, &e.Name, &e.Principal, &e.Failed, &e.ReadOnly, &e.Record, &e.Response); err != nil {
		return nil, err
	}
	e.Time = e.Time.UTC()
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
	args = []any{f.TenantID}
	rng := auditRange(f, &args)
	args = append(args, f.Scan-1)
	mark, err := get(t, "audit event", func(r pgx.Row) (*rollcall.AuditEvent, error) {
		var at time.Time
		var id string
		err := r.Scan(&at, &id)
		return f.MarkAt(at.UTC(), id), err
	}, `SELECT at, id FROM audit_events WHERE `+rng+` ORDER BY at DESC, id DESC LIMIT 1 OFFSET $`+strconv.Itoa(len(args)), args...)
	if rollcall.ErrorKind(err) == rollcall.NotFound {
		return es, nil // the walk reached the end of the range
	}
	if err != nil {
		return nil, err
	}
	return append(es, mark), nil
}

// auditRange is the WHERE clause of the key range f walks (tenant $1, time, cursor),
// its arguments appended to args.
func auditRange(f rollcall.AuditFilter, args *[]any) string {
	arg := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	q := "tenant_id = $1"
	if !f.Since.IsZero() {
		q += " AND at >= " + arg(ts(f.Since))
	}
	if !f.Until.IsZero() {
		q += " AND at < " + arg(ts(f.Until))
	}
	if f.AfterID != "" {
		q += " AND (at, id) < (" + arg(ts(f.AfterTime)) + ", " + arg(f.AfterID) + ")"
	}
	return q
}

// auditQuery is the statement AuditEvents runs for f: the bounded walk of the key, then
// the filters on each event it walked.
func auditQuery(f rollcall.AuditFilter) (string, []any) {
	args := []any{f.TenantID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var q strings.Builder
	q.WriteString(`WITH walk AS (SELECT * FROM audit_events WHERE ` + auditRange(f, &args) + ` ORDER BY at DESC, id DESC`)
	if walk := f.Walk(); walk > 0 {
		q.WriteString(" LIMIT " + arg(walk))
	}
	q.WriteString(`) SELECT ` + auditCols + `, r.response FROM walk e
		LEFT JOIN audit_responses r ON r.tenant_id = e.tenant_id AND r.at = e.at AND r.id = e.id WHERE true`)
	if f.Name != "" {
		q.WriteString(" AND e.name = " + arg(f.Name))
	}
	if f.Principal != "" {
		q.WriteString(" AND e.principal = " + arg(f.Principal))
	}
	if f.FailedOnly {
		q.WriteString(" AND e.failed")
	}
	q.WriteString(" ORDER BY e.at DESC, e.id DESC")
	if f.Limit > 0 {
		q.WriteString(" LIMIT " + arg(f.Limit))
	}
	return q.String(), args
}

// PurgeAuditEvents walks the tenants that have events (a loose scan of the key: one
// seek per tenant) and deletes each one's oldest before the cutoff, and their
// responses, until limit: no index on time alone is kept up for it.
func (t *tx) PurgeAuditEvents(before time.Time, limit int) (int, error) {
	n, err := t.exec("audit event", `WITH RECURSIVE tenants AS (
			(SELECT tenant_id FROM audit_events ORDER BY tenant_id LIMIT 1)
			UNION ALL
			SELECT (SELECT e.tenant_id FROM audit_events e WHERE e.tenant_id > t.tenant_id ORDER BY e.tenant_id LIMIT 1)
			FROM tenants t WHERE t.tenant_id IS NOT NULL
		), victims AS MATERIALIZED (
			SELECT v.tenant_id, v.at, v.id FROM tenants t CROSS JOIN LATERAL (
				SELECT e.tenant_id, e.at, e.id FROM audit_events e WHERE e.tenant_id = t.tenant_id AND e.at < $1
				ORDER BY e.at, e.id LIMIT $2) v
			LIMIT $2
		), responses AS (
			DELETE FROM audit_responses r USING victims v WHERE r.tenant_id = v.tenant_id AND r.at = v.at AND r.id = v.id
		)
		DELETE FROM audit_events e USING victims v WHERE e.tenant_id = v.tenant_id AND e.at = v.at AND e.id = v.id`,
		ts(before), max(limit, 1))
	return int(n), err
}
