package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
)

// tx implements rollcall.Tx on one pgx transaction: SERIALIZABLE read-write for an
// Update, REPEATABLE READ read-only for a View. The transaction begins with fn's first
// statement, in the same round trip (pgx.Batch.BeginTx): an Update of one INSERT costs
// two round trips, not three, and an fn that runs no statement costs none.
//
// Writes whose only answer is an error that fn passes on (PutAuditEvent,
// PutAuditResponse: upserts, which no constraint refuses) are deferred: queued, and sent
// ahead of fn's next statement or with the COMMIT, in that round trip. So a create's
// audit event costs no round trip of its own, and a batch of audit responses one in all.
// A deferred write that fails fails the statement it went with, or the commit: the
// Update fails (or, in a group, runs alone) as if it had failed when called.
//
// InsertUser (and InsertInvitation, InsertMessage: the rest of an Amazon Business
// create) is speculative when spec is set: it answers nil at once and its INSERT,
// without ON CONFLICT, is deferred like the writes above. If the user's ID or key is
// taken after all, the INSERT fails on the server, which aborts the transaction before
// anything after it (its COMMIT included) runs; the transaction is rolled back and fn
// runs again with nothing speculative, so that it sees the Conflict (a group runs
// again with no insert speculative). So a group of creates whose directories the
// cache holds (dircache.go) costs one round trip in all: its statements and its COMMIT.
type tx struct {
	ctx      context.Context
	conn     *pgx.Conn
	opts     pgx.TxOptions
	tx       pgx.Tx // nil until the first statement has begun the transaction
	readOnly bool   // a View: write methods fail before they reach the server
	single   bool   // a ViewOne: its one statement runs alone, with no transaction
	done     bool   // fn has returned; the Tx must not be used any more

	// A ViewOne's connection, taken from pool by its statement (pc), and where its
	// token lookup goes (lookup.go) unless the store has closed (stop).
	pool    *pool
	pc      *pooledConn
	lookups chan<- *lookupReq
	stop    <-chan struct{}

	// retry is the first serialization failure or deadlock a statement hit. The
	// server has aborted the transaction, so whatever fn makes of the error, Update
	// rolls back and runs fn again.
	retry error
	// aborted is set when a statement failed in a way that may have aborted the
	// transaction (anything but no rows, or a Conflict its savepoint undid): in a group
	// commit, the request then runs alone (group.go).
	aborted bool
	// ahead is sent before fn's next statement, in the same round trip, or with the
	// COMMIT: the deferred writes, and in a group commit the requests' savepoints. Empty
	// once sent. fn's own statements begin at ahead[mark].
	ahead []queued
	mark  int
	// save opens a group request's savepoint. It is needed only once fn sends a
	// statement (a request that only defers sends nothing it would have to undo alone),
	// so the first send puts it in ahead at mark, ahead of fn's own statements.
	save []queued
	// sent says a batch went out through this tx (with the savepoint). own counts
	// fn's statements, sent or deferred.
	sent bool
	own  int
	// spec makes the inserts speculative (see above); specFailed says a speculative
	// INSERT failed.
	spec       bool
	specFailed bool
	// doomed is set when a statement sent ahead failed: in a group commit it may be an
	// earlier request's deferred write, so the whole group runs alone (group.go).
	doomed     bool
	aheadCause error // the driver's error of that statement

	dirs *dirCache // the Store's, for Updates (dircache.go)
	// checked is the transaction's directory checks, shared by a group's Updates;
	// leansOnCheck says fn answered from a check that has yet to go out (dircache.go).
	checked      *checked
	leansOnCheck bool
	wroteGroups  bool // a group was written: group reads are not cached
}

// queued is a statement waiting in tx.ahead; what names it in an error. checks is the
// cache key of a cached row's check, of kind (dircache.go).
type queued struct {
	what, query, checks string
	args                []any
	spec                bool // a speculative INSERT
	// sure, for a speculative INSERT, says its answer (nil) stands whether it or the
	// write it stands for runs (an upsert's): an fn that fails need not send it to
	// learn its answer (checkRead).
	sure bool
	// rows, for a one-row INSERT, writes it for many rows: the INSERTs of one table
	// waiting ahead go out as one statement (see coalesce). fixed holds an entry in
	// its place (a group's savepoints); the others may be reordered.
	rows  *multiRow
	fixed bool
	kind  cacheKind // the kind of row checks is the cache key of (dircache.go)
}

