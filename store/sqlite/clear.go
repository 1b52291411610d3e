package sqlite

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/wipe"
)

// schemaTables lists the schema's tables and their columns, from SQLite's catalogue
// (a snapshot restore carries the settings and version counters over with them).
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

// DeleteContents runs wipe.Delete's statement; which kinds a reset removes is the
// core's decision.
func (t *tx) DeleteContents(c rollcall.Content, tenantID string) error {
	if err := c.CheckTenant(tenantID); err != nil {
		return err
	}
	q, args, err := wipe.Delete(string(c), tenantID, "?1")
	if err != nil {
		return internal("delete contents", err)
	}
	switch c { // before the write (see dirCache, tokenCache)
	case rollcall.ContentDirectories, rollcall.ContentGroups:
		t.invalidateDirs()
	case rollcall.ContentAccessTokens:
		t.invalidateTokens()
	case rollcall.ContentIdempotency:
		if t.w != nil {
			t.w.idemReload = true // the map drops the rows once this commits
		}
	}
	if _, err := t.write(string(c), q, args...); err != nil || c != rollcall.ContentFaults {
		return err
	}
	return t.bumpFaults()
}
