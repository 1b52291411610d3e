package sqlite

import (
	"context"
	"fmt"

	"github.com/rollcall/rollcall"
)

// dirCache keeps the directory rows the writer has read. Every create looks its
// directory up inside its Update, on the writer goroutine that every write waits for;
// from the cache that lookup is a map access, not a statement (it was 6% of the
// server's CPU under load, all of it on the writer).
//
// It holds committed rows only. A write to a directory in a batch empties it and turns
// it off until the batch ends, so a row written (or rolled back) in a batch is never
// cached from it. Another process committing to the file (rollcall import, say) is
// seen at the start of the next batch through PRAGMA data_version, which empties it.
// Only the writer goroutine uses it.
type dirCache struct {
	rows    map[string]dirRow
	off     bool  // a directory was written in this batch
	version int64 // PRAGMA data_version at the start of the batch
}

// dirCacheMax bounds the cache; when full it starts over.
const dirCacheMax = 4096

// dirRow is a directories row as stored; it scans like the row it came from.
type dirRow struct {
	id, tenantID, kind, name string
	created, updated         int64
	attrs                    string
}

func (r *dirRow) Scan(dest ...any) error {
	if len(dest) != 7 {
		return fmt.Errorf("sqlite: scan a cached directory into %d values", len(dest))
	}
	*dest[0].(*string), *dest[1].(*string), *dest[2].(*string), *dest[3].(*string) = r.id, r.tenantID, r.kind, r.name
	*dest[4].(*int64), *dest[5].(*int64), *dest[6].(*string) = r.created, r.updated, r.attrs
	return nil
}

// begin runs at the start of every batch, inside its transaction.
func (c *dirCache) begin(ctx context.Context, conn *dbConn) {
	c.off = false
	var v int64
	if err := conn.queryRow(ctx, "PRAGMA data_version").Scan(&v); err != nil || v != c.version {
		clear(c.rows)
		c.version = v
	}
}

// invalidate runs before any write to the directories table.
func (c *dirCache) invalidate() {
	clear(c.rows)
	c.off = true
}

// directory returns the directory id as the writer's transaction sees it.
func (c *dirCache) directory(t *tx, id string) (*rollcall.Directory, error) {
	if r, ok := c.rows[id]; ok && !c.off {
		return scanDirectory(&r)
	}
	var r dirRow
	err := t.get("directory", func(s rowScanner) error {
		return s.Scan(&r.id, &r.tenantID, &r.kind, &r.name, &r.created, &r.updated, &r.attrs)
	}, `SELECT `+directoryColumns+` FROM directories WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if !c.off {
		if c.rows == nil || len(c.rows) >= dirCacheMax {
			c.rows = make(map[string]dirRow)
		}
		c.rows[id] = r
	}
	return scanDirectory(&r)
}
