package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestMigrateAuditEvents opens a database at migration 0200 with audit events in it:
// 0210 moves them into the clustered table, where every filter still finds them.
func TestMigrateAuditEvents(t *testing.T) {
	db, path := openBefore(t, "0210")
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
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

// TestMigrateAuditResponses: 0260 keeps the responses of events, deletes those whose
// event is gone (stored before PutAuditResponse checked), and the trigger that deletes
// an event's response with it still does.
func TestMigrateAuditResponses(t *testing.T) {
	db, path := openBefore(t, "0260")
	want := storetest.LegacyAuditEvents()
	for _, e := range want {
		if _, err := db.Exec(`INSERT INTO audit_events (tenant_id, at, id, name, principal, failed, read_only, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.TenantID, e.Time.UnixMilli(), e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record); err != nil {
			t.Fatal(err)
		}
	}
	want[0].Response = []byte(`{"kept":true}`)
	for _, r := range []struct {
		id       string
		response []byte
	}{{want[0].ID, want[0].Response}, {"orphan", []byte(`{"orphan":true}`)}} {
		if _, err := db.Exec(`INSERT INTO audit_responses (tenant_id, at, id, response) VALUES (?, ?, ?, ?)`,
			want[0].TenantID, want[0].Time.UnixMilli(), r.id, r.response); err != nil {
			t.Fatal(err)
		}
	}
	s := mustOpenPath(t, path)
	defer s.Close()
	storetest.WantAuditEvents(t, s, want)
	count := func() (n int) {
		t.Helper()
		if err := db.QueryRow(`SELECT count(*) FROM audit_responses`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 1 {
		t.Fatalf("%d responses after 0260, want 1 (the orphan deleted)", n)
	}
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentAuditEvents, "A") })
	if n := count(); n != 0 {
		t.Fatalf("%d responses after the events were deleted, want none", n)
	}
}

// openBefore opens a new database with the migrations before version applied, as an
// older rollcall left it; path is its file, for the Store to open.
func openBefore(t *testing.T, version string) (db *sql.DB, path string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "rollcall.db")
	db, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
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
		v := strings.TrimSuffix(f.Name(), ".sql")
		if v >= version {
			break
		}
		body, err := os.ReadFile(filepath.Join("migrations", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		mustExec(string(body))
		mustExec(`INSERT INTO schema_migrations VALUES (?, 0)`, v)
	}
	return db, path
}
