package wipe_test

import (
	"slices"
	"testing"

	"github.com/rollcall/rollcall/store/internal/wipe"
)

func TestDelete(t *testing.T) {
	for _, c := range []struct {
		content, tenant, q string
		args               []any
		refused            bool
	}{
		{content: "users", q: `DELETE FROM users`},
		{content: "users", tenant: "1", q: `DELETE FROM users WHERE tenant_id = ?1`, args: []any{"1"}},
		{content: "tenants", tenant: "1", q: `DELETE FROM tenants WHERE id = ?1`, args: []any{"1"}},
		{content: "groups", tenant: "1", args: []any{"1"},
			q: `DELETE FROM business_groups WHERE directory_id IN (SELECT id FROM directories WHERE tenant_id = ?1)`},
		{content: "idempotency records", tenant: "1", args: []any{"1"},
			q: `DELETE FROM idempotency WHERE length(scope) > length(?1) AND substr(scope, length(scope) - length(?1)) = ':' || ?1`},
		{content: "sessions", q: `DELETE FROM sessions`},
		{content: "sessions", tenant: "1", refused: true},
		{content: "nope", refused: true},
	} {
		q, args, err := wipe.Delete(c.content, c.tenant, "?1")
		if c.refused {
			if err == nil || q != "" {
				t.Errorf("Delete(%s, %q) = %q, %v; want refused", c.content, c.tenant, q, err)
			}
			continue
		}
		if err != nil || q != c.q || !slices.Equal(args, c.args) {
			t.Errorf("Delete(%s, %q) = %q %v, %v\nwant %q %v", c.content, c.tenant, q, args, err, c.q, c.args)
		}
	}
}

func TestUnclaimed(t *testing.T) {
	schema := [][2]string{
		{"schema_migrations", "version"},
		{"settings", "name"}, {"settings", "value"},
		{"tenants", "id"}, {"tenants", "kind"},
		{"business_groups", "directory_id"},
		{"fault_version", "one"}, {"fault_version", "version"},
		{"other_version", "one"}, // named like a counter, without its column
		{"rollcall_commits", "id"},
		{"widgets", "id"}, {"widgets", "tenant_id"}, // a migration added it; no Content has it
	}
	if got := wipe.Unclaimed(schema, "rollcall_commits"); !slices.Equal(got, []string{"other_version", "widgets"}) {
		t.Errorf("Unclaimed = %q, want other_version and widgets", got)
	}
}
