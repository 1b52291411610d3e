package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/rollcall/rollcall/store/storetest"
)

// TestMigrationDropsSettledLinks: messages sent or failed before settled messages dropped
// their link lose it at the upgrade; queued ones keep it, to be sent.
func TestMigrationDropsSettledLinks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rollcall.db")
	s := mustOpenPath(t, path)
	var vs []any
	for _, m := range storetest.LegacyLinkMessages() {
		vs = append(vs, m)
	}
	storetest.MustInsert(t, s, vs...)
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM schema_migrations WHERE version = '0044_settled_links'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s = mustOpenPath(t, path)
	defer s.Close()
	storetest.WantLegacyLinksSettled(t, s)
}

// TestMigrationBackfillsUserKeys: a database from before the store kept derived user
// keys (0150_user_query) opens, and its users answer the queries that read them.
func TestMigrationBackfillsUserKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rollcall.db")
	s := mustOpenPath(t, path)
	storetest.MustInsert(t, s, storetest.LegacyQueryUsers()...)
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	// The schema as 0044 left it: no key columns, no indexes on them.
	for _, q := range []string{
		`DROP INDEX users_email`, `DROP INDEX users_email_sort`, `DROP INDEX users_given_name`, `DROP INDEX users_family_name`,
		`DROP INDEX users_full_name`, `DROP INDEX users_user_type`, `DROP INDEX users_status`, `DROP INDEX users_enrollment`,
		`DROP INDEX users_storage_limit`, `DROP INDEX users_storage_used`, `DROP INDEX users_tenant_created`, `DROP INDEX users_created`,
		`DROP INDEX users_email_desc`, `DROP INDEX users_given_name_desc`, `DROP INDEX users_family_name_desc`, `DROP INDEX users_enrollment_desc`,
		`DROP INDEX directories_name`,
		`CREATE INDEX users_email ON users (directory_id, email_lower)`,
		`ALTER TABLE users DROP COLUMN full_name_fold`, `ALTER TABLE users DROP COLUMN search`,
		`ALTER TABLE users DROP COLUMN storage_limit`, `ALTER TABLE users DROP COLUMN storage_used`,
		`ALTER TABLE users DROP COLUMN enrollment`, `ALTER TABLE users DROP COLUMN keys_version`,
		`DELETE FROM schema_migrations WHERE version = '0150_user_query'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s = mustOpenPath(t, path)
	defer s.Close()
	storetest.WantLegacyUsersQueried(t, s)
}

// TestMigrationKeepsUntracedMessages: a database from before messages kept their trace
// context (0220_message_trace) opens, and its messages read and send as before.
func TestMigrationKeepsUntracedMessages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rollcall.db")
	s := mustOpenPath(t, path)
	storetest.MustInsert(t, s, storetest.LegacyUntracedMessages()...)
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`ALTER TABLE messages DROP COLUMN traceparent`, `ALTER TABLE messages DROP COLUMN tracestate`,
		`DELETE FROM schema_migrations WHERE version = '0220_message_trace'`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s = mustOpenPath(t, path)
	defer s.Close()
	storetest.WantLegacyMessagesUntraced(t, s)
}
