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
