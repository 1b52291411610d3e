package sqlite

import (
	"context"
	"database/sql"
	"hash/maphash"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/rollcall/rollcall"
)

// Idempotency records are appended to a table with no index on their token (migration
// 0450): a client token is random, and the (scope, token) index it had took each
// create's record on a leaf page of its own, a 4 KB page to write to the WAL and again
// to the database per create. The store finds a record through idemIndex instead, a
// map in memory from a hash of (scope, token) to the rows' rowids, and reads the row to
// compare its scope and token.
//
// The map may name rows that are gone (an insert rolled back, a tenant's records
// deleted) but names every row that is there: every row is read into it at Open, the
// writer adds each row it inserts before the row commits, and a row leaves it only
// after the commit that deleted it. A row written by another process (rollcall import)
// is seen at the writer's next batch through PRAGMA data_version, which reloads the
// map; so is a restore. With the writer the only one to insert, that makes the check
// before each insert exact, as the unique index was.
//
// Open reads the rows in the background, on a connection of its own (1M records took
// 1.3 s and 35 MB), so the server answers meanwhile; a lookup waits for it (ready). Not
// on the read pool's: Views waiting for the map may hold all of them.
type idemIndex struct {
	mu    sync.RWMutex
	seed  maphash.Seed
	first map[uint64]int64   // a hash's first rowid
	more  map[uint64][]int64 // its others: hash collisions, rows gone not yet removed
	// version is PRAGMA data_version on the writer's connection when the map was
	// loaded; -1 asks the writer's next batch to load it again.
	version int64
	hash    func(scope, token string) uint64 // tests force collisions; nil: maphash
	ready   chan struct{}                    // closed once Open's background load is over
	failed  error                            // its error, under mu; the next batch loads again
}

// idemGone is a row an Update deleted: it leaves the map once its batch commits.
type idemGone struct {
	h  uint64
	id int64
}

func (x *idemIndex) key(scope, token string) uint64 {
	if x.hash != nil {
		return x.hash(scope, token)
	}
	var h maphash.Hash
	h.SetSeed(x.seed)
	h.WriteString(scope)
	h.WriteByte(0)
	h.WriteString(token)
	return h.Sum64()
}

// candidates appends the rowids the map has for h to buf, once the map is loaded.
func (x *idemIndex) candidates(h uint64, buf []int64) ([]int64, error) {
	<-x.ready
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.failed != nil {
		return buf, internal("idempotency records", x.failed)
	}
	if id, ok := x.first[h]; ok {
		buf = append(append(buf, id), x.more[h]...)
	}
	return buf, nil
}

func (x *idemIndex) add(h uint64, id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.addLocked(h, id)
}

func (x *idemIndex) addLocked(h uint64, id int64) {
	first, ok := x.first[h]
	switch {
	case !ok:
		x.first[h] = id
	case first != id && !slices.Contains(x.more[h], id):
		x.more[h] = append(x.more[h], id)
	}
}

func (x *idemIndex) remove(gone []idemGone) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, g := range gone {
		more := x.more[g.h]
		if i := slices.Index(more, g.id); i >= 0 {
			more = slices.Delete(more, i, i+1)
		} else if first, ok := x.first[g.h]; !ok || first != g.id {
			continue
		} else if len(more) == 0 {
			delete(x.first, g.h)
			continue
		} else {
			x.first[g.h], more = more[len(more)-1], more[:len(more)-1]
		}
		if len(more) == 0 {
			delete(x.more, g.h)
		} else {
			x.more[g.h] = more
		}
	}
}

// size is how many rowids the map holds.
func (x *idemIndex) size() int {
	<-x.ready
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.first)
	for _, m := range x.more {
		n += len(m)
	}
	return n
}

// start begins Open's load: the writer's data_version now, the rows in the background.
// The rows read are added to the map, not put in its place, so what the writer adds
// meanwhile is kept (a row it deleted meanwhile may come back: a superfluous id).
func (x *idemIndex) start(ctx context.Context, s *Store) error {
	x.first, x.more, x.ready = make(map[uint64]int64), make(map[uint64][]int64), make(chan struct{})
	v, err := s.w.c.queryInt(ctx, "PRAGMA data_version")
	if err != nil {
		return err
	}
	x.version = v
	go func() {
		defer close(x.ready)
		y, err := x.readOnce(ctx, s)
		x.mu.Lock()
		defer x.mu.Unlock()
		if err != nil {
			x.failed = err
			return
		}
		for h, id := range x.first {
			y.addLocked(h, id)
			for _, id := range x.more[h] {
				y.addLocked(h, id)
			}
		}
		x.first, x.more = y.first, y.more
	}()
	return nil
}

