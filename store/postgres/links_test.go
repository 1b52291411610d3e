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
