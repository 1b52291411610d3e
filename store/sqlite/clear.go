package sqlite

import (
	"strings"

	"github.com/rollcall/rollcall/store/internal/wipe"
)

// schemaTables lists the schema's tables and their columns, from SQLite's catalogue.
func schemaTables(t *tx, schema string) ([]wipe.Table, error) {
	type name struct{ s string }
	names, err := list(t, "tables", func(r rowScanner) (*name, error) {
		var n name
		return &n, r.Scan(&n.s)
	}, `SELECT name FROM `+schema+`.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	out := make([]wipe.Table, 0, len(names))
	for _, n := range names {
		cols, err := list(t, "columns", func(r rowScanner) (*name, error) {
			var c name
			return &c, r.Scan(&c.s)
		}, `SELECT name FROM pragma_table_info(?1, ?2) ORDER BY cid`, n.s, schema)
		if err != nil {
			return nil, err
		}
		tb := wipe.Table{Name: n.s}
		for _, c := range cols {
			tb.Columns = append(tb.Columns, c.s)
		}
		out = append(out, tb)
	}
	return out, nil
}

func (t *tx) Clear(tenantID string) error {
	if t.w == nil {
		return errReadOnly("clear")
	}
	tables, err := schemaTables(t, "main")
	if err != nil {
		return err
	}
	var args []any
	if tenantID != "" {
		args = []any{tenantID}
	}
	for _, q := range wipe.Plan(tables, wipe.Keep, tenantID != "", "?1") {
		a := args
		if !strings.Contains(q, "?1") {
			a = nil // a version counter's bump takes no tenant
		}
		if _, err := t.write("clear", q, a...); err != nil {
			return err
		}
	}
	t.w.dirs.invalidate()
	return nil
}
