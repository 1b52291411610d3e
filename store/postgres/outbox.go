package postgres

import (
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
)

// Idempotency records, outbox messages and invitations.

const idempotencyCols = `scope, token, request_hash, result_id, created_at`

func scanIdempotency(r pgx.Row) (*rollcall.IdempotencyRecord, error) {
	var v rollcall.IdempotencyRecord
	if err := r.Scan(&v.Scope, &v.Token, &v.RequestHash, &v.ResultID, &v.CreatedAt); err != nil {
		return nil, err
	}
	v.CreatedAt = v.CreatedAt.UTC()
	return &v, nil
}

// InsertIdempotency is speculative (tx.go), as the user insert it follows is: an Alexa
// for Business create with a token (every SDK create) is then one round trip, and a
// used token, refused at the flush, runs the group again without speculation, which
// answers Conflict (the create then reads the record, for the replay). A group's
// records go out as one statement (insertIdempotencies), as its users do: one
// statement a record was as many statements as the group had creates (a backend's
// executor started, the table and its two indexes opened, for each).
func (t *tx) InsertIdempotency(v *rollcall.IdempotencyRecord) error {
	return t.insertSpecRows("idempotency record", insertIdempotencies, sqlInsertIdempotency,
		v.Scope, v.Token, v.RequestHash, v.ResultID, ts(v.CreatedAt))
}

const sqlInsertIdempotency = `INSERT INTO idempotency (` + idempotencyCols + `) VALUES ($1, $2, $3, $4, $5)`

// insertIdempotencies is sqlInsertIdempotency's form for many rows (tx.go, coalesce).
// Without ON CONFLICT, two records of one token in it fail it as two statements would.
var insertIdempotencies = &multiRow{cols: 5, sql: `INSERT INTO idempotency (` + idempotencyCols + `) ` +
	unnestRows("text", "text", "text", "text", "timestamptz")}

func (t *tx) Idempotency(scope, token string) (*rollcall.IdempotencyRecord, error) {
	return get(t, "idempotency record", scanIdempotency,
		`SELECT `+idempotencyCols+` FROM idempotency WHERE scope = $1 AND token = $2`, scope, token)
}

func (t *tx) DeleteIdempotency(scope, token string, createdBefore time.Time) error {
	_, err := t.exec("idempotency record", `DELETE FROM idempotency WHERE scope = $1 AND token = $2 AND created_at < $3`,
		scope, token, ts(createdBefore))
	return err
}

// PurgeIdempotency deletes the oldest records through idempotency_created_at, limit
// at a time, so a purge of many holds its row locks and the WAL briefly each time. The
// rows are deleted by ctid (a TID scan, records are never updated): by (scope, token)
// the planner hash-joined a sequential scan of the whole table (1.1 ms a batch of 1000
// of 1M rows against 13 ms by a CTE joined on the key, and a full scan each for IN).
func (t *tx) PurgeIdempotency(before time.Time, limit int) (int, error) {
	n, err := t.exec("idempotency record", `DELETE FROM idempotency WHERE ctid = ANY(ARRAY(
		SELECT ctid FROM idempotency WHERE created_at < $1 ORDER BY created_at LIMIT $2))`, ts(before), max(limit, 1))
	return int(n), err
}

const messageCols = `id, tenant_id, directory_id, user_id, kind, to_addr, to_name, subject, text_body, html_body,
	status, attempts, last_error, next_attempt, created_at, sent_at, traceparent, tracestate`

func scanMessage(r pgx.Row) (*rollcall.Message, error) {
	var m rollcall.Message
	var sent *time.Time
	if err := r.Scan(&m.ID, &m.TenantID, &m.DirectoryID, &m.UserID, &m.Kind, &m.To, &m.ToName, &m.Subject, &m.TextBody,
		&m.HTMLBody, &m.Status, &m.Attempts, &m.LastError, &m.NextAttempt, &m.CreatedAt, &sent, &m.TraceParent,
		&m.TraceState); err != nil {
		return nil, err
	}
	m.NextAttempt, m.CreatedAt, m.SentAt = m.NextAttempt.UTC(), m.CreatedAt.UTC(), fromNullPtr(sent)
	return &m, nil
}

// InsertMessage and InsertInvitation are speculative in an Update (see tx).
func (t *tx) InsertMessage(m *rollcall.Message) error {
	return t.insertSpec("message", `INSERT INTO messages (`+messageCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		m.ID, m.TenantID, m.DirectoryID, m.UserID, m.Kind, m.To, m.ToName, m.Subject, m.TextBody, m.HTMLBody,
		m.Status, m.Attempts, m.LastError, ts(m.NextAttempt), ts(m.CreatedAt), tsPtr(m.SentAt), m.TraceParent, m.TraceState)
}