// errStale is the retry cause of a directory (or group) cache check that failed.
var errStale = errors.New("postgres: a cached directory or group row changed")

var _ rollcall.Tx = (*tx)(nil)

// savepoint guards the statements that may break a unique constraint and cannot say
// ON CONFLICT DO NOTHING (UPDATEs, upserts on another key): a failed statement aborts a
// PostgreSQL transaction, and the contract says a Conflict undoes that write only.
const (
	sqlSavepoint = "SAVEPOINT rollcall_write"
	sqlRelease   = "RELEASE SAVEPOINT rollcall_write"
	sqlUndo      = "ROLLBACK TO SAVEPOINT rollcall_write; RELEASE SAVEPOINT rollcall_write"
)

func (t *tx) usable(what string, write bool) error {
	if t.done {
		return errFinished(what)
	}
	if write && t.readOnly {
		return errReadOnly(what)
	}
	return nil
}

// fail translates a driver error and remembers one that dooms the attempt.
func (t *tx) fail(what string, err error) error {
	if t.retry == nil && retryable(err) {
		t.retry = err
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		t.aborted = true
	}
	return translate(t.ctx, what, err)
}

// exec runs a write and returns how many rows it changed.
func (t *tx) exec(what, query string, args ...any) (int64, error) {
	if err := t.usable(what, true); err != nil {
		return 0, err
	}
	var tag pgconn.CommandTag
	res, err := t.statement(query, args...)
	if err == nil {
		tag, err = res.Exec()
		err = closeBatch(res, err)
	}
	if err != nil {
		return 0, t.fail(what, err)
	}
	return tag.RowsAffected(), nil
}

// deferExec queues a write whose result fn needs only as an error (see tx): it goes
// ahead of fn's next statement, or with the COMMIT.
func (t *tx) deferExec(what, query string, args ...any) error {
	if err := t.usable(what, true); err != nil {
		return err
	}
	t.own++
	t.ahead = append(t.ahead, queued{what: what, query: query, args: args})
	return nil
}

// deferRows queues a one-row INSERT (deferExec) that coalesce may send with the others
// of rows waiting ahead, as one statement; spec makes it speculative (see tx).
func (t *tx) deferRows(what string, rows *multiRow, spec bool, query string, args ...any) error {
	if err := t.deferExec(what, query, args...); err != nil {
		return err
	}
	q := &t.ahead[len(t.ahead)-1]
	q.spec, q.rows = spec, rows
	return nil
}

// multiRow is a one-row INSERT's form for many rows: sql, one statement whose
// parameters are arrays, one a column (INSERT ... SELECT unnest($1::text[]), ...: see
// unnestRows), so that it is one shape for any number of rows, prepared and planned
// once per connection. An upsert (ON CONFLICT ... DO UPDATE) may not meet one key twice in one
// statement: key is how many of its first columns are that key, and a row whose key
// is in the statement already goes in a later one.
type multiRow struct {
	sql  string
	cols int
	key  int
}

// unnestRows is the SELECT of the rows of array parameters $1... of types (one a
// column): unnest($n::type[]) each, in the select list, where they run in lockstep, a
// row an element. The multi-argument unnest($1, $2, ...) in FROM returns the same rows,
// but materializes each array in a tuplestore of its own, 16 KB each: 368 KB a
// statement for a user's 23 columns, which the backend's malloc took from the kernel
// and gave back (brk) at every statement, and the pages faulted in again each time.
func unnestRows(types ...string) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, t := range types {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("unnest($" + strconv.Itoa(i+1) + "::" + t + "[])")
	}
	return b.String()
}

// rowKey is the first n of args, comparable, times by their instant.
func rowKey(args []any, n int) [4]any {
	var k [4]any
	for i, v := range args[:n] {
		if tm, ok := v.(time.Time); ok {
			v = tm.UnixNano()
		}
		k[i] = v
	}
	return k
}

// columns turns rows of arguments (each cols long) into one array a column, typed as
// the first row's values are (pgx encodes a typed slice as the parameter's array).
func columns(rows [][]any, cols int) []any {
	out := make([]any, cols)
	for c := range cols {
		switch rows[0][c].(type) {
		case string:
			out[c] = column[string](rows, c)
		case time.Time:
			out[c] = column[time.Time](rows, c)
		case int64:
			out[c] = column[int64](rows, c)
		case int:
			out[c] = column[int](rows, c)
		case bool:
			out[c] = column[bool](rows, c)
		case []byte:
			out[c] = column[[]byte](rows, c)
		default:
			out[c] = column[any](rows, c)
		}
	}
	return out
}

