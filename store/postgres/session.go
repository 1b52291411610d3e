package postgres

import (
	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
)

const sessionCols = `hash, binding, created_at, last_seen_at, expires_at`

func scanSession(r pgx.Row) (*rollcall.Session, error) {
	var v rollcall.Session
	if err := r.Scan(&v.Hash, &v.Binding, &v.CreatedAt, &v.LastSeenAt, &v.ExpiresAt); err != nil {
		return nil, err
	}
	v.CreatedAt, v.LastSeenAt, v.ExpiresAt = v.CreatedAt.UTC(), v.LastSeenAt.UTC(), v.ExpiresAt.UTC()
	return &v, nil
}

func (t *tx) InsertSession(v *rollcall.Session) error {
	return t.insert("session", `INSERT INTO sessions (`+sessionCols+`) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		v.Hash, v.Binding, ts(v.CreatedAt), ts(v.LastSeenAt), ts(v.ExpiresAt))
}

func (t *tx) Session(hash string) (*rollcall.Session, error) {
	return get(t, "session", scanSession, `SELECT `+sessionCols+` FROM sessions WHERE hash = $1`, hash)
}

func (t *tx) UpdateSession(v *rollcall.Session) error {
	return t.execOne("session", `UPDATE sessions SET binding = $2, created_at = $3, last_seen_at = $4, expires_at = $5 WHERE hash = $1`,
		v.Hash, v.Binding, ts(v.CreatedAt), ts(v.LastSeenAt), ts(v.ExpiresAt))
}

func (t *tx) DeleteSession(hash string) error {
	return t.execOne("session", `DELETE FROM sessions WHERE hash = $1`, hash)
}

// PurgeExpired deletes each kind through its expiry index, at most c.Limit rows of each.
func (t *tx) PurgeExpired(c rollcall.PurgeCutoffs) (int, error) {
	var limit any // NULL: LIMIT ALL
	if c.Limit > 0 {
		limit = c.Limit
	}
	total := 0
	for _, q := range []struct {
		what, sql string
		args      []any
	}{
		{"access token", `DELETE FROM access_tokens WHERE hash IN (SELECT hash FROM access_tokens WHERE expires_at IS NOT NULL AND expires_at <= $1 LIMIT $2)`, []any{ts(c.Now), limit}},
		{"access key", `DELETE FROM access_keys WHERE id IN (SELECT id FROM access_keys WHERE expires_at IS NOT NULL AND expires_at <= $1 LIMIT $2)`, []any{ts(c.Now), limit}},
		{"session", `DELETE FROM sessions WHERE hash IN (SELECT hash FROM sessions WHERE expires_at <= $1 UNION SELECT hash FROM sessions WHERE last_seen_at <= $2 LIMIT $3)`, []any{ts(c.Now), ts(c.SessionsIdleSince), limit}},
		{"invitation", `DELETE FROM invitations WHERE id IN (SELECT id FROM invitations WHERE expires_at <= $1 LIMIT $2)`, []any{ts(c.InvitationsExpiredBy), limit}},
	} {
		n, err := t.exec(q.what, q.sql, q.args...)
		if err != nil {
			return total, err
		}
		total += int(n)
	}
	return total, nil
}
