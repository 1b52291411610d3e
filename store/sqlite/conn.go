package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
)

// dbConn is one connection taken out of a pool for good, with its own caches of
// prepared statements: each SQL string is prepared once per connection, then reused.
// It is used by one goroutine at a time (the writer, or the View holding it).
//
// Statements that answer no rows (exec) and the one-integer PRAGMAs (queryInt) run on
// the driver's connection directly (Conn.Raw), on statements the driver prepared: the
// writer runs every statement of every create so, and database/sql's Stmt costs each
// one a few allocations (its arguments, its result), a context check and its locks on
// the way to the same driver call. Statements that answer rows go through database/sql,
// whose Rows and Scan convert the columns.
type dbConn struct {
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
	raw   map[string]rawStmt
	args  []driver.NamedValue // a raw statement's arguments, reused
	row   []driver.Value      // queryInt's row, reused
	// owned: a connection of openOwnedDB's, opened without its mutex. Its statements
	// run on no context that can end (see owner), so no goroutine but its user's ever
	// calls into it.
	owned bool
}

// rawStmt is a statement the driver prepared; both drivers' statements are all three.
type rawStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

func newConn(ctx context.Context, db *sql.DB) (*dbConn, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &dbConn{conn: conn, stmts: make(map[string]*sql.Stmt), raw: make(map[string]rawStmt)}, nil
}

// newOwnedConn is newConn for a pool of openOwnedDB's.
func newOwnedConn(ctx context.Context, db *sql.DB) (*dbConn, error) {
	c, err := newConn(ctx, db)
	if err == nil {
		c.owned = true
	}
	return c, err
}

// owner is the context a statement of c runs on: ctx, or on an owned connection ctx
// without its end (its values kept). Given a context that can end, the driver steps a
// statement on a goroutine of its own and calls sqlite3_interrupt from another when the
// context ends, and database/sql closes a query's Rows from a third: on a connection
// without its mutex, calls into SQLite from two goroutines at once. The writer runs
// every statement on context.Background() already (an interrupted statement could roll
// back a whole batch); this makes sure no other caller slips one in. A context that has
// already ended still stops a statement before it starts (withRaw, database/sql).
func (c *dbConn) owner(ctx context.Context) context.Context {
	if c.owned && ctx.Done() != nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// maxStmts bounds each of a connection's statement caches: user queries are built per
// request (store/userquery), so their SQL strings vary with the filters and sorts
// clients send.
const maxStmts = 512

// stmt returns the prepared statement for query, preparing it on first use. ctx only
// bounds the preparation, so a statement outlives the request that prepared it. A full
// cache is emptied first: no statement of this connection is in use between calls (the
// connection's one user reads every result before its next statement).
func (c *dbConn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	if len(c.stmts) >= maxStmts {
		for q, st := range c.stmts {
			st.Close()
			delete(c.stmts, q)
		}
	}
	st, err := c.conn.PrepareContext(c.owner(ctx), query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// rawStmt is stmt for the driver's statements; dc is the driver's connection, inside
// Conn.Raw.
func (c *dbConn) rawStmt(ctx context.Context, dc any, query string) (rawStmt, error) {
	if st, ok := c.raw[query]; ok {
		return st, nil
	}
	if len(c.raw) >= maxStmts {
		c.closeRaw()
	}
	var ds driver.Stmt
	var err error
	if p, ok := dc.(driver.ConnPrepareContext); ok {
		ds, err = p.PrepareContext(ctx, query)
	} else {
		ds, err = dc.(driver.Conn).Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	st, ok := ds.(rawStmt)
	if !ok {
		return nil, errors.Join(fmt.Errorf("sqlite: the driver's statement %T cannot run with a context", ds), ds.Close())
	}
	c.raw[query] = st
	return st, nil
}

// closeRaw closes the driver's statements; inside Conn.Raw.
func (c *dbConn) closeRaw() error {
	var errs []error
	for q, st := range c.raw {
		errs = append(errs, st.Close())
		delete(c.raw, q)
	}
	return errors.Join(errs...)
}

// bind converts args as database/sql does for a driver that checks no values itself
// (neither does), into c.args; the caller clears them after the statement.
func (c *dbConn) bind(st rawStmt, args []any) ([]driver.NamedValue, error) {
	if n := st.NumInput(); n >= 0 && n != len(args) {
		return nil, fmt.Errorf("sql: expected %d arguments, got %d", n, len(args))
	}
	nv := c.args[:0]
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			clear(nv)
			return nil, fmt.Errorf("sql: converting argument $%d type: %w", i+1, err)
		}
		nv = append(nv, driver.NamedValue{Ordinal: i + 1, Value: v})
	}
	c.args = nv[:0]
	return nv, nil
}

// withRaw runs f with query's driver statement, on the driver's connection.
func (c *dbConn) withRaw(ctx context.Context, query string, f func(context.Context, rawStmt) error) error {
	if err := ctx.Err(); err != nil {
		return err // as database/sql: a statement whose context has ended does not run
	}
	ctx = c.owner(ctx)
	return c.conn.Raw(func(dc any) error {
		st, err := c.rawStmt(ctx, dc, query)
		if err != nil {
			return err
		}
		return f(ctx, st)
	})
}

// exec runs a statement that answers no rows. One that answers rows (a PRAGMA that
// reports, RETURNING) goes through query, queryRow or queryInt: the cgo driver leaves
// an exec'd statement on its first row, still running (a write then blocks the next
// SAVEPOINT). query must be one statement: the driver prepares the first only.
func (c *dbConn) exec(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	err = c.withRaw(ctx, query, func(ctx context.Context, st rawStmt) error {
		nv, err := c.bind(st, args)
		if err != nil {
			return err
		}
		r, err := st.ExecContext(ctx, nv)
		clear(nv)
		if err != nil {
			return err
		}
		res = r
		return nil
	})
	return res, err
}

// queryInt runs a statement that answers one row of one integer (a PRAGMA that
// reports one).
func (c *dbConn) queryInt(ctx context.Context, query string) (v int64, err error) {
	err = c.withRaw(ctx, query, func(ctx context.Context, st rawStmt) error {
		rows, err := st.QueryContext(ctx, nil)
		if err != nil {
			return err
		}
		if c.row == nil {
			c.row = make([]driver.Value, 1)
		}
		err = rows.Next(c.row)
		if err == io.EOF {
			err = sql.ErrNoRows
		}
		if err == nil {
			var ok bool
			if v, ok = c.row[0].(int64); !ok {
				err = fmt.Errorf("sqlite: %s answered %T, not an integer", query, c.row[0])
			}
		}
		c.row[0] = nil
		return errors.Join(err, rows.Close())
	})
	return v, err
}

func (c *dbConn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := c.ended(ctx); err != nil {
		return nil, err
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(c.owner(ctx), args...)
}

// ended is ctx's error on an owned connection, where owner hides it from database/sql.
func (c *dbConn) ended(ctx context.Context) error {
	if c.owned {
		return ctx.Err()
	}
	return nil
}

// queryRow is QueryRowContext on the cached statement; a failure to prepare is
// reported by Scan, as database/sql reports every other QueryRow error.
func (c *dbConn) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	if err := c.ended(ctx); err != nil {
		return errRow{err}
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(c.owner(ctx), args...)
}

// close closes the statements and gives the connection back to its pool (which Close
// of the pool then closes).
func (c *dbConn) close() error {
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, q)
	}
	if len(c.raw) > 0 {
		errs = append(errs, c.conn.Raw(func(any) error { return c.closeRaw() }))
	}
	errs = append(errs, c.conn.Close())
	return errors.Join(errs...)
}

type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
