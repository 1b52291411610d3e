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
// the columns.
func backfillUserKeys(ctx context.Context, c *dbConn) error {
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
