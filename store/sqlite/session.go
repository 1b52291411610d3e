package sqlite

import (
	"github.com/rollcall/rollcall"
)

const sessionColumns = `hash, binding, created_at, last_seen_at, expires_at`

func (t *tx) InsertSession(s *rollcall.Session) error {
	_, err := t.write("session", `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?)`,
		s.Hash, s.Binding, millis(s.CreatedAt), millis(s.LastSeenAt), millis(s.ExpiresAt))
	return err
}

func (t *tx) Session(hash string) (*rollcall.Session, error) {
	var s rollcall.Session
	var created, seen, expires int64
	err := t.get("session", func(r rowScanner) error {
		return r.Scan(&s.Hash, &s.Binding, &created, &seen, &expires)
	}, `SELECT `+sessionColumns+` FROM sessions WHERE hash = ?`, hash)
	if err != nil {
		return nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromMillis(created), fromMillis(seen), fromMillis(expires)
	return &s, nil
}

func (t *tx) UpdateSession(s *rollcall.Session) error {
	return t.writeOne("session", `UPDATE sessions SET binding = ?, created_at = ?, last_seen_at = ?, expires_at = ? WHERE hash = ?`,
		s.Binding, millis(s.CreatedAt), millis(s.LastSeenAt), millis(s.ExpiresAt), s.Hash)
}

func (t *tx) DeleteSession(hash string) error {
	return t.writeOne("session", `DELETE FROM sessions WHERE hash = ?`, hash)
}

// PurgeExpired deletes each kind through its expiry index, at most c.Limit rows of each.
func (t *tx) PurgeExpired(c rollcall.PurgeCutoffs) (int, error) {
	now, limit := millis(c.Now), noLimit(c.Limit)
	total := 0
	t.invalidateTokens() // before the write (see tokenCache)
	for _, q := range []struct {
		what, sql string
		args      []any
	}{
		{"access token", `DELETE FROM access_tokens WHERE rowid IN (SELECT rowid FROM access_tokens WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)`, []any{now, limit}},
		{"access key", `DELETE FROM access_keys WHERE rowid IN (SELECT rowid FROM access_keys WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)`, []any{now, limit}},
		{"session", `DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE expires_at <= ? UNION SELECT rowid FROM sessions WHERE last_seen_at <= ? LIMIT ?)`, []any{now, millis(c.SessionsIdleSince), limit}},
		{"invitation", `DELETE FROM invitations WHERE rowid IN (SELECT rowid FROM invitations WHERE expires_at <= ? LIMIT ?)`, []any{millis(c.InvitationsExpiredBy), limit}},
	} {
		res, err := t.write(q.what, q.sql, q.args...)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, internal(q.what, err)
		}
		total += int(n)
	}
	return total, nil
}
