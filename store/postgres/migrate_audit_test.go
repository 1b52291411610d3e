package postgres_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestMigrateAuditEvents brings a database at migration 0200, with audit events in
// it, up to date: 0210 drops the indexes on time alone, name, principal and failures and adds the responses' table,
// and the events are all still found, by every filter.
func TestMigrateAuditEvents(t *testing.T) {
	dsn := freshDB(t)
	conn := pgtest.Connect(t, dsn)
	ctx := t.Context()
	if err := postgres.Bootstrap(ctx, conn); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		v, _ := strconv.ParseInt(num, 10, 64)
		if v >= 210 {
			break
		}
		body, err := os.ReadFile(filepath.Join("migrations", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, string(body)); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())`, v, e.Name()); err != nil {
			t.Fatal(err)
		}
	}
	want := storetest.LegacyAuditEvents()
	for _, e := range want {
		if _, err := conn.Exec(ctx, `INSERT INTO audit_events (tenant_id, at, id, name, principal, failed, read_only, record) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			e.TenantID, e.Time, e.ID, e.Name, e.Principal, e.Failed, e.ReadOnly, e.Record); err != nil {
			t.Fatal(err)
		}
	}
	s := mustOpen(t, dsn)
	wantMigrated(t, conn)
	storetest.WantAuditEvents(t, s, want)
	// Only the key is left: no index on time alone, name, principal or failures.
	var idx []string
	rows, err := conn.Query(ctx, `SELECT indexname FROM pg_indexes WHERE tablename = 'audit_events' ORDER BY indexname`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		idx = append(idx, n)
	}
	if rows.Close(); rows.Err() != nil || strings.Join(idx, " ") != "audit_events_pkey" {
		t.Fatalf("audit_events's indexes after 0210: %v, %v; want its key's alone", idx, rows.Err())
	}
}
