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

// And access tokens (tokencache.go), checked by checkToken. The three kinds share one
// read-through path (readThrough).

// maxCachedDirs bounds the cache (each kind of row); when full that kind starts again
// empty.
const maxCachedDirs = 4096

// checkDirectory divides by zero unless the directory row is the one the cache holds
// (attrs compared as jsonb).
const checkDirectory = `SELECT 1 / count(*) FROM directories WHERE id = $1 AND tenant_id = $2 AND kind = $3
	AND name = $4 AND created_at = $5 AND updated_at = $6 AND attrs = $7`

// checkGroup divides by zero unless the business group row is the one the cache holds.
const checkGroup = `SELECT 1 / count(*) FROM business_groups WHERE directory_id = $1 AND id = $2
	AND tag IS NOT DISTINCT FROM $3 AND name = $4 AND created_at = $5`

// codeDivisionByZero is a check's failure: the cache was stale.
const codeDivisionByZero = "22012"

// cacheKind is the kind of row a cache entry (and its check) holds.
type cacheKind uint8

const (
	kindDirectory cacheKind = iota // by directory ID
	kindGroup                      // by groupKey
	kindToken                      // by the token's hash
	cacheKinds
)

type dirCache struct {
	mu   sync.Mutex
	rows [cacheKinds]map[string]check // by kind, then key
}

func newDirCache() *dirCache {
	c := &dirCache{}
	for i := range c.rows {
		c.rows[i] = make(map[string]check)
	}
	return c
}

// groupKey is how a group was asked for: by its directory and ID, or tag.
func groupKey(directoryID, by, key string) string { return directoryID + "\x00" + by + "\x00" + key }

// get returns a copy of the row of kind cached under k.
func (c *dirCache) get(kind cacheKind, k string) (check, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.rows[kind][k]
	return r, ok
}

// put keeps r under its key.
func (c *dirCache) put(r check) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.rows[r.kind]
	if len(m) >= maxCachedDirs {
		clear(m)
	}
	m[r.id] = r
}

func (c *dirCache) drop(kind cacheKind, k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.rows[kind], k)
}

// dropAll empties one kind: the groups, when a transaction writes one (which, by tag
// or ID, is not worth working out; the checks would catch it anyway, at the cost of a
// retry).
func (c *dirCache) dropAll(kind cacheKind) {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.rows[kind])
}

// cached answers an Update's read of the row of kind under k from the cache, queuing
// its check; ok is false when the cache has no such row (or t may not use it).
func (t *tx) cached(kind cacheKind, k string) (check, bool) {
	if t.dirs == nil || t.readOnly || t.done {
		return check{}, false
	}
	c, ok := t.dirs.get(kind, k)
	if ok {
		t.queueCheck(c)
	}
	return c, ok
}

// keep keeps r, a row an Update read, unless the Update wrote a group and r is one:
// the row may be its own, not committed.
func (t *tx) keep(r check) {
	if t.dirs != nil && !t.readOnly && (r.kind != kindGroup || !t.wroteGroups) {
		t.dirs.put(r)
	}
}

// readThrough is an Update's read of the row of kind under key: from the cache, its
// check queued, when the cache holds it; else by read, and kept. T is the kind's row
// type (rollcall.Directory, Group, AccessToken).
func readThrough[T any](t *tx, kind cacheKind, key string, read func() (*T, error)) (*T, error) {
	if c, ok := t.cached(kind, key); ok {
		return c.row().(*T), nil
	}
	v, err := read()
	if err == nil {
		t.keep(rowCheck(kind, key, v))
	}
	return v, err
}

// row is the row c holds, as a pointer to a copy.
func (c check) row() any {
	switch c.kind {
	case kindGroup:
		return &c.grp
	case kindToken:
		return &c.tok
	}
	return &c.dir
}

// rowCheck is the cache entry of v, a row of kind under key.
func rowCheck(kind cacheKind, key string, v any) check {
	c := check{id: key, kind: kind}
	switch r := v.(type) {
	case *rollcall.Directory:
		c.dir = *r
	case *rollcall.Group:
		c.grp = *r
	case *rollcall.AccessToken:
		c.tok = *r
	}
	return c
}

// check is a check of a cached row, as the cache answered it, and the cache's entry:
// a directory (dir), a group (grp) or an access token (tok), by kind, under id (the
// directory ID, the group's groupKey, the token's hash).
type check struct {
	id   string
	kind cacheKind
	dir  rollcall.Directory
	grp  rollcall.Group
	tok  rollcall.AccessToken
}

// same reports whether c and o check the same row, equal (times by their instant).
func (c *check) same(o *check) bool {
	a, b, g, h, k, l := c.dir, o.dir, c.grp, o.grp, c.tok, o.tok
	if c.id != o.id || c.kind != o.kind || !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) ||
		!g.CreatedAt.Equal(h.CreatedAt) || !k.CreatedAt.Equal(l.CreatedAt) || !k.ExpiresAt.Equal(l.ExpiresAt) {
		return false
	}
	var zero time.Time
	a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt, g.CreatedAt, h.CreatedAt = zero, zero, zero, zero, zero, zero
	k.CreatedAt, k.ExpiresAt, l.CreatedAt, l.ExpiresAt = zero, zero, zero, zero
	return a == b && g == h && k == l
}

// statement is c's query, to queue ahead.
func (c *check) statement() queued {
	switch c.kind {
	case kindGroup:
		g := &c.grp
		return queued{what: "group", checks: c.id, kind: kindGroup, query: checkGroup,
			args: []any{g.DirectoryID, g.ID, nullIfEmpty(g.Tag), g.Name, ts(g.CreatedAt)}}
	case kindToken:
		return c.tokenStatement()
	}
	d := &c.dir
	return queued{what: "directory", checks: c.id, query: checkDirectory,
		args: []any{d.ID, d.TenantID, string(d.Kind), d.Name, ts(d.CreatedAt), ts(d.UpdatedAt), rowset.AttrsColumn(d.Attrs)}}
}

// dropStale drops the entry q checked, which was stale, so that fn, run again, reads
// the row afresh.
func (t *tx) dropStale(q *queued) {
	switch q.kind {
	case kindGroup:
		t.dirs.drop(kindGroup, q.checks)
	case kindToken:
		t.forget(kindToken, q.checks)
	default:
		t.forgetDirectory(q.checks)
	}
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

// forget drops the checks of the rows of kind the transaction writes: the one under
// id, or every group's.
func (c *checked) forget(kind cacheKind, id string) {
	if c == nil {
		return
	}
	kept := c.rows[:0]
	sent := c.sent
	for i, r := range c.rows {
		if r.kind != kind || kind != kindGroup && r.id != id {
			kept = append(kept, r)
		} else if i < c.sent {
			sent--
		}
	}
	clear(c.rows[len(kept):])
	c.rows, c.sent = kept, sent
}

// forgetDirectory drops id's row: this transaction writes it.
func (t *tx) forgetDirectory(id string) { t.forget(kindDirectory, id) }

// forget drops the row of kind under key from the transaction's checks and the cache:
// this transaction writes it, or its check failed.
func (t *tx) forget(kind cacheKind, key string) {
	t.checked.forget(kind, key)
	if t.dirs != nil {
		t.dirs.drop(kind, key)
	}
}

// forgetGroups drops the cached groups: this transaction writes one.
func (t *tx) forgetGroups() {
	t.wroteGroups = true
	t.checked.forget(kindGroup, "")
	if t.dirs != nil {
		t.dirs.dropAll(kindGroup)
	}
}
