package postgres

import (
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall/store/internal/wipe"
)

// keep adds the commit markers (commit.go) to what no Clear touches: a group's outcome
// is settled by them.
var keep = append([]string{"rollcall_commits"}, wipe.Keep...)

type column struct{ table, name string }

func scanColumn(r pgx.Row) (*column, error) {
	var c column
	return &c, r.Scan(&c.table, &c.name)
}

// schemaTables lists the tables of the schema rollcall uses and their columns, from the
// catalogue.
func schemaTables(t *tx) ([]wipe.Table, error) {
	cols, err := list(t, "tables", scanColumn, `SELECT c.table_name::text, c.column_name::text
		FROM information_schema.columns c JOIN information_schema.tables tb
		  ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND tb.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, err
	}
	var out []wipe.Table
	for _, c := range cols {
		if len(out) == 0 || out[len(out)-1].Name != c.table {
			out = append(out, wipe.Table{Name: c.table})
		}
		last := &out[len(out)-1]
		last.Columns = append(last.Columns, c.name)
	}
	return out, nil
}

func (t *tx) Clear(tenantID string) error {
	if err := t.usable("clear", true); err != nil {
		return err
	}
	tables, err := schemaTables(t)
	if err != nil {
		return err
	}
	var args []any
	if tenantID != "" {
		args = []any{tenantID}
	}
	for _, q := range wipe.Plan(tables, keep, tenantID != "", "$1::text") {
		a := args
		if !strings.Contains(q, "$1") {
			a = nil // a version counter's bump takes no tenant
		}
		if _, err := t.exec("clear", q, a...); err != nil {
			return err
		}
	}
	return nil
}
