package postgres

import (
	"context"
	"slices"

	"github.com/rollcall/rollcall"
)

// Token lookups in batches. Every Amazon Business request authenticates by its access
// token, a ViewOne of one row: alone, a round trip of its own and a statement the
// server wakes, binds and runs for one index probe. Instead, a ViewOne's AccessToken
// hands its hash to a few lookup goroutines; each takes every lookup waiting at that
// moment (up to maxGroup) and reads them all in one statement (hash = ANY), on one
// connection, in one round trip.
//
// Nothing is answered from a cache, so a token another replica revoked is refused as
// before: the statement starts after every lookup in it was asked for, and, outside a
// transaction block, reads what had committed when it started. What it reads goes into
// the replica's token cache (tokencache.go), a token it does not find out of it. A lookup answers exactly what its
// own statement would have: the row, NotFound, or the statement's error (Unavailable
// for a server that went away), the same for every lookup of the batch.

// sqlTokens reads a batch of tokens.
const sqlTokens = `SELECT ` + accessTokenCols + ` FROM access_tokens WHERE hash = ANY($1::text[])`

// lookupReq is one token lookup waiting for a batch.
type lookupReq struct {
	hash string
	done chan lookupRes // buffered
}

type lookupRes struct {
	tok *rollcall.AccessToken
	err error // the batch's driver error, untranslated
}

// lookups is the number of lookup goroutines: a batch is one round trip, so two keep a
// lookup waiting no longer than one round trip and fill the next batch meanwhile.
const lookups = 2

// accessTokenBatched is a ViewOne's AccessToken: read in a batch (see above).
func (t *tx) accessTokenBatched(hash string) (*rollcall.AccessToken, error) {
	const what = "access token"
	if err := t.usable(what, false); err != nil {
		return nil, err
	}
	t.own++
	if t.own > 1 {
		return nil, internal(what, errSecondRead)
	}
	r := &lookupReq{hash: hash, done: make(chan lookupRes, 1)}
	select {
	case t.lookups <- r:
	case <-t.stop:
		return nil, errClosed()
	case <-t.ctx.Done():
		return nil, canceled(what, t.ctx.Err())
	}
	select {
	case res := <-r.done:
		if res.err != nil {
			return nil, translate(t.ctx, what, res.err)
		}
		if res.tok == nil {
			return nil, notFound(what)
		}
		return res.tok, nil
	case <-t.ctx.Done(): // the batch answers into the buffer, unread
		return nil, canceled(what, t.ctx.Err())
	}
}

// lookup runs batches of token lookups until the store closes.
func (s *Store) lookup() {
	batch := make([]*lookupReq, 0, maxGroup)
	for {
		select {
		case r := <-s.lookups:
			batch = append(batch[:0], r)
		case <-s.stop:
			return
		}
		batch = drain(s.lookups, batch)
		s.lookupBatch(batch)
		clear(batch)
	}
}

// lookupBatch reads the batch's tokens in one statement and answers each lookup.
func (s *Store) lookupBatch(batch []*lookupReq) {
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	hashes := make([]string, 0, len(batch))
	for _, r := range batch {
		if !slices.Contains(hashes, r.hash) {
			hashes = append(hashes, r.hash)
		}
	}
	found, err := s.readTokens(ctx, hashes)
	for _, r := range batch {
		if err != nil {
			r.done <- lookupRes{err: err}
			continue
		}
		var res lookupRes
		if tok, ok := found[r.hash]; ok {
			res.tok = &tok // a copy each: callers may keep it
		}
		r.done <- res
	}
	if err == nil {
		s.remember(hashes, found)
	}
}

// remember puts the rows a batch found in the token cache and drops the hashes it did
// not find.
func (s *Store) remember(hashes []string, found map[string]rollcall.AccessToken) {
	for _, h := range hashes {
		if tok, ok := found[h]; ok {
			s.dirs.put(check{id: h, kind: kindToken, tok: tok})
		} else {
			s.dirs.drop(kindToken, h)
		}
	}
}

// readTokens reads the tokens of hashes, by hash, on a connection of the pool.
func (s *Store) readTokens(ctx context.Context, hashes []string) (map[string]rollcall.AccessToken, error) {
	pc, err := s.pool.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer s.pool.release(pc)
	rows, err := pc.conn.Query(ctx, sqlTokens, hashes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := make(map[string]rollcall.AccessToken, len(hashes))
	for rows.Next() {
		tok, err := scanAccessToken(rows)
		if err != nil {
			return nil, err
		}
		found[tok.Hash] = *tok
	}
	return found, rows.Err()
}
