package postgres

import (
	"sync"
	"time"

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
//
// A transaction checks a row once: an Update (in a group, any of its Updates) that
// reads from the cache a row equal to one the transaction has checked or has queued a
// check of queues none, since the check answers for both, on the one snapshot; a group
// of creates in one directory makes one check (checked). A row the transaction writes
// is checked afresh (forgetDirectory).

// It keeps business groups the same way (an Amazon Business create resolves its group,
// by ID or tag, in every Update), checked by checkGroup: the row the cache answered is
// still there, tag, name and creation time included. A group's tag is unique in its
// directory, so the row that still has it is the one GroupByTag would read. A
// transaction checks a group once too, asked for the same way (checked); one that
// writes a group checks every group afresh (forgetGroups).

// maxCachedDirs bounds the cache (each of its maps); when full it starts again empty.
const maxCachedDirs = 4096

// checkDirectory divides by zero unless the directory row is the one the cache holds
// (attrs compared as jsonb).
const checkDirectory = `SELECT 1 / count(*) FROM directories WHERE id = $1 AND tenant_id = $2 AND kind = $3
	AND name = $4 AND created_at = $5 AND updated_at = $6 AND attrs = $7`

// checkGroup divides by zero unless the business group row is the one the cache holds.
const checkGroup = `SELECT 1 / count(*) FROM business_groups WHERE directory_id = $1 AND id = $2
	AND tag IS NOT DISTINCT FROM $3 AND name = $4 AND created_at = $5`

// codeDivisionByZero is checkDirectory's (and checkGroup's) failure: the cache was stale.
const codeDivisionByZero = "22012"

type dirCache struct {
	mu     sync.Mutex
	m      map[string]rollcall.Directory
	groups map[string]rollcall.Group // by groupKey
}

func newDirCache() *dirCache {
	return &dirCache{m: make(map[string]rollcall.Directory), groups: make(map[string]rollcall.Group)}
}

// groupKey is how a group was asked for: by its directory and ID, or tag.
func groupKey(directoryID, by, key string) string { return directoryID + "\x00" + by + "\x00" + key }

func (c *dirCache) getGroup(k string) (rollcall.Group, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.groups[k]
	return g, ok
}

func (c *dirCache) putGroup(k string, g *rollcall.Group) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.groups) >= maxCachedDirs {
		clear(c.groups)
	}
	c.groups[k] = *g
}

func (c *dirCache) dropGroup(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.groups, k)
}

// dropGroups empties the groups: a transaction writes one (which, by tag or ID, is
// not worth working out; the checks would catch it anyway, at the cost of a retry).
func (c *dirCache) dropGroups() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.groups)
}

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
	t.queueCheck(check{id: id, dir: d})
	return &d, true
}

// check is a check of a cached row, as the cache answered it: a directory (dir, id its
// ID) or a group (grp, id its cache key; group set).
type check struct {
	id    string
	group bool
	dir   rollcall.Directory
	grp   rollcall.Group
}

// same reports whether c and o check the same row, equal (times by their instant).
func (c *check) same(o *check) bool {
	a, b, g, h := c.dir, o.dir, c.grp, o.grp
	if c.id != o.id || c.group != o.group || !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) ||
		!g.CreatedAt.Equal(h.CreatedAt) {
		return false
	}
	a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt, g.CreatedAt, h.CreatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b && g == h
}

// statement is c's query, to queue ahead.
func (c *check) statement() queued {
	if c.group {
		g := &c.grp
		return queued{what: "group", checks: c.id, group: true, query: checkGroup,
			args: []any{g.DirectoryID, g.ID, nullIfEmpty(g.Tag), g.Name, ts(g.CreatedAt)}}
	}
	d := &c.dir
	return queued{what: "directory", checks: c.id, query: checkDirectory,
		args: []any{d.ID, d.TenantID, string(d.Kind), d.Name, ts(d.CreatedAt), ts(d.UpdatedAt), rowset.AttrsColumn(d.Attrs)}}
}

// queueCheck queues c ahead of fn's next statement, unless the transaction has checked
// or queued a check of the same row, equal, which answers for both on the one snapshot.
func (t *tx) queueCheck(c check) {
	if i := t.checked.find(&c); i >= 0 {
		if i >= t.checked.sent {
			t.leansOnCheck = true // queued ahead, maybe by an earlier Update of the group
		}
		return
	}
	t.own++
	t.ahead = append(t.ahead, c.statement())
	t.checked.add(c)
}

// checked is a transaction's checks of cached rows, in the order they were queued:
// rows[:sent] went out (and passed: a failed check ends the transaction), the rest wait
// in the tx's ahead. nil checks nothing twice.
type checked struct {
	rows []check
	sent int
}

// find returns the index of a check of the same row as c, equal, or -1.
func (c *checked) find(o *check) int {
	if c == nil {
		return -1
	}
	for i := range c.rows {
		if c.rows[i].same(o) {
			return i
		}
	}
	return -1
}

func (c *checked) add(r check) {
	if c != nil {
		c.rows = append(c.rows, r)
	}
}

// allSent records that every queued check went out.
func (c *checked) allSent() {
	if c != nil {
		c.sent = len(c.rows)
	}
}

// dropUnsent forgets the checks queued from the n-th on that did not go out: their
// Update's unsent writes were dropped, and they with them.
func (c *checked) dropUnsent(n int) {
	if c != nil {
		c.rows = c.rows[:max(n, c.sent)]
	}
}

// mark is where the checks an Update queues will begin.
func (c *checked) mark() int {
	if c == nil {
		return 0
	}
	return len(c.rows)
}

// forget drops the checks of the rows the transaction writes: the directory id's, or
// every group's (group set).
func (c *checked) forget(id string, group bool) {
	if c == nil {
		return
	}
	kept := c.rows[:0]
	sent := c.sent
	for i, r := range c.rows {
		if r.group != group || !group && r.id != id {
			kept = append(kept, r)
		} else if i < c.sent {
			sent--
		}
	}
	clear(c.rows[len(kept):])
	c.rows, c.sent = kept, sent
}

// cacheDirectory keeps a row an Update read.
func (t *tx) cacheDirectory(d *rollcall.Directory) {
	if t.dirs != nil && !t.readOnly {
		t.dirs.put(d)
	}
}

// forgetDirectory drops id's row: this transaction writes it.
func (t *tx) forgetDirectory(id string) {
	t.checked.forget(id, false)
	if t.dirs != nil {
		t.dirs.drop(id)
	}
}

// cachedGroup answers Group or GroupByTag (by "id" or "tag") from the cache, queuing
// its check; ok is false when the cache has no row for it (or t may not use it).
func (t *tx) cachedGroup(directoryID, by, key string) (*rollcall.Group, string, bool) {
	if t.dirs == nil || t.readOnly || t.done {
		return nil, "", false
	}
	k := groupKey(directoryID, by, key)
	g, ok := t.dirs.getGroup(k)
	if !ok {
		return nil, k, false
	}
	t.queueCheck(check{id: k, group: true, grp: g})
	return &g, k, true
}

// cacheGroup keeps a row an Update read under k (cachedGroup's), unless the Update
// wrote a group: the row may be its own, not committed.
func (t *tx) cacheGroup(k string, g *rollcall.Group) {
	if t.dirs != nil && !t.readOnly && !t.wroteGroups {
		t.dirs.putGroup(k, g)
	}
}

// forgetGroups drops the cached groups: this transaction writes one.
func (t *tx) forgetGroups() {
	t.wroteGroups = true
	t.checked.forget("", true)
	if t.dirs != nil {
		t.dirs.dropGroups()
	}
}
