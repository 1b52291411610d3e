package wipe

import (
	"fmt"
	"slices"
	"strings"
)

// Table is a table of the schema and its columns.
type Table struct {
	Name    string
	Columns []string
}

func (t Table) has(col string) bool { return slices.Contains(t.Columns, col) }

// Keep are the tables no reset or restore touches: the migrations' bookkeeping and the
// settings the replicas share (the key that signs pagination tokens). A backend adds
// its own (the PostgreSQL commit markers and migration lock).
var Keep = []string{"schema_migrations", "settings"}

// tenantArg stands for the tenant ID in a condition; Delete writes the backend's
// placeholder in its place.
const tenantArg = "{tenant}"

// contents says where the rows of each kind are, by the value of its rollcall.Content
// (this package imports no core; storetest deletes every kind on both backends): their
// table, and the condition that selects one tenant's ("" for rows of no tenant).
var contents = map[string]struct{ table, tenant string }{
	"tenants":        {"tenants", "id = " + tenantArg},
	"access keys":    {"access_keys", "tenant_id = " + tenantArg},
	"access tokens":  {"access_tokens", "tenant_id = " + tenantArg},
	"IAM principals": {"iam_principals", "tenant_id = " + tenantArg},
	"directories":    {"directories", "tenant_id = " + tenantArg},
	"groups":         {"business_groups", "directory_id IN (SELECT id FROM directories WHERE tenant_id = " + tenantArg + ")"},
	"users":          {"users", "tenant_id = " + tenantArg},
	"invitations":    {"invitations", "tenant_id = " + tenantArg},
	"messages":       {"messages", "tenant_id = " + tenantArg},
	// rollcall.IdempotencyScope(product, tenant) ends in ":" and the tenant ID.
	"idempotency records": {"idempotency", "length(scope) > length(" + tenantArg + ") AND substr(scope, length(scope) - length(" +
		tenantArg + ")) = ':' || " + tenantArg},
	"audit events": {"audit_events", "tenant_id = " + tenantArg},
	// A write's response elements: deleting its event deletes them (a trigger of
	// migration 0210), so no reset names them.
	"audit responses": {"audit_responses", "tenant_id = " + tenantArg},
	"faults":          {"faults", "tenant_id = " + tenantArg},
	"sessions":        {"sessions", ""},
}

// Delete returns the DELETE, and its arguments, that removes the rows of the kind named
// content: those of tenantID, written p in the statement (a numbered placeholder, "?1"
// or "$1::text"), or with tenantID "" all of them. It fails for a kind it does not know
// and for a tenant's rows of a kind that belongs to no tenant (the core refuses that
// first: rollcall.Content.CheckTenant).
func Delete(content, tenantID, p string) (string, []any, error) {
	t, ok := contents[content]
	switch {
	case !ok:
		return "", nil, fmt.Errorf("wipe: no table holds %q", content)
	case tenantID == "":
		return "DELETE FROM " + t.table, nil, nil
	case t.tenant == "":
		return "", nil, fmt.Errorf("wipe: %s belong to no tenant", content)
	}
	return "DELETE FROM " + t.table + " WHERE " + strings.ReplaceAll(t.tenant, tenantArg, p), []any{tenantID}, nil
}

// Unclaimed returns the tables of the schema, given as its catalogue's (table, column)
// rows, that are neither a Content's, nor kept (Keep, and the backend's own keep), nor
// version counters: the tables a reset would leave as they are without anyone having
// decided so. Its backend's test wants none.
func Unclaimed(columns [][2]string, keep ...string) []string {
	var schema []Table
	for _, c := range columns {
		if len(schema) == 0 || schema[len(schema)-1].Name != c[0] {
			schema = append(schema, Table{Name: c[0]})
		}
		last := &schema[len(schema)-1]
		last.Columns = append(last.Columns, c[1])
	}
	var out []string
	for _, t := range schema {
		claimed := slices.Contains(Keep, t.Name) || slices.Contains(keep, t.Name) || IsVersion(t)
		for _, c := range contents {
			claimed = claimed || c.table == t.Name
		}
		if !claimed {
			out = append(out, t.Name)
		}
	}
	return out
}

// IsVersion says whether t is a version counter: a table named *_version with a
// version column, which a restore bumps instead of copying (and deleting faults bumps).
func IsVersion(t Table) bool { return strings.HasSuffix(t.Name, "_version") && t.has("version") }
