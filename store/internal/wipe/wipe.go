package wipe

import (
	"slices"
	"strings"
)

// Table is a table of the schema and its columns.
type Table struct {
	Name    string
	Columns []string
}

func (t Table) has(col string) bool { return slices.Contains(t.Columns, col) }

// Keep are the tables no wipe touches: the migrations' bookkeeping and the settings the
// replicas share (the key that signs pagination tokens). A backend adds its own (the
// PostgreSQL commit markers).
var Keep = []string{"schema_migrations", "settings"}

// Plan returns the DELETE statements, in order, that empty tables except those in keep.
// With tenant false every row goes. With tenant true the statements take one argument,
// the tenant ID, written p (a numbered placeholder, "?1" or "$1::text"), and delete
// the rows that belong to that tenant:
//   - the tenant itself (tenants.id);
//   - rows with a tenant_id column of that tenant;
//   - rows with a directory_id column but no tenant_id, of one of the tenant's
//     directories (business groups), deleted before the directories are;
//   - rows with a scope column but no tenant_id, whose scope ends in ":" and the
//     tenant ID (idempotency records, scoped "a4b:<account>").
//
// Rows that belong to no tenant (console sessions) stay in a tenant's wipe.
func Plan(tables []Table, keep []string, tenant bool, p string) []string {
	var first, then []string
	for _, t := range tables {
		if slices.Contains(keep, t.Name) || strings.HasPrefix(t.Name, "sqlite_") {
			continue
		}
		q := quote(t.Name)
		switch {
		case IsVersion(t):
			// A version counter (fault_version): bumped, never emptied, so that replicas
			// caching what it versions reload it.
			then = append(then, "UPDATE "+q+" SET version = version + 1")
		case !tenant:
			then = append(then, "DELETE FROM "+q)
		case t.Name == "tenants":
			then = append(then, "DELETE FROM "+q+" WHERE id = "+p)
		case t.has("tenant_id"):
			then = append(then, "DELETE FROM "+q+" WHERE tenant_id = "+p)
		case t.has("directory_id"):
			first = append(first, "DELETE FROM "+q+" WHERE directory_id IN (SELECT id FROM directories WHERE tenant_id = "+p+")")
		case t.has("scope"):
			then = append(then, "DELETE FROM "+q+" WHERE length(scope) > length("+p+") AND substr(scope, length(scope) - length("+p+")) = ':' || "+p)
		}
	}
	return append(first, then...)
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// IsVersion says whether t is a version counter: a table named *_version with a
// version column, which a wipe or a restore bumps instead of emptying.
func IsVersion(t Table) bool { return strings.HasSuffix(t.Name, "_version") && t.has("version") }
