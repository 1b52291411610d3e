package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// dbConn is one connection taken out of a pool for good, with its own cache of
// prepared statements: each SQL string is prepared once per connection, then reused.
// It is used by one goroutine at a time (the writer, or the View holding it).
type dbConn struct {
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
}

func newConn(ctx context.Context, db *sql.DB) (*dbConn, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &dbConn{conn: conn, stmts: make(map[string]*sql.Stmt)}, nil
}

// maxStmts bounds a connection's statement cache: user queries are built per request
// (store/userquery), so their SQL strings vary with the filters and sorts clients send.
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
	st, err := c.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// exec runs a statement that answers no rows. One that answers rows (a PRAGMA that
// reports, RETURNING) goes through query or queryRow: the cgo driver leaves an exec'd
// statement on its first row, still running (a write then blocks the next SAVEPOINT).
func (c *dbConn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *dbConn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow is QueryRowContext on the cached statement; a failure to prepare is
// reported by Scan, as database/sql reports every other QueryRow error.
func (c *dbConn) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// close closes the statements and gives the connection back to its pool (which Close
// of the pool then closes).
func (c *dbConn) close() error {
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, q)
	}
	errs = append(errs, c.conn.Close())
	return errors.Join(errs...)
}

type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
