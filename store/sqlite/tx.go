package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
)

// tx implements rollcall.Tx on one connection inside a transaction: the writer's, for
// an Update (w set), or a read connection's, for a View.
type tx struct {
	ctx context.Context
	c   *dbConn // in a View, nil until its first statement (conn)
	w   *writer // nil in a View: write methods fail

	// view is the Store of a View, which takes its read connection and begins its
	// transaction at its first statement; gen is the token cache's generation then
	// (see tokenCache).
	view *Store
	gen  uint64
	// single is set in a ViewOne, whose one read may be answered from the token cache;
	// read says it has made it (a second fails).
	single, read bool

	// savepoint is set once this Update has opened its savepoint. It is opened before
	// the first write, so an Update that only reads, or fails before it writes, costs
	// the batch nothing; and only in a careful batch (writer.careful): in the others an
	// Update runs without one, and wrote says whether it has changed a row, which its
	// failure then undoes by rolling the whole batch back (see writer.commit).
	savepoint bool
	wrote     bool
	done      bool // fn has returned; the Tx must not be used any more
}

var _ rollcall.Tx = (*tx)(nil)

// Savepoint statements; the name is fixed because savepoints never nest here.
const (
	sqlSavepoint  = "SAVEPOINT req"
	sqlRollbackTo = "ROLLBACK TO req"
	sqlRelease    = "RELEASE req"
)

// args is an empty slice to build a write's arguments in: in an Update, the writer's,
// reused by every statement (no driver keeps the arguments after the call); the caller
// gives it back with doneArgs.
func (t *tx) args() []any {
	if t.w == nil {
		return nil
	}
	return t.w.args[:0]
}

// doneArgs gives args back to the writer, cleared so that it keeps no value alive.
func (t *tx) doneArgs(args []any) {
	if t.w != nil {
		clear(args)
		t.w.args = args[:0]
	}
}

// write runs a statement that changes the database.
func (t *tx) write(what, query string, args ...any) (sql.Result, error) {
	if t.w == nil {
		return nil, errReadOnly(what)
	}
	if t.done {
		return nil, errFinished(what)
	}
	if !t.savepoint && t.w.savepoints {
		if _, err := t.c.exec(t.ctx, sqlSavepoint); err != nil {
			t.w.poison(err)
			return nil, internal("savepoint", err)
		}
		t.savepoint = true
	}
	res, err := t.c.exec(t.ctx, query, args...)
	if err != nil {
		// A statement that fails changes nothing: SQLite undoes its own changes (a
		// statement journal inside BEGIN), or the error ends the transaction (fail).
		return nil, t.fail(what, err)
	}
	if !t.savepoint && !t.wrote {
		// A statement that changed no row (an UPDATE or DELETE that matched none) leaves
		// nothing to undo: no trigger fires without a changed row.
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			t.wrote = true
		}
	}
	return res, nil
}

// writeOne runs a statement that must change one row: none is NotFound.
func (t *tx) writeOne(what, query string, args ...any) error {
	res, err := t.write(what, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return internal(what, err)
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

// fail translates a driver error and, in an Update, tells the writer when the error
// may have ended the transaction.
func (t *tx) fail(what string, err error) error {
	if t.w != nil && endsTransaction(err) {
		t.w.poison(err)
	}
	return translate(what, err)
}

// get scans the one row query returns; none is NotFound.
func (t *tx) get(what string, scan func(rowScanner) error, query string, args ...any) error {
	if t.done {
		return errFinished(what)
	}
	if err := t.conn(); err != nil {
		return err
	}
	if err := scan(t.c.queryRow(t.ctx, query, args...)); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return notFound(what)
		}
		return t.fail(what, err)
	}
	return nil
}

// conn makes sure a View has its connection and transaction: the first statement takes
// a read connection and begins (a View answered from caches takes none). BEGIN is
// deferred in SQLite anyway: the snapshot is that of the first read either way.
func (t *tx) conn() error {
	if t.single {
		if t.read {
			return errSecondRead
		}
		t.read = true
	}
	if t.c != nil || t.view == nil {
		return nil
	}
	c, err := t.view.takeReader(t.ctx)
	if err != nil {
		return err
	}
	t.gen = t.view.tokens.generation() // before the snapshot (see tokenCache)
	if _, err := c.exec(t.ctx, "BEGIN"); err != nil {
		c.close()
		t.view.readers <- nil
		return translate("begin", err)
	}
	t.c = c
	return nil
}

// one scans the one row query returns; no row is NotFound.
func one[T any](t *tx, what string, scan func(rowScanner) (*T, error), query string, args ...any) (v *T, err error) {
	err = t.get(what, func(s rowScanner) (err error) { v, err = scan(s); return err }, query, args...)
	return v, err
}

// list scans every row query returns.
func list[T any](t *tx, what string, scan func(rowScanner) (*T, error), query string, args ...any) ([]*T, error) {
	if t.done {
		return nil, errFinished(what)
	}
	if err := t.conn(); err != nil {
		return nil, err
	}
	rows, err := t.c.query(t.ctx, query, args...)
	if err != nil {
		return nil, t.fail(what, err)
	}
	defer rows.Close()
	out, err := rowset.Collect(rows, func(r *sql.Rows) (*T, error) { return scan(r) })
	if err != nil {
		return nil, t.fail(what, err)
	}
	return out, nil
}
