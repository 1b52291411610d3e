package sqlite

import (
	"database/sql"
	"time"

	"github.com/rollcall/rollcall"
)

// Outbox messages and invitations (idempotency records: idempotency.go).

const messageColumns = `id, tenant_id, directory_id, user_id, kind, to_addr, to_name, subject, text_body, html_body,
	status, attempts, last_error, next_attempt, created_at, sent_at, traceparent, tracestate`

func (t *tx) InsertMessage(m *rollcall.Message) error {
	_, err := t.write("message", `INSERT INTO messages (`+messageColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, m.TenantID, m.DirectoryID, m.UserID, m.Kind, m.To, m.ToName, m.Subject, m.TextBody, m.HTMLBody,
		m.Status, m.Attempts, m.LastError, millis(m.NextAttempt), millis(m.CreatedAt), millisPtr(m.SentAt),
		m.TraceParent, m.TraceState)
	return err
}

// UpdateMessage returns NotFound when there is no message m.ID.
func (t *tx) UpdateMessage(m *rollcall.Message) error {
	return t.writeOne("message", `UPDATE messages SET tenant_id = ?, directory_id = ?, user_id = ?, kind = ?, to_addr = ?,
		to_name = ?, subject = ?, text_body = ?, html_body = ?, status = ?, attempts = ?, last_error = ?,
		next_attempt = ?, created_at = ?, sent_at = ?, traceparent = ?, tracestate = ?
		WHERE id = ?`,
		m.TenantID, m.DirectoryID, m.UserID, m.Kind, m.To, m.ToName, m.Subject, m.TextBody, m.HTMLBody,
		m.Status, m.Attempts, m.LastError, millis(m.NextAttempt), millis(m.CreatedAt), millisPtr(m.SentAt),
		m.TraceParent, m.TraceState, m.ID)
}

func scanMessage(s rowScanner) (*rollcall.Message, error) {
	var m rollcall.Message
	var next, created int64
	var sent sql.NullInt64
	if err := s.Scan(&m.ID, &m.TenantID, &m.DirectoryID, &m.UserID, &m.Kind, &m.To, &m.ToName, &m.Subject, &m.TextBody, &m.HTMLBody,
		&m.Status, &m.Attempts, &m.LastError, &next, &created, &sent, &m.TraceParent, &m.TraceState); err != nil {
		return nil, err
	}
	m.NextAttempt, m.CreatedAt, m.SentAt = fromMillis(next), fromMillis(created), fromNullMillisPtr(sent)
	return &m, nil
}

// Message returns NotFound when there is no message id.
func (t *tx) Message(id string) (*rollcall.Message, error) {
	return one(t, "message", scanMessage,
		`SELECT `+messageColumns+` FROM messages WHERE id = ?`, id)
}

// messagesQueries holds one query per combination of filters (bit 0: TenantID, bit 1:
// Status, bit 2: DueAt).
var messagesQueries [8]string

func init() {
	for m := range messagesQueries {
		q := `SELECT ` + messageColumns + ` FROM messages WHERE 1`
		if m&1 != 0 {
			q += ` AND tenant_id = ?`
		}
		if m&2 != 0 {
			q += ` AND status = ?`
		}
		if m&4 != 0 {
			q += ` AND next_attempt <= ?`
		}
		messagesQueries[m] = q + ` ORDER BY created_at DESC, id DESC LIMIT ?`
	}
}

// CountMessages counts on the index Messages would read.
func (t *tx) CountMessages(f rollcall.MessageFilter) (n int, err error) {
	q, args := `SELECT count(*) FROM messages WHERE 1`, make([]any, 0, 3)
	if f.TenantID != "" {
		q, args = q+` AND tenant_id = ?`, append(args, f.TenantID)
	}
	if f.Status != "" {
		q, args = q+` AND status = ?`, append(args, f.Status)
	}
	if !f.DueAt.IsZero() {
		q, args = q+` AND next_attempt <= ?`, append(args, millis(f.DueAt))
	}
	err = t.get("message count", func(s rowScanner) error { return s.Scan(&n) }, q, args...)
	return n, err
}

const oldestQueuedQuery = `SELECT min(created_at) FROM messages WHERE status = ?`

// OldestQueuedMessage reads the queued messages on messages_due (status, next_attempt).
func (t *tx) OldestQueuedMessage() (time.Time, error) {
	var oldest sql.NullInt64
	err := t.get("oldest queued message", func(s rowScanner) error { return s.Scan(&oldest) },
		oldestQueuedQuery, rollcall.MessageQueued)
	if err != nil || !oldest.Valid {
		return time.Time{}, err
	}
	return fromMillis(oldest.Int64), nil
}

// Messages lists newest first (by CreatedAt, then ID, both descending).
func (t *tx) Messages(f rollcall.MessageFilter) ([]*rollcall.Message, error) {
	m := 0
	args := make([]any, 0, 4)
	if f.TenantID != "" {
		m |= 1
		args = append(args, f.TenantID)
	}
	if f.Status != "" {
		m |= 2
		args = append(args, f.Status)
	}
	if !f.DueAt.IsZero() {
		m |= 4
		args = append(args, millis(f.DueAt))
	}
	args = append(args, noLimit(f.Limit))
	return list(t, "message", scanMessage, messagesQueries[m], args...)
}

const invitationColumns = `id, token_hash, tenant_id, directory_id, user_id, expires_at, used_at, created_at`

func (t *tx) InsertInvitation(inv *rollcall.Invitation) error {
	_, err := t.write("invitation", `INSERT INTO invitations (`+invitationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		inv.ID, inv.TokenHash, inv.TenantID, inv.DirectoryID, inv.UserID, millis(inv.ExpiresAt), millisPtr(inv.UsedAt), millis(inv.CreatedAt))
	return err
}

func scanInvitation(s rowScanner) (*rollcall.Invitation, error) {
	var inv rollcall.Invitation
	var expires, created int64
	var used sql.NullInt64
	if err := s.Scan(&inv.ID, &inv.TokenHash, &inv.TenantID, &inv.DirectoryID, &inv.UserID, &expires, &used, &created); err != nil {
		return nil, err
	}
	inv.ExpiresAt, inv.UsedAt, inv.CreatedAt = fromMillis(expires), fromNullMillisPtr(used), fromMillis(created)
	return &inv, nil
}

func (t *tx) InvitationByTokenHash(hash string) (*rollcall.Invitation, error) {
	return one(t, "invitation", scanInvitation, invitationByHashQuery, hash)
}

const invitationByHashQuery = `SELECT ` + invitationColumns + ` FROM invitations WHERE token_hash = ?`

// UserInvitations reads the invitations_user index.
func (t *tx) UserInvitations(directoryID, userID string) ([]*rollcall.Invitation, error) {
	return list(t, "invitation", scanInvitation, userInvitationsQuery, directoryID, userID)
}

const userInvitationsQuery = `SELECT ` + invitationColumns + ` FROM invitations WHERE directory_id = ? AND user_id = ? ORDER BY id`

// UpdateInvitation returns NotFound when there is no invitation inv.ID, Conflict when
// another invitation has inv.TokenHash.
func (t *tx) UpdateInvitation(inv *rollcall.Invitation) error {
	return t.writeOne("invitation", `UPDATE invitations SET token_hash = ?, tenant_id = ?, directory_id = ?, user_id = ?,
		expires_at = ?, used_at = ?, created_at = ? WHERE id = ?`,
		inv.TokenHash, inv.TenantID, inv.DirectoryID, inv.UserID, millis(inv.ExpiresAt), millisPtr(inv.UsedAt), millis(inv.CreatedAt), inv.ID)
}
