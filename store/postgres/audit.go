package postgres

import (
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
)

const auditCols = `e.tenant_id, e.at, e.id, e.name, e.principal, e.failed, e.read_only, e.record`

// PutAuditEvent and PutAuditResponse are deferred (see tx), and nothing but a failed
// transaction fails them. The events (and the responses) waiting ahead go out as one
// statement (tx.go, coalesce): a group of creates writes its events in one INSERT, the
// trail's writer a batch of responses in a few.
//
// Each is speculative too, when the transaction's inserts are (tx.spec): a plain
// INSERT, since the row nearly always is new (a call's event is put once, by its
// write's transaction, its response once, by the trail). An upsert (ON CONFLICT DO
// UPDATE) costs the server a speculative insertion of each row: a lock, the key looked
// up twice and a second WAL record to confirm the row. When the key is taken after all
// (a call that writes twice, an event completed by the trail), the INSERT fails, and
// the transaction runs again with nothing speculative: then the upsert puts the row,
// as it would have at once. The answer, nil, is the same either way (queued.sure).
func (t *tx) PutAuditEvent(e *rollcall.AuditEvent) error {
	rows, query := putAuditEvents, sqlPutAuditEvent
	if t.spec {
		rows, query = insertAuditEvents, sqlInsertAuditEvent
	}
	return t.deferSure("audit event", rows, query,
		e.TenantID, ts(e.Time), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record)
}

// PutAuditResponse stores the response only while its event is there (the INSERT
// reads the event: no row, no response): one stored after a reset, the purge or a
// tenant's deletion removed the event would stay behind, never purged, and attach to
// an event put again with the same key. (Under SERIALIZABLE a response whose event a
// concurrent transaction deletes is a read-write conflict: one of the two is retried,
// and the retried one sees the other.) Migration 0260 made a trigger check it, row by
// row; 0420 dropped the trigger for this.
func (t *tx) PutAuditResponse(e *rollcall.AuditEvent) error {
	rows, query := putAuditResponses, sqlPutAuditResponse
	if t.spec {
		rows, query = insertAuditResponses, sqlInsertAuditResponse
	}
	return t.deferSure("audit event", rows, query, e.TenantID, ts(e.Time), e.ID, e.Response)
}

// deferSure defers a one-row INSERT as deferRows does, speculative when t.spec, its
// answer sure (queued.sure).
func (t *tx) deferSure(what string, rows *multiRow, query string, args ...any) error {
	if err := t.deferRows(what, rows, t.spec, query, args...); err != nil {
		return err
	}
	t.ahead[len(t.ahead)-1].sure = true
	return nil
}

const (
	auditEventCols      = `tenant_id, at, id, name, principal, failed, read_only, record`
	onAuditEvent        = ` ON CONFLICT (tenant_id, at, id) DO UPDATE SET failed = EXCLUDED.failed, read_only = EXCLUDED.read_only, record = EXCLUDED.record`
	sqlInsertAuditEvent = `INSERT INTO audit_events (` + auditEventCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	sqlPutAuditEvent    = sqlInsertAuditEvent + onAuditEvent
	auditResponseCols   = `tenant_id, at, id, response`
	onAuditResponse     = ` ON CONFLICT (tenant_id, at, id) DO UPDATE SET response = EXCLUDED.response`
	// The response's row, v, joined to its event: without the event, no row.
	withAuditEvent         = ` JOIN audit_events e ON e.tenant_id = v.tenant_id AND e.at = v.at AND e.id = v.id`
	sqlInsertAuditResponse = `INSERT INTO audit_responses (` + auditResponseCols + `)
		SELECT v.* FROM (VALUES ($1::text, $2::timestamptz, $3::text, $4::bytea)) v (` + auditResponseCols + `)` + withAuditEvent
	sqlPutAuditResponse = sqlInsertAuditResponse + onAuditResponse
)

// The one-row INSERTs' forms for many rows. An upsert's are keyed by (tenant_id, at,
// id); a plain INSERT's need not be (a key twice fails it, as a taken one does).
var (
	insertAuditEvents = &multiRow{cols: 8, sql: `INSERT INTO audit_events (` + auditEventCols + `) ` +
		unnestRows("text", "timestamptz", "text", "text", "text", "boolean", "boolean", "bytea")}
	putAuditEvents       = &multiRow{cols: 8, key: 3, sql: insertAuditEvents.sql + onAuditEvent}
	insertAuditResponses = &multiRow{cols: 4, sql: `INSERT INTO audit_responses (` + auditResponseCols + `)
		SELECT v.* FROM (` + unnestRows("text", "timestamptz", "text", "bytea") + `) v (` + auditResponseCols + `)` + withAuditEvent}
	putAuditResponses = &multiRow{cols: 4, key: 3, sql: insertAuditResponses.sql + onAuditResponse}
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
