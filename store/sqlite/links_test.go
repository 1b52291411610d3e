package sqlite_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/store/internal/wipe"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// closedStore writes rows to a new store, closes it, and runs fn on its database file.
// It returns the file's path.
func closedStore(t *testing.T, rows []any, fn func(db *sql.DB) error) string {
	t.Helper()
	s, path := mustOpenNew(t)
	storetest.MustInsert(t, s, rows...)
	s.Close()
	onFile(t, path, fn)
	return path
}

// onFile runs fn on the closed store's database file at path.
func onFile(t *testing.T, path string, fn func(db *sql.DB) error) {
	t.Helper()
	db, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := fn(db); err != nil {
		t.Fatal(err)
	}
}

// migratedFrom writes rows to a new store, takes its schema back to before a migration
// with undo (statements run on the closed file, the last one forgetting the migration),
// and opens the store again, which migrates it forward. The store closes when t ends.
func migratedFrom(t *testing.T, rows []any, undo ...string) *sqlite.Store {
	t.Helper()
	path := closedStore(t, rows, func(db *sql.DB) error {
		for _, q := range undo {
			if _, err := db.Exec(q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	s := mustOpenPath(t, path)
	t.Cleanup(func() { s.Close() })
	return s
}

// TestEveryTableIsResetOrKept: each table of the schema holds a rollcall.Content or is
// kept on purpose, so a table a migration adds cannot be left behind by a reset
// unnoticed: give it a Content (and operator.ResetContents a place for it) or keep it.
func TestEveryTableIsResetOrKept(t *testing.T) {
	var cols [][2]string
	closedStore(t, nil, func(db *sql.DB) error {
		rows, err := db.Query(`SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY m.name, p.cid`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c [2]string
			if err := rows.Scan(&c[0], &c[1]); err != nil {
				return err
			}
			cols = append(cols, c)
		}
		return rows.Err()
	})
	if len(cols) == 0 {
		t.Fatal("the catalogue lists no table")
	}
	if got := wipe.Unclaimed(cols); len(got) != 0 {
		t.Errorf("tables neither reset nor kept: %q", got)
	}
}

// TestMigrationDropsSettledLinks: messages sent or failed before settled messages dropped
// their link lose it at the upgrade; queued ones keep it, to be sent.
func TestMigrationDropsSettledLinks(t *testing.T) {
	var vs []any
	for _, m := range storetest.LegacyLinkMessages() {
		vs = append(vs, m)
	}
	s := migratedFrom(t, vs, `DELETE FROM schema_migrations WHERE version = '0044_settled_links'`)
	storetest.WantLegacyLinksSettled(t, s)
}

// TestMigrationBackfillsUserKeys: a database from before the store kept derived user
// keys (0150_user_query) opens, and its users answer the queries that read them.
func TestMigrationBackfillsUserKeys(t *testing.T) {
	// The schema as 0044 left it: no key columns, no indexes on them.
	s := migratedFrom(t, storetest.LegacyQueryUsers(), append(undo0230,
		`DROP INDEX users_email`, `DROP INDEX users_email_sort`, `DROP INDEX users_given_name`, `DROP INDEX users_family_name`,
		`DROP INDEX users_full_name`, `DROP INDEX users_user_type`, `DROP INDEX users_status`, `DROP INDEX users_enrollment`,
		`DROP INDEX users_storage_limit`, `DROP INDEX users_storage_used`, `DROP INDEX users_tenant_created`, `DROP INDEX users_created`,
		`DROP INDEX directories_name`,
		`CREATE INDEX users_email ON users (directory_id, email_lower)`,
		`ALTER TABLE users DROP COLUMN full_name_fold`, `ALTER TABLE users DROP COLUMN search`,
		`ALTER TABLE users DROP COLUMN storage_limit`, `ALTER TABLE users DROP COLUMN storage_used`,
		`ALTER TABLE users DROP COLUMN enrollment`, `ALTER TABLE users DROP COLUMN keys_version`,
		`DELETE FROM schema_migrations WHERE version IN ('0150_user_query', '0310_a4b_desc_walk')`,
	)...)
	storetest.WantLegacyUsersQueried(t, s)
}

// TestMigrationKeepsUntracedMessages: a database from before messages kept their trace
// context (0220_message_trace) opens, and its messages read and send as before.
func TestMigrationKeepsUntracedMessages(t *testing.T) {
	s := migratedFrom(t, storetest.LegacyUntracedMessages(), `ALTER TABLE messages DROP COLUMN traceparent`,
		`ALTER TABLE messages DROP COLUMN tracestate`, `DELETE FROM schema_migrations WHERE version = '0220_message_trace'`)
	storetest.WantLegacyMessagesUntraced(t, s)
}

// TestMigration0230RebuildsIndexes: a database as 0220 left it opens with WorkDocs' sort
// indexes carrying the columns its filters test.
func TestMigration0230RebuildsIndexes(t *testing.T) {
	path := closedStore(t, storetest.LegacyQueryUsers(), func(db *sql.DB) error {
		for _, q := range undo0230 {
			if _, err := db.Exec(q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	mustOpenPath(t, path).Close()
	onFile(t, path, func(db *sql.DB) error {
		for name, want := range map[string]string{"users_full_name": "id, status, search", "users_storage_limit": "id, status, search",
			"users_storage_used": "id, status, search", "users_status": "id, kind, search", "users_workdocs_key": "key, status, search"} {
			var def string
			if err := db.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&def); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if !strings.Contains(def, want) {
				t.Errorf("%s: %s", name, def)
			}
		}
		return nil
	})
}

// undo0230 takes a database back to the schema as 0220 left it: the sort indexes
// without the columns their filters test.
var undo0230 = []string{
	`DROP INDEX users_workdocs_key`,
	`DROP INDEX users_full_name`, `DROP INDEX users_storage_limit`, `DROP INDEX users_storage_used`, `DROP INDEX users_status`,
	`CREATE INDEX users_full_name ON users (directory_id, full_name_fold, id) WHERE kind = 'workdocs'`,
	`CREATE INDEX users_storage_limit ON users (directory_id, storage_limit, id) WHERE kind = 'workdocs'`,
	`CREATE INDEX users_storage_used ON users (directory_id, storage_used, id) WHERE kind = 'workdocs'`,
	`CREATE INDEX users_status ON users (directory_id, status, id) WHERE kind = 'workdocs' OR kind = 'chime'`,
	`DELETE FROM schema_migrations WHERE version = '0230_query_cost'`,
}
