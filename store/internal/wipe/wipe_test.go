package wipe_test

import (
	"slices"
	"testing"

	"github.com/rollcall/rollcall/store/internal/wipe"
)

func TestPlan(t *testing.T) {
	tables := []wipe.Table{
		{"schema_migrations", []string{"version"}},
		{"settings", []string{"name", "value"}},
		{"tenants", []string{"id", "kind"}},
		{"users", []string{"id", "directory_id", "tenant_id"}},
		{"business_groups", []string{"directory_id", "id"}},
		{"directories", []string{"id", "tenant_id"}},
		{"idempotency", []string{"scope", "token"}},
		{"sessions", []string{"hash"}},
		{"fault_version", []string{"one", "version"}},
	}
	all := wipe.Plan(tables, wipe.Keep, false, "?1")
	want := []string{`DELETE FROM "tenants"`, `DELETE FROM "users"`, `DELETE FROM "business_groups"`,
		`DELETE FROM "directories"`, `DELETE FROM "idempotency"`, `DELETE FROM "sessions"`,
		`UPDATE "fault_version" SET version = version + 1`}
	if !slices.Equal(all, want) {
		t.Errorf("whole store:\n got %q\nwant %q", all, want)
	}
	one := wipe.Plan(tables, wipe.Keep, true, "?1")
	want = []string{
		`DELETE FROM "business_groups" WHERE directory_id IN (SELECT id FROM directories WHERE tenant_id = ?1)`,
		`DELETE FROM "tenants" WHERE id = ?1`,
		`DELETE FROM "users" WHERE tenant_id = ?1`,
		`DELETE FROM "directories" WHERE tenant_id = ?1`,
		`DELETE FROM "idempotency" WHERE length(scope) > length(?1) AND substr(scope, length(scope) - length(?1)) = ':' || ?1`,
		`UPDATE "fault_version" SET version = version + 1`,
	}
	if !slices.Equal(one, want) {
		t.Errorf("one tenant:\n got %q\nwant %q", one, want)
	}
}
