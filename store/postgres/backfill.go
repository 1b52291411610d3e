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
// the columns.
func backfillUserKeys(ctx context.Context, t pgx.Tx) error {
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