// column is the c-th argument of every row, as a []T; a row whose argument is not a T
// makes it a []any.
func column[T any](rows [][]any, c int) any {
	col := make([]T, len(rows))
	for i, r := range rows {
		v, ok := r[c].(T)
		if !ok {
			return column[any](rows, c)
		}
		col[i] = v
	}
	return col
}

// maxRows bounds the rows of one coalesced INSERT.
const maxRows = maxGroup

// coalesce returns ahead with the INSERTs of one table (the same rows, all speculative
// or none) made one multi-row INSERT, at the place of the first: a group of creates
// inserts its users in one statement, and its audit events in another, so the server
// starts one executor and opens the table's indexes once, not once a create. The
// entries ahead are writes whose answer is only an error and checks, on rows no other
// entry writes (or, for an upsert's rows of one key, in the order they were queued:
// see multiRow.key), so their order is free, but for the fixed ones (savepoints),
// which nothing crosses. What fails still fails the transaction before its COMMIT: a
// taken key fails the multi-row INSERT as it would fail its own (a speculative insert,
// so fn runs again without speculation), a bad row the statement it went in.
func coalesce(ahead []queued) []queued {
	n := 0
	for _, q := range ahead {
		if q.rows != nil {
			n++
		}
	}
	if n < 2 {
		return ahead
	}
	out := make([]queued, 0, len(ahead))
	for start := 0; start < len(ahead); {
		end := start
		for end < len(ahead) && !ahead[end].fixed {
			end++
		}
		out = coalesceRun(out, ahead[start:end])
		if end < len(ahead) {
			out = append(out, ahead[end])
		}
		start = end + 1
	}
	return out
}

// coalesceRun appends run, between fixed entries, to out, its INSERTs coalesced.
func coalesceRun(out, run []queued) []queued {
	taken := make([]bool, len(run))
	for i, q := range run {
		if taken[i] {
			continue
		}
		if q.rows == nil {
			out = append(out, q)
			continue
		}
		var rows [][]any
		var keys map[[4]any]bool
		if q.rows.key > 0 {
			keys = make(map[[4]any]bool)
		}
		for j := i; j < len(run) && len(rows) < maxRows; j++ {
			if taken[j] || run[j].rows != q.rows || run[j].spec != q.spec {
				continue
			}
			if keys != nil {
				k := rowKey(run[j].args, q.rows.key)
				if keys[k] {
					continue // a later statement's: this one has the key
				}
				keys[k] = true
			}
			taken[j] = true
			rows = append(rows, run[j].args)
		}
		if len(rows) > 1 {
			q.query, q.args = q.rows.sql, columns(rows, q.rows.cols)
		}
		out = append(out, q)
	}
	return out
}

// statement sends one statement of fn's: straight on the open transaction, or, when the
// transaction has yet to begin or statements wait ahead (deferred writes, a group's
// savepoint), in one batch with them. The caller reads the statement's one result from
// what it returns, then closes it.
func (t *tx) statement(query string, args ...any) (result, error) {
	t.own++
	if t.single {
		if t.own > 1 {
			return nil, errSecondRead
		}
		if t.conn == nil {
			pc, err := t.pool.acquire(t.ctx)
			if err != nil {
				return nil, err
			}
			t.pc, t.conn = pc, pc.conn
		}
		return direct{t.ctx, t.conn, query, args}, nil
	}
	if t.tx != nil && len(t.ahead) == 0 && t.save == nil {
		return direct{t.ctx, t.tx, query, args}, nil
	}
	b := t.batch()
	b.Queue(query, args...)
	return t.send(b)
}

// result is where a statement's result is read: a batch's (pgx.BatchResults has these
// methods) or direct's.
type result interface {
	Exec() (pgconn.CommandTag, error)
	Query() (pgx.Rows, error)
	QueryRow() pgx.Row
	Close() error
}

// direct is one statement run on the open transaction (or, in a ViewOne, on the
// connection) when its result is read, in the shape of a one-statement batch, so the
// callers of statement read both alike.
type direct struct {
	ctx   context.Context
	tx    querier
	query string
	args  []any
}