func (t *tx) UpdateMessage(m *rollcall.Message) error {
	return t.execOne("message", `UPDATE messages SET tenant_id = $2, directory_id = $3, user_id = $4, kind = $5,
			to_addr = $6, to_name = $7, subject = $8, text_body = $9, html_body = $10, status = $11, attempts = $12,
			last_error = $13, next_attempt = $14, created_at = $15, sent_at = $16, traceparent = $17, tracestate = $18
		WHERE id = $1`,
		m.ID, m.TenantID, m.DirectoryID, m.UserID, m.Kind, m.To, m.ToName, m.Subject, m.TextBody, m.HTMLBody,
		m.Status, m.Attempts, m.LastError, ts(m.NextAttempt), ts(m.CreatedAt), tsPtr(m.SentAt), m.TraceParent, m.TraceState)
}

func (t *tx) Message(id string) (*rollcall.Message, error) {
	return get(t, "message", scanMessage, `SELECT `+messageCols+` FROM messages WHERE id = $1`, id)
}

// Messages lists newest first, ties broken by ID, descending: a backward scan of
// messages_tenant or messages_created, or of messages_due for the outbox's work queue.
func (t *tx) Messages(f rollcall.MessageFilter) ([]*rollcall.Message, error) {
	w := messageWhere(f)
	q := `SELECT ` + messageCols + ` FROM messages` + w.sql("created_at DESC, id DESC", f.Limit)
	return list(t, "messages", scanMessage, q, w.args...)
}

// messageWhere is the condition of a MessageFilter, shared by Messages and CountMessages
// so that both read the same index.
func messageWhere(f rollcall.MessageFilter) where {
	var w where
	if f.TenantID != "" {
		w.add("tenant_id = ?", f.TenantID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if !f.DueAt.IsZero() {
		w.add("next_attempt <= ?", ts(f.DueAt))
	}
	return w
}

// CountMessages counts on the index Messages would read.
func (t *tx) CountMessages(f rollcall.MessageFilter) (int, error) {
	w := messageWhere(f)
	q := `SELECT count(*) FROM messages`
	if len(w.conds) > 0 {
		q += ` WHERE ` + strings.Join(w.conds, " AND ")
	}
	n, err := get(t, "message count", func(r pgx.Row) (*int, error) {
		var n int
		return &n, r.Scan(&n)
	}, q, w.args...)
	if err != nil {
		return 0, err
	}
	return *n, nil
}

// OldestQueuedMessage reads the queued messages on messages_due (status, next_attempt).
func (t *tx) OldestQueuedMessage() (time.Time, error) {
	oldest, err := get(t, "oldest queued message", func(r pgx.Row) (*time.Time, error) {
		var at *time.Time
		if err := r.Scan(&at); err != nil || at == nil {
			return &time.Time{}, err // NULL: none queued
		}
		return at, nil
	}, `SELECT min(created_at) FROM messages WHERE status = $1`, rollcall.MessageQueued)
	if err != nil || oldest.IsZero() {
		return time.Time{}, err
	}
	return oldest.UTC(), nil
}

const invitationCols = `id, token_hash, tenant_id, directory_id, user_id, expires_at, used_at, created_at`

func scanInvitation(r pgx.Row) (*rollcall.Invitation, error) {
	var v rollcall.Invitation
	var used *time.Time
	if err := r.Scan(&v.ID, &v.TokenHash, &v.TenantID, &v.DirectoryID, &v.UserID, &v.ExpiresAt, &used, &v.CreatedAt); err != nil {
		return nil, err
	}
	v.ExpiresAt, v.UsedAt, v.CreatedAt = v.ExpiresAt.UTC(), fromNullPtr(used), v.CreatedAt.UTC()
	return &v, nil
}

func (t *tx) InsertInvitation(v *rollcall.Invitation) error {
	return t.insertSpec("invitation", `INSERT INTO invitations (`+invitationCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		v.ID, v.TokenHash, v.TenantID, v.DirectoryID, v.UserID, ts(v.ExpiresAt), tsPtr(v.UsedAt), ts(v.CreatedAt))
}

func (t *tx) InvitationByTokenHash(hash string) (*rollcall.Invitation, error) {
	return get(t, "invitation", scanInvitation, `SELECT `+invitationCols+` FROM invitations WHERE token_hash = $1`, hash)
}

// UserInvitations reads the invitations_user index.
func (t *tx) UserInvitations(directoryID, userID string) ([]*rollcall.Invitation, error) {
	return list(t, "invitation", scanInvitation,
		`SELECT `+invitationCols+` FROM invitations WHERE directory_id = $1 AND user_id = $2 ORDER BY id`, directoryID, userID)
}

// UpdateInvitation may move the invitation to a taken token hash, so it runs in a
// savepoint.
func (t *tx) UpdateInvitation(v *rollcall.Invitation) error {
	return t.execGuarded("invitation", true, `UPDATE invitations SET token_hash = $2, tenant_id = $3, directory_id = $4,
			user_id = $5, expires_at = $6, used_at = $7, created_at = $8
		WHERE id = $1`,
		v.ID, v.TokenHash, v.TenantID, v.DirectoryID, v.UserID, ts(v.ExpiresAt), tsPtr(v.UsedAt), ts(v.CreatedAt))
}
