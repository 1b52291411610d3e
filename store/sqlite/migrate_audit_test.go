package sqlite_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestMigrateAuditEvents opens a database at migration 0200 with audit events in it:
// 0210 moves them into the clustered table, where every filter still finds them.
func TestMigrateAuditEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rollcall.db")
	db, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(`CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`)
	files, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		version := strings.TrimSuffix(f.Name(), ".sql")
		if version >= "0210" {
			break
		}
		body, err := os.ReadFile(filepath.Join("migrations", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		mustExec(string(body))
		mustExec(`INSERT INTO schema_migrations VALUES (?, 0)`, version)
	}
	want := storetest.LegacyAuditEvents()
	for _, e := range want {
		mustExec(`INSERT INTO audit_events (tenant_id, at, id, name, principal, failed, read_only, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.TenantID, e.Time.UnixMilli(), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record)
	}
	s := mustOpenPath(t, path)
	defer s.Close()
	storetest.WantAuditEvents(t, s, want)
	var ddl string
	if err := db.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'audit_events'`).Scan(&ddl); err != nil || !strings.Contains(ddl, "WITHOUT ROWID") {
		t.Fatalf("audit_events after 0210: %q, %v; want WITHOUT ROWID", ddl, err)
	}
	var indexes int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events'`).Scan(&indexes); err != nil || indexes != 0 {
		t.Fatalf("audit_events has %d indexes after 0210 (%v), want none (the table is its key)", indexes, err)
	}
}
