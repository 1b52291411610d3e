package sqlite

import (
	"sync"
	"sync/atomic"

	"github.com/rollcall/rollcall"
)

// tokenCache keeps the access-token rows Views have read. Every Amazon Business request
// authenticates by its token (auth/token), a ViewOne of one row: from the cache it is a
// map access, and the View takes no read connection at all (View begins lazily). Only a
// ViewOne answers from it: a cached row is the latest committed, which a View's later
// reads (a later snapshot) would not share.
//
// It is exact, because this process's writer is the only one that removes a token: the
// writer empties it (invalidate) before any statement that may delete a token (a
// revoke, a directory's cascade, a reset, the purge of expired ones, a restore) and
// turns it off until its next batch begins (settle), by then the batch has committed or
// rolled back. A View puts a row only if the cache was on, and not invalidated since,
// when the View's transaction began (gen): a row read from a snapshot older than a
// removal is never put. So a token revoked is refused by the first View that starts
// after the revoke's Update returns. Rows are only put, never changed: a token row is
// inserted or deleted, never updated, and a token not found is not kept. Expiry is the
// caller's to check against its clock, as for a row read from the table.
//
// Another process that removes a token from the file (rollcall import adds only) is
// seen at the writer's next batch, through PRAGMA data_version, like the dirCache.
type tokenCache struct {
	mu   sync.RWMutex
	gen  atomic.Uint64 // odd while off; changed under mu only
	rows map[string]rollcall.AccessToken
}

// tokenCacheMax bounds the cache; when full it starts over.
const tokenCacheMax = 4096

// generation is what a View records as its transaction begins, for put.
func (c *tokenCache) generation() uint64 { return c.gen.Load() }

func (c *tokenCache) get(hash string) (rollcall.AccessToken, bool) {
	c.mu.RLock()
	a, ok := c.rows[hash]
	c.mu.RUnlock()
	return a, ok
}

// put keeps a, read by a View whose transaction began at generation gen.
func (c *tokenCache) put(gen uint64, a *rollcall.AccessToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen&1 != 0 || gen != c.gen.Load() {
		return
	}
	if c.rows == nil || len(c.rows) >= tokenCacheMax {
		c.rows = make(map[string]rollcall.AccessToken)
	}
	c.rows[a.Hash] = *a
}

// invalidate empties the cache and turns it off; the writer calls it before a
// statement that may remove a token.
func (c *tokenCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.rows)
	if g := c.gen.Load(); g&1 == 0 {
		c.gen.Store(g + 1)
	}
}

// settle turns the cache on again; the writer calls it when no transaction of its
// is open (as each batch begins, after a restore).
func (c *tokenCache) settle() {
	if c.gen.Load()&1 == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if g := c.gen.Load(); g&1 != 0 {
		c.gen.Store(g + 1)
	}
}

// invalidateTokens comes before every statement that may delete access tokens.
func (t *tx) invalidateTokens() {
	if t.w != nil && t.w.tokens != nil {
		t.w.tokens.invalidate()
	}
}
