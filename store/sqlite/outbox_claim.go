package sqlite

import (
	"strings"
	"time"

	"github.com/rollcall/rollcall"
)

// The outbox's work queue: claiming due messages for a dispatcher.

// claimQuery picks the due messages on the messages_due index (status, next_attempt).
const claimQuery = `SELECT ` + messageColumns + ` FROM messages
	WHERE status = ? AND next_attempt <= ?
	ORDER BY next_attempt, created_at, id LIMIT ?`

// ClaimMessages claims up to limit due messages. The writer runs one Update at a time,
// so the read and the write below see no other claimer in between.
func (t *tx) ClaimMessages(now time.Time, lease time.Duration, limit int) ([]*rollcall.Message, error) {
	const what = "message claim"
	if t.w == nil {
		return nil, errReadOnly(what)
	}
	if limit < 1 {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Message: "ClaimMessages: limit must be at least 1"}
	}
	msgs, err := list(t, what, scanMessage, claimQuery, rollcall.MessageQueued, millis(now), limit)
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	until := fromMillis(millis(now.Add(lease)))
	args := make([]any, 0, 1+len(msgs))
	args = append(args, millis(until))
	for _, m := range msgs {
		args = append(args, m.ID)
		m.NextAttempt = until
		m.Attempts++
	}
	q := `UPDATE messages SET next_attempt = ?, attempts = attempts + 1 WHERE id IN (?` +
		strings.Repeat(", ?", len(msgs)-1) + `)`
	if _, err := t.write(what, q, args...); err != nil {
		return nil, err
	}
	return msgs, nil
}
