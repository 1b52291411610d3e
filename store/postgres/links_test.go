package postgres_test

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestMigrationDropsSettledLinks: messages sent or failed before settled messages dropped
// their link lose it at the upgrade; queued ones keep it, to be sent.
func TestMigrationDropsSettledLinks(t *testing.T) {
	dsn := freshDB(t)
	ctx := context.Background()
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var vs []any
	for _, m := range storetest.LegacyLinkMessages() {
		vs = append(vs, m)
	}
	storetest.MustInsert(t, s, vs...)
	s.Close()
	if _, err := mustConnect(t, dsn).Exec(ctx, `DELETE FROM schema_migrations WHERE version = 44`); err != nil {
		t.Fatal(err)
	}
	if s, err = postgres.Open(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.WantLegacyLinksSettled(t, s)
}

// TestMigrationBackfillsUserKeys: a database from before the store kept derived user
// keys (0150_user_query) opens, and its users answer the queries that read them.
func TestMigrationBackfillsUserKeys(t *testing.T) {
	dsn := freshDB(t)
	ctx := context.Background()
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustInsert(t, s, storetest.LegacyQueryUsers()...)
	s.Close()
	// The schema as 0140 left it: no key columns (their indexes go with them).
	if _, err := mustConnect(t, dsn).Exec(ctx, `ALTER TABLE users DROP COLUMN full_name_fold, DROP COLUMN search,
		DROP COLUMN storage_limit, DROP COLUMN storage_used, DROP COLUMN enrollment, DROP COLUMN keys_version;
		DROP INDEX users_email_sort, users_given_name, users_family_name, users_user_type, users_status,
			users_tenant_created, users_created, users_email_desc, users_given_name_desc, users_family_name_desc, directories_name;
		DELETE FROM schema_migrations WHERE version = 150`); err != nil {
		t.Fatal(err)
	}
	if s, err = postgres.Open(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.WantLegacyUsersQueried(t, s)
}

// TestMigrationKeepsUntracedMessages: a database from before messages kept their trace
// context (0220_message_trace) opens, and its messages read and send as before.
func TestMigrationKeepsUntracedMessages(t *testing.T) {
	dsn := freshDB(t)
	ctx := context.Background()
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustInsert(t, s, storetest.LegacyUntracedMessages()...)
	s.Close()
	if _, err := mustConnect(t, dsn).Exec(ctx, `ALTER TABLE messages DROP COLUMN traceparent, DROP COLUMN tracestate;
		DELETE FROM schema_migrations WHERE version = 220`); err != nil {
		t.Fatal(err)
	}
	if s, err = postgres.Open(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.WantLegacyMessagesUntraced(t, s)
}
