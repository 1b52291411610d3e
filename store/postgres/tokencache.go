package postgres

import "github.com/rollcall/rollcall"

// Access tokens in the replica's cache (dircache.go). An Amazon Business create
// confirms its caller's token inside its Update (auth/token): there an AccessToken
// answers from the cache and queues checkToken, which goes out with the Update's other
// statements or its COMMIT, in the same round trip, so the create costs one round
// trip, not a read and then the rest. A token another replica revoked, deleted or
// changed fails the check, which aborts the transaction; the entry is dropped and the
// Update runs again, reading the row afresh (NotFound, for a revoked token). Rows come
// from Updates' reads and from the batched lookups (lookup.go); a lookup that finds no
// row drops the entry. ViewOne and View read the table.
//
// CachedAccessToken hands the cached row to auth, unconfirmed: a caller to act on only
// once an Update or a lookup has confirmed it.

// checkToken divides by zero unless the token row is the one the cache holds.
const checkToken = `SELECT 1 / count(*) FROM access_tokens WHERE hash = $1 AND directory_id = $2 AND tenant_id = $3
	AND kind = $4 AND expires_at IS NOT DISTINCT FROM $5 AND created_at = $6`

// tokenStatement is the check of c, a token's.
func (c *check) tokenStatement() queued {
	a := &c.tok
	return queued{what: "access token", checks: c.id, kind: kindToken, query: checkToken,
		args: []any{a.Hash, a.DirectoryID, a.TenantID, a.Kind, tsOrNull(a.ExpiresAt), ts(a.CreatedAt)}}
}

// CachedAccessToken returns the token row this replica last read for hash, which may
// be stale: another replica may have revoked it since. The caller must confirm it
// before acting on it (an Update's AccessToken, or a ViewOne's) and answer what that
// says; ok is false when the cache holds no row for hash.
func (s *Store) CachedAccessToken(hash string) (*rollcall.AccessToken, bool) {
	c, ok := s.dirs.get(kindToken, hash)
	if !ok {
		return nil, false
	}
	return &c.tok, true
}