// querier is a pgx.Tx or a *pgx.Conn.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// errSecondRead is a ViewOne's second statement.
var errSecondRead = errors.New("postgres: a second read in a ViewOne, which runs one statement alone")

func (d direct) Exec() (pgconn.CommandTag, error) { return d.tx.Exec(d.ctx, d.query, d.args...) }
func (d direct) Query() (pgx.Rows, error)         { return d.tx.Query(d.ctx, d.query, d.args...) }
func (d direct) QueryRow() pgx.Row                { return d.tx.QueryRow(d.ctx, d.query, d.args...) }
func (d direct) Close() error                     { return nil }

// batch returns a new batch; the first of the transaction begins it, and what waits
// ahead, if anything, comes before the caller's statements.
func (t *tx) batch() *pgx.Batch {
	if t.save != nil {
		t.ahead = slices.Insert(t.ahead, t.mark, t.save...)
		t.save = nil
	}
	b := &pgx.Batch{}
	if t.tx == nil {
		b.BeginTx(t.opts)
	}
	t.ahead = coalesce(t.ahead)
	for _, q := range t.ahead {
		b.Queue(q.query, q.args...)
	}
	return b
}

// send sends b and reads the results of what batch put ahead of the caller's statements
// (the BEGIN, when b begins the transaction, and t.ahead), so that the caller reads
// the results of its own statements only.
func (t *tx) send(b *pgx.Batch) (pgx.BatchResults, error) {
	var br pgx.BatchResults
	began := t.tx == nil
	if began {
		br = t.conn.SendBatch(t.ctx, b)
		t.tx = br.Tx()
	} else {
		br = t.tx.SendBatch(t.ctx, b)
	}
	ahead := t.ahead
	t.ahead, t.sent = nil, true
	if began {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			if !t.readOnly && t.retry == nil && pgconn.SafeToRetry(err) && t.ctx.Err() == nil {
				t.retry = err // nothing reached the server (a dead connection): run fn again
			}
			return nil, err
		}
	}
	for _, q := range ahead {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			t.doomed, t.aheadCause = true, err
			if pe, ok := errors.AsType[*pgconn.PgError](err); ok && q.spec && !retryable(err) && !connectionClass(pe.Code) {
				t.specFailed = true // the server refused it: the outcome is known
			}
			if pe, ok := errors.AsType[*pgconn.PgError](err); ok && pe.Code == codeDivisionByZero && q.checks != "" {
				t.dropStale(&q) // stale: read it afresh when fn runs again
				if t.retry == nil {
					t.retry = errStale
				}
			}
			return nil, aheadErr(q, err) // the caller's statement fails with it (and so fn's Update)
		}
	}
	t.checked.allSent()
	return br, nil
}

// checkRead sends what waits ahead if fn's own statements there hold a directory cache
// check or a speculative insert, or fn answered from a check queued earlier: an fn that fails must not answer from a stale cache or
// a speculative nil. A stale row sets t.retry, a refused insert t.specFailed, as at any
// send.
func (t *tx) checkRead() error {
	own := t.ahead
	if !t.sent { // what is ahead of mark is earlier requests' (a group's carry)
		own = t.ahead[min(t.mark, len(t.ahead)):]
	}
	if !t.leansOnCheck && !slices.ContainsFunc(own, func(q queued) bool { return q.checks != "" || q.spec && !q.sure }) {
		return nil
	}
	br, err := t.send(t.batch())
	if err == nil {
		err = br.Close()
	}
	return err
}

// aheadErr is the error of a statement sent ahead of the caller's, for the caller to
// fail with: a serialization failure or a lost connection as it is (the caller's
// Update retries or settles it as its own), anything else Internal, never the
// caller's NotFound or Conflict.
func aheadErr(q queued, err error) error {
	if retryable(err) || connectionLost(err) || pgconn.SafeToRetry(err) {
		return err
	}
	what := q.what
	if what == "" {
		what = q.query
	}
	return fmt.Errorf("postgres: %s, sent ahead: %v", what, err)
}

// closeBatch closes br and returns err, or the error of closing when err is nil.
func closeBatch(br result, err error) error {
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}