// readOnce is read on a read-only connection opened for it, while the Store is open.
func (x *idemIndex) readOnce(ctx context.Context, s *Store) (*idemIndex, error) {
	if !s.enter() {
		return nil, errClosed()
	}
	defer s.leave()
	db := openDB(s.path, pragmas(s.opts, true)...)
	defer db.Close()
	rtx, err := db.BeginTx(ctx, nil) // its query_only pragma makes it read-only
	if err != nil {
		return nil, err
	}
	defer rtx.Rollback()
	return x.read(rtx.QueryContext(ctx, idemRead))
}

const idemRead = `SELECT rowid, scope, token FROM idempotency`

// read reads every record's rowid, scope and token, rows of idemRead, into a new map.
func (x *idemIndex) read(rows *sql.Rows, err error) (*idemIndex, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	y := &idemIndex{seed: x.seed, hash: x.hash, first: make(map[uint64]int64), more: make(map[uint64][]int64)}
	var id int64
	var scope, token sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&id, &scope, &token); err != nil {
			return nil, err
		}
		y.addLocked(y.key(string(scope), string(token)), id)
	}
	return y, rows.Err()
}

// load reads the map again on the writer's connection, in place of the one it has: in
// a batch that follows another process's commit, after a restore, after a commit that
// deleted records in bulk.
func (x *idemIndex) load(ctx context.Context, c *dbConn) error {
	// data_version first: a commit by another process after it makes the next batch
	// load again.
	v, err := c.queryInt(ctx, "PRAGMA data_version")
	if err != nil {
		return err
	}
	y, err := x.read(c.query(ctx, idemRead))
	if err != nil {
		return err
	}
	x.mu.Lock()
	x.first, x.more, x.version, x.failed = y.first, y.more, v, nil
	x.mu.Unlock()
	return nil
}

// syncVersion runs as each batch begins, inside its transaction, with v the
// connection's PRAGMA data_version (-1 if it could not be read): another process's
// commit since the map was loaded may have added records, so the map is loaded again;
// so it is if a load failed.
func (x *idemIndex) syncVersion(ctx context.Context, c *dbConn, v int64) error {
	x.mu.RLock()
	failed := x.failed
	x.mu.RUnlock()
	if v >= 0 && v == x.version && failed == nil {
		return nil
	}
	if err := x.load(ctx, c); err != nil {
		x.version = -1
		return internal("idempotency records", err)
	}
	return nil
}

const idempotencyColumns = `scope, token, request_hash, result_id, created_at`

func scanIdempotency(s rowScanner) (*rollcall.IdempotencyRecord, error) {
	var r rollcall.IdempotencyRecord
	var created int64
	if err := s.Scan(&r.Scope, &r.Token, &r.RequestHash, &r.ResultID, &created); err != nil {
		return nil, err
	}
	r.CreatedAt = fromMillis(created)
	return &r, nil
}

// purgeIdempotency reads the expired among the first ? records written.
const purgeIdempotency = `SELECT id, scope, token FROM (SELECT id, scope, token, created_at FROM idempotency ORDER BY id LIMIT ?) WHERE created_at < ?`

// idemFind returns the record of (scope, token) and its rowid, a nil record if there
// is none (not a NotFound error: every create with a token looks for its token, and
// an error allocates): it reads the rows the map names for the pair's hash, and keeps
// the one that holds the pair.
func (t *tx) idemFind(x *idemIndex, h uint64, scope, token string) (*rollcall.IdempotencyRecord, int64, error) {
	var buf [4]int64
	ids, err := x.candidates(h, buf[:0])
	if err != nil {
		return nil, 0, err
	}
	for _, id := range ids {
		r, err := one(t, "idempotency record", scanIdempotency, `SELECT `+idempotencyColumns+` FROM idempotency WHERE rowid = ?`, id)
		if rollcall.IsKind(err, rollcall.NotFound) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		if r.Scope == scope && r.Token == token {
			return r, id, nil
		}
	}
	return nil, 0, nil
}

