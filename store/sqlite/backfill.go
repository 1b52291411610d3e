package sqlite

import (
	"context"
	"fmt"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/userquery"
)

// goSteps are the parts of migrations that SQL cannot do, run in the migration's
// transaction right after its SQL, by version.
var goSteps = map[string]func(context.Context, *dbConn) error{
	"0150_user_query": backfillUserKeys,
}

// backfillBatch is how many users backfillUserKeys reads at a time.
const backfillBatch = 1000

// backfillUserKeys writes the derived keys (rollcall.User.Keys) of every user whose
// keys were computed by another version, or never: the users that were there before
// the columns. Their product keys first, by legacyProductKeys.
func backfillUserKeys(ctx context.Context, c *dbConn) error {
	if _, err := c.conn.ExecContext(ctx, legacyProductKeys, rollcall.KeysVersion); err != nil {
		return err
	}
	after := ""
	for {
		rows, err := c.conn.QueryContext(ctx, `SELECT `+userColumns+` FROM users
			WHERE id > ? AND keys_version <> ? ORDER BY id LIMIT ?`, after, rollcall.KeysVersion, backfillBatch)
		if err != nil {
			return err
		}
		var users []*rollcall.User
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				rows.Close()
				return err
			}
			users = append(users, u)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, u := range users {
			args := append(userquery.KeyValues(u), u.ID)
			if _, err := c.conn.ExecContext(ctx, `UPDATE users SET full_name_fold = ?, search = ?, storage_limit = ?,
				storage_used = ?, enrollment = ?, keys_version = ? WHERE id = ?`, args...); err != nil {
				return fmt.Errorf("user %s: %w", u.ID, err)
			}
		}
		if len(users) < backfillBatch {
			return nil
		}
		after = users[len(users)-1].ID
	}
}

// legacyProductKeys derives the product keys (rollcall.ProductKeys) of the users written
// before the store kept them, from their attribute documents as the release before this
// migration wrote them: a frozen, one-time reading of that release's member names. Every
// user written since has its keys from its product, and the store reads no document.
const legacyProductKeys = `UPDATE users SET
	storage_used = COALESCE(json_extract(attrs, '$.storageUtilizedInBytes'), 0),
	storage_limit = CASE WHEN json_extract(attrs, '$.storageType') IS NOT 'UNLIMITED'
		AND json_extract(attrs, '$.storageAllocatedInBytes') IS NOT NULL
		THEN json_extract(attrs, '$.storageAllocatedInBytes') ELSE 9223372036854775807 END,
	enrollment = COALESCE(NULLIF(json_extract(attrs, '$.enrollmentStatus'), ''), 'INITIALIZED')
	WHERE keys_version <> ?`
