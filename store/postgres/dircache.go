package postgres

import (
	"sync"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
)

// The directory cache. Nearly every create reads its directory (a Chime account, an
// Amazon Business or Alexa for Business directory) before its insert, and the answer
// of that read decides the insert: a round trip of its own. An Update's Directory
// answers from a cache of the rows this replica read instead, and queues a check that
// the row is still what it answered (checkDirectory) ahead of its next statement, or
// its COMMIT, in the same round trip: the same read, made later in the same
// transaction, so on the same snapshot and with the same SERIALIZABLE guarantees. A row
// another replica (or this one) changed or deleted makes the check fail on the server
// (a division by zero: no row matched), which aborts the transaction before anything
// after it, its COMMIT included, runs; the entry is dropped and the Update runs again
// (in a group, every request runs alone), reading the row afresh. An fn that fails
// has its checks made before its error is answered (tx.checkRead), since the error
// may rest on what the cache said. Views read the table.

// maxCachedDirs bounds the cache; when full it starts again empty.
const maxCachedDirs = 4096

// checkDirectory divides by zero unless the directory row is the one the cache holds
// (attrs compared as jsonb).
const checkDirectory = `SELECT 1 / count(*) FROM directories WHERE id = $1 AND tenant_id = $2 AND kind = $3
	AND name = $4 AND created_at = $5 AND updated_at = $6 AND attrs = $7`

// codeDivisionByZero is checkDirectory's failure: the cache was stale.
const codeDivisionByZero = "22012"

type dirCache struct {
	mu sync.Mutex
	m  map[string]rollcall.Directory
}

func newDirCache() *dirCache { return &dirCache{m: make(map[string]rollcall.Directory)} }

// get returns a copy of the row cached for id.
func (c *dirCache) get(id string) (rollcall.Directory, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.m[id]
	return d, ok
}

func (c *dirCache) put(d *rollcall.Directory) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedDirs {
		clear(c.m)
	}
	c.m[d.ID] = *d
}

func (c *dirCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}

// cachedDirectory answers Directory from the cache, queuing its check; ok is false when
// the cache has no row for id (or t may not use it).
func (t *tx) cachedDirectory(id string) (*rollcall.Directory, bool) {
	if t.dirs == nil || t.readOnly || t.done {
		return nil, false
	}
	d, ok := t.dirs.get(id)
	if !ok {
		return nil, false
	}
	t.own++
	t.ahead = append(t.ahead, queued{what: "directory", checks: id, query: checkDirectory,
		args: []any{d.ID, d.TenantID, string(d.Kind), d.Name, ts(d.CreatedAt), ts(d.UpdatedAt), rowset.AttrsColumn(d.Attrs)}})
	return &d, true
}

// cacheDirectory keeps a row an Update read.
func (t *tx) cacheDirectory(d *rollcall.Directory) {
	if t.dirs != nil && !t.readOnly {
		t.dirs.put(d)
	}
}

// forgetDirectory drops id's row: this transaction writes it.
func (t *tx) forgetDirectory(id string) {
	if t.dirs != nil {
		t.dirs.drop(id)
	}
}