// insert runs an INSERT ... ON CONFLICT DO NOTHING: no row inserted is Conflict. It
// needs no savepoint, since nothing fails: the transaction stays usable.
func (t *tx) insert(what, query string, args ...any) error {
	n, err := t.exec(what, query, args...)
	if err == nil && n == 0 {
		return conflict(what, nil)
	}
	return err
}

// insertSpec runs query, an INSERT, speculatively when t.spec (see tx), else as insert
// does, with ON CONFLICT DO NOTHING.
func (t *tx) insertSpec(what, query string, args ...any) error {
	return t.insertSpecRows(what, nil, query, args...)
}

// insertSpecRows is insertSpec of query, rows' one-row INSERT: speculative, it goes out
// with the INSERTs of the same table waiting ahead, as one statement.
func (t *tx) insertSpecRows(what string, rows *multiRow, query string, args ...any) error {
	if t.spec {
		return t.deferRows(what, rows, true, query, args...)
	}
	return t.insert(what, query+` ON CONFLICT DO NOTHING`, args...)
}

// execOne runs a write that must change one row: none is NotFound.
func (t *tx) execOne(what, query string, args ...any) error {
	n, err := t.exec(what, query, args...)
	if err == nil && n == 0 {
		return notFound(what)
	}
	return err
}

// execGuarded runs a write that may break a unique constraint inside a savepoint, all
// three statements in one round trip; a Conflict rolls back to the savepoint, so the
// transaction carries on as if the statement had not run. None changed is NotFound
// when mustChange.
func (t *tx) execGuarded(what string, mustChange bool, query string, args ...any) error {
	if err := t.usable(what, true); err != nil {
		return err
	}
	b := t.batch()
	b.Queue(sqlSavepoint)
	b.Queue(query, args...)
	b.Queue(sqlRelease)
	var tag pgconn.CommandTag
	br, err := t.send(b)
	if err == nil {
		_, err = br.Exec()
		if err == nil {
			tag, err = br.Exec()
		}
		if err == nil {
			_, err = br.Exec()
		}
		err = closeBatch(br, err)
	}
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == codeUniqueViolation && t.tx != nil {
			if _, uerr := t.tx.Exec(t.ctx, sqlUndo); uerr != nil {
				return t.fail("undo "+what, uerr)
			}
			aborted := t.aborted
			err = t.fail(what, err)
			t.aborted = aborted // undone: the transaction carries on
			return err
		}
		return t.fail(what, err)
	}
	if mustChange && tag.RowsAffected() == 0 {
		return notFound(what)
	}
	return nil
}

// get scans the one row query returns; none is NotFound.
func get[T any](t *tx, what string, scan func(pgx.Row) (*T, error), query string, args ...any) (*T, error) {
	if err := t.usable(what, false); err != nil {
		return nil, err
	}
	var v *T
	res, err := t.statement(query, args...)
	if err == nil {
		v, err = scan(res.QueryRow())
		err = closeBatch(res, err)
	}
	if err != nil {
		return nil, t.fail(what, err)
	}
	return v, nil
}

// list scans every row query returns.
func list[T any](t *tx, what string, scan func(pgx.Row) (*T, error), query string, args ...any) ([]*T, error) {
	if err := t.usable(what, false); err != nil {
		return nil, err
	}
	var rows pgx.Rows
	res, err := t.statement(query, args...)
	if err == nil {
		rows, err = res.Query()
		defer func() { _ = res.Close() }() // after rows.Close: the rows are the batch's last result
	}
	if err != nil {
		return nil, t.fail(what, err)
	}
	defer rows.Close()
	out, err := rowset.Collect(rows, func(r pgx.Rows) (*T, error) { return scan(r) })
	if err != nil {
		return nil, t.fail(what, err)
	}
	return out, nil
}

// where builds the WHERE clause and arguments of a filtered listing.
type where struct {
	conds []string
	args  []any
}

// add appends a condition; "?" in cond stands for arg.
func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1))
}

// sql returns "WHERE ... ORDER BY ... [LIMIT $n]".
func (w *where) sql(orderBy string, limit int) string {
	var b strings.Builder
	if len(w.conds) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(w.conds, " AND "))
	}
	b.WriteString(" ORDER BY ")
	b.WriteString(orderBy)
	if limit > 0 {
		w.args = append(w.args, limit)
		b.WriteString(" LIMIT $" + strconv.Itoa(len(w.args)))
	}
	return b.String()
}
