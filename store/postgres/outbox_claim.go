package postgres

import (
	"time"

	"github.com/rollcall/rollcall"
)

// The outbox's work queue: claiming due messages for a dispatcher, from any number of
// replicas at once.

// claimQuery picks the due messages on messages_due (status, next_attempt) and locks
// them; SKIP LOCKED passes over rows another replica's claim holds, so claimers do not
// queue behind each other and never take the same row. CockroachDB accepts it too.
const claimQuery = `SELECT ` + messageCols + ` FROM messages
	WHERE status = $1 AND next_attempt <= $2
	ORDER BY next_attempt, created_at, id LIMIT $3
	FOR UPDATE SKIP LOCKED`

// ClaimMessages claims up to limit due messages: the SELECT locks them, the UPDATE
// moves them out of the due range before the locks are released at commit. A claim
// that collides with another under SERIALIZABLE is retried by Update, like any write.
func (t *tx) ClaimMessages(now time.Time, lease time.Duration, limit int) ([]*rollcall.Message, error) {
	const what = "message claim"
	if err := t.usable(what, true); err != nil {
		return nil, err
	}
	if limit < 1 {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Message: "ClaimMessages: limit must be at least 1"}
	}
	msgs, err := list(t, what, scanMessage, claimQuery, rollcall.MessageQueued, ts(now), limit)
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	until := ts(now.Add(lease))
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
		m.NextAttempt = until
		m.Attempts++
	}
	if _, err := t.exec(what, `UPDATE messages SET next_attempt = $1, attempts = attempts + 1 WHERE id = ANY($2)`,
		until, ids); err != nil {
		return nil, err
	}
	return msgs, nil
}
