package postgres_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// migratedFrom writes rows to a store on a fresh database, takes its schema back to
// before a migration with undo (SQL that ends by forgetting the migration), and opens
// the store again, which migrates it forward. The store closes when t ends.
func migratedFrom(t *testing.T, rows []any, undo string) *postgres.Store {
	t.Helper()
	dsn := freshDB(t)
	s := mustOpenOnly(t, dsn)
	storetest.MustInsert(t, s, rows...)
	s.Close()
	if _, err := pgtest.Connect(t, dsn).Exec(t.Context(), undo); err != nil {
		t.Fatal(err)
	}
	return mustOpen(t, dsn)
}

// TestMigrationDropsSettledLinks: messages sent or failed before settled messages dropped
// their link lose it at the upgrade; queued ones keep it, to be sent.
func TestMigrationDropsSettledLinks(t *testing.T) {
	var vs []any
	for _, m := range storetest.LegacyLinkMessages() {
		vs = append(vs, m)
	}
	storetest.WantLegacyLinksSettled(t, migratedFrom(t, vs, `DELETE FROM schema_migrations WHERE version = 44`))
}

// TestMigrationBackfillsUserKeys: a database from before the store kept derived user
// keys (0150_user_query) opens, and its users answer the queries that read them.
func TestMigrationBackfillsUserKeys(t *testing.T) {
	// The schema as 0140 left it: no key columns (their indexes go with them), attrs
	// in jsonb (0330).
	s := migratedFrom(t, storetest.LegacyQueryUsers(), undo230+undo330+`ALTER TABLE users DROP COLUMN full_name_fold, DROP COLUMN search,
		DROP COLUMN storage_limit, DROP COLUMN storage_used, DROP COLUMN enrollment, DROP COLUMN keys_version;
		DROP INDEX IF EXISTS users_email_sort, users_given_name, users_family_name, users_user_type, users_status,
			users_tenant_created, users_created, directories_name;
		DELETE FROM schema_migrations WHERE version IN (150, 310, 460)`)
	storetest.WantLegacyUsersQueried(t, s)
}

// TestMigration0460CreationTimeAscending: a database as 0450 left it (the creation-time
// indexes descending) opens with them ascending, and its users read newest first,
// ties by ascending ID, as before.
func TestMigration0460CreationTimeAscending(t *testing.T) {
	dsn := freshDB(t)
	s := mustOpenOnly(t, dsn)
	rows := storetest.LegacyQueryUsers()
	storetest.MustInsert(t, s, rows...)
	s.Close()
	conn := pgtest.Connect(t, dsn)
	if _, err := conn.Exec(t.Context(), `DROP INDEX users_tenant_created, users_created;
		CREATE INDEX users_tenant_created ON users (tenant_id, created_at DESC, id);
		CREATE INDEX users_created ON users (created_at DESC, id);
		DELETE FROM schema_migrations WHERE version = 460`); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, dsn)
	for _, ix := range []string{"users_tenant_created", "users_created"} {
		var def string
		if err := conn.QueryRow(t.Context(), `SELECT indexdef FROM pg_indexes WHERE indexname = $1`, ix).Scan(&def); err != nil {
			t.Fatalf("%s: %v", ix, err)
		}
		if strings.Contains(def, "DESC") {
			t.Errorf("%s: %s", ix, def)
		}
	}
	var users []*rollcall.User
	for _, r := range rows {
		if u, ok := r.(*rollcall.User); ok {
			users = append(users, u)
		}
	}
	slices.SortFunc(users, func(a, b *rollcall.User) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	var want []string
	for _, u := range users {
		want = append(want, u.ID)
	}
	newest := rollcall.UserQuery{TenantID: users[0].TenantID, Sort: []rollcall.UserSort{{Field: rollcall.UserCreatedAt, Descending: true}}}
	var got []string
	err := s.View(t.Context(), func(tx rollcall.Tx) error {
		page, err := tx.Users(newest)
		for _, u := range page {
			got = append(got, u.ID)
		}
		return err
	})
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("newest first: %v, %v; want %v", got, err, want)
	}
}

// TestMigrationKeepsUntracedMessages: a database from before messages kept their trace
// context (0220_message_trace) opens, and its messages read and send as before.
func TestMigrationKeepsUntracedMessages(t *testing.T) {
	s := migratedFrom(t, storetest.LegacyUntracedMessages(), `ALTER TABLE messages DROP COLUMN traceparent, DROP COLUMN tracestate;
		DELETE FROM schema_migrations WHERE version = 220`)
	storetest.WantLegacyMessagesUntraced(t, s)
}

// TestMigration0230RebuildsIndexes: a database as 0220 left it opens with WorkDocs' sort
// indexes carrying the columns its filters test.
func TestMigration0230RebuildsIndexes(t *testing.T) {
	dsn := freshDB(t)
	s := mustOpenOnly(t, dsn)
	storetest.MustInsert(t, s, storetest.LegacyQueryUsers()...)
	s.Close()
	conn := pgtest.Connect(t, dsn)
	if _, err := conn.Exec(t.Context(), undo230); err != nil {
		t.Fatal(err)
	}
	mustOpen(t, dsn)
	for name, want := range map[string]string{"users_full_name": "INCLUDE (status, search)", "users_storage_limit": "INCLUDE (status, search)",
		"users_storage_used": "INCLUDE (status, search)", "users_status": "INCLUDE (kind, search)", "users_workdocs_key": "INCLUDE (status, search)"} {
		var def string
		if err := conn.QueryRow(t.Context(), `SELECT indexdef FROM pg_indexes WHERE indexname = $1`, name).Scan(&def); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(def, want) {
			t.Errorf("%s: %s", name, def)
		}
	}
}

// undo330 takes a database back to users.attrs in jsonb.
const undo330 = `ALTER TABLE users ALTER COLUMN attrs TYPE jsonb USING attrs::jsonb;
	DELETE FROM schema_migrations WHERE version = 330;
`

// undo230 takes a database back to the schema as 0220 left it: the WorkDocs sort
// indexes without the columns their filters test.
const undo230 = `DROP INDEX users_workdocs_key, users_full_name, users_storage_limit, users_storage_used, users_status;
	CREATE INDEX users_full_name ON users (directory_id, full_name_fold, id) WHERE kind = 'workdocs';
	CREATE INDEX users_storage_limit ON users (directory_id, storage_limit, id) WHERE kind = 'workdocs';
	CREATE INDEX users_storage_used ON users (directory_id, storage_used, id) WHERE kind = 'workdocs';
	CREATE INDEX users_status ON users (directory_id, status, id) WHERE kind = 'workdocs' OR kind = 'chime';
	DELETE FROM schema_migrations WHERE version = 230;
`
