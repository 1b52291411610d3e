package postgres_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall/store/internal/wipe"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
)

// TestEveryTableIsResetOrKept: each table of the schema holds a rollcall.Content or is
// kept on purpose, so a table a migration adds cannot be left behind by a reset
// unnoticed: give it a Content (and operator.ResetContents a place for it) or keep it.
func TestEveryTableIsResetOrKept(t *testing.T) {
	dsn := freshDB(t)
	mustOpen(t, dsn)
	rows, err := pgtest.Connect(t, dsn).Query(t.Context(), `SELECT c.table_name::text, c.column_name::text
		FROM information_schema.columns c JOIN information_schema.tables tb
		  ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND tb.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var c [2]string
		return c, r.Scan(&c[0], &c[1])
	})
	if err != nil || len(cols) == 0 {
		t.Fatalf("the catalogue: %d columns, %v", len(cols), err)
	}
	// The commit markers settle a group commit's outcome and the lock guards the
	// migrations: a reset keeps both.
	if got := wipe.Unclaimed(cols, "rollcall_commits", "rollcall_migration_lock"); len(got) != 0 {
		t.Errorf("tables neither reset nor kept: %q", got)
	}
}