// idem is the Store's map: a View's, or the writer's.
func (t *tx) idem() *idemIndex {
	if t.w != nil {
		return t.w.idem
	}
	return &t.view.idem
}

// InsertIdempotency returns Conflict when (Scope, Token) is stored: the map's rows are
// read before the insert, in the writer's transaction, so a row of this batch counts.
func (t *tx) InsertIdempotency(r *rollcall.IdempotencyRecord) error {
	const what = "idempotency record"
	if t.w == nil {
		return errReadOnly(what)
	}
	x := t.w.idem
	h := x.key(r.Scope, r.Token)
	if old, _, err := t.idemFind(x, h, r.Scope, r.Token); err != nil {
		return err
	} else if old != nil {
		return &rollcall.Error{Kind: rollcall.Conflict, Message: what + " already exists"}
	}
	args := append(t.args(), stringArg(&r.Scope), stringArg(&r.Token), stringArg(&r.RequestHash), stringArg(&r.ResultID), millis(r.CreatedAt))
	res, err := t.write(what, `INSERT INTO idempotency (`+idempotencyColumns+`) VALUES (?, ?, ?, ?, ?)`, args...)
	t.doneArgs(args)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return internal(what, err)
	}
	// A rowid this batch deleted and now reuses (SQLite gives the largest rowid plus
	// one) must not leave the map when the batch commits.
	t.w.idemGone = slices.DeleteFunc(t.w.idemGone, func(g idemGone) bool { return g.h == h && g.id == id })
	x.add(h, id)
	return nil
}

func (t *tx) Idempotency(scope, token string) (*rollcall.IdempotencyRecord, error) {
	x := t.idem()
	r, _, err := t.idemFind(x, x.key(scope, token), scope, token)
	if err == nil && r == nil {
		return nil, notFound("idempotency record")
	}
	return r, err
}

func (t *tx) DeleteIdempotency(scope, token string, createdBefore time.Time) error {
	const what = "idempotency record"
	if t.w == nil {
		return errReadOnly(what)
	}
	x := t.w.idem
	h := x.key(scope, token)
	r, id, err := t.idemFind(x, h, scope, token)
	if err != nil {
		return err
	}
	if r == nil || !r.CreatedAt.Before(createdBefore) {
		return nil
	}
	if _, err := t.write(what, `DELETE FROM idempotency WHERE rowid = ?`, id); err != nil {
		return err
	}
	t.w.idemGone = append(t.w.idemGone, idemGone{h, id})
	return nil
}

// PurgeIdempotency deletes the expired among the limit records written first (the
// lowest rowids), so a purge of many holds the one writer for a short while each time.
// There is no index on created_at since migration 0480 (every create with a token
// wrote a page of it): records are appended in rowid order, each with the time its
// request was taken, so the first written are the oldest but for a request's wait in
// the writer's queue, and the lowest rowids are one page's read. A record written out
// of its time's order (rollcall import, a clock set back) and not yet expired stays
// among the first until it expires, and a batch that meets it deletes fewer than limit,
// which ends a purge (operator.PurgeIdempotency): the records behind it wait at most
// the retention for the next purges. A lookup checks a record's age either way
// (rollcall.IdempotencyRecord.Expired): the purge only reclaims the space.
func (t *tx) PurgeIdempotency(before time.Time, limit int) (int, error) {
	const what = "idempotency record"
	if t.w == nil {
		return 0, errReadOnly(what)
	}
	type row struct {
		id           int64
		scope, token string
	}
	rows, err := list(t, what, func(s rowScanner) (*row, error) {
		var r row
		return &r, s.Scan(&r.id, &r.scope, &r.token)
	}, purgeIdempotency, max(limit, 1), millis(before))
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	// The rows just read, by their rowids, as a JSON array (one argument for any limit).
	ids := make([]byte, 0, 16*len(rows))
	for i, r := range rows {
		if i > 0 {
			ids = append(ids, ',')
		}
		ids = strconv.AppendInt(ids, r.id, 10)
	}
	if _, err := t.write(what, `DELETE FROM idempotency WHERE rowid IN (SELECT value FROM json_each(?))`, "["+string(ids)+"]"); err != nil {
		return 0, err
	}
	x := t.w.idem
	for _, r := range rows {
		t.w.idemGone = append(t.w.idemGone, idemGone{x.key(r.scope, r.token), r.id})
	}
	return len(rows), nil
}
