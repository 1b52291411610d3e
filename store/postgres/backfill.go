package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/userquery"
)

// goSteps are the parts of migrations that SQL cannot do, run in the migration's
// transaction right after its SQL, by version.
var goSteps = map[int64]func(context.Context, pgx.Tx) error{
	150: backfillUserKeys,
}

// backfillBatch is how many users backfillUserKeys reads at a time.
const backfillBatch = 1000

// backfillUserKeys writes the derived keys (rollcall.User.Keys) of every user whose
// keys were computed by another version, or never: the users that were there before
// the columns. Their product keys first, by legacyProductKeys.
func backfillUserKeys(ctx context.Context, t pgx.Tx) error {
	if _, err := t.Exec(ctx, legacyProductKeys, rollcall.KeysVersion); err != nil {
		return err
	}
	after := ""
	for {
		rows, err := t.Query(ctx, `SELECT `+userCols+` FROM users WHERE id > $1 AND keys_version <> $2 ORDER BY id LIMIT $3`,
			after, rollcall.KeysVersion, backfillBatch)
		if err != nil {
			return err
		}
		users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*rollcall.User, error) { return scanUser(r) })
		if err != nil {
			return err
		}
		for _, u := range users {
			args := append([]any{u.ID}, userquery.KeyValues(u)...)
			if _, err := t.Exec(ctx, `UPDATE users SET full_name_fold = $2, search = $3, storage_limit = $4,
				storage_used = $5, enrollment = $6, keys_version = $7 WHERE id = $1`, args...); err != nil {
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
	storage_used = COALESCE((attrs->>'storageUtilizedInBytes')::bigint, 0),
	storage_limit = CASE WHEN attrs->>'storageType' IS DISTINCT FROM 'UNLIMITED'
		AND attrs->>'storageAllocatedInBytes' IS NOT NULL
		THEN (attrs->>'storageAllocatedInBytes')::bigint ELSE 9223372036854775807 END,
	enrollment = COALESCE(NULLIF(attrs->>'enrollmentStatus', ''), 'INITIALIZED')
	WHERE keys_version <> $1`
