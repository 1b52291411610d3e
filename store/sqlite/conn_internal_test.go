package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// mustRawConn is a connection of its own on a new database file, with table t.
func mustRawConn(t *testing.T) (c *dbConn, path string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "conn.db")
	c = mustConnOf(t, openDB(path, "journal_mode(WAL)", "synchronous(FULL)"), newConn)
	if _, err := c.exec(context.Background(), `CREATE TABLE t (a TEXT PRIMARY KEY, b INTEGER, c TEXT)`); err != nil {
		t.Fatal(err)
	}
	return c, path
}

// mustConnOf takes a connection out of db with newc; both are closed at the test's end.
func mustConnOf(t *testing.T, db *sql.DB, newc func(context.Context, *sql.DB) (*dbConn, error)) *dbConn {
	t.Helper()
	t.Cleanup(func() { db.Close() })
	c, err := newc(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.close(); err != nil {
			t.Error(err)
		}
	})
	return c
}

type label string

// TestExecDriverDirect: exec runs on the driver's connection, with database/sql's
// argument rules (conversion of other types, the count checked), and a statement costs
// the writer no allocation beyond the driver's own (through database/sql it cost
// several more: its arguments, its result).
func TestExecDriverDirect(t *testing.T) {
	ctx := context.Background()
	c, _ := mustRawConn(t)
	const ins = `INSERT INTO t (a, b, c) VALUES (?, ?, ?)`
	res, err := c.exec(ctx, ins, label("x"), 7, "y") // a named string type and an int convert
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("RowsAffected = %d, %v; want 1", n, err)
	}
	var a, cc string
	var b int64
	if err := c.queryRow(ctx, `SELECT a, b, c FROM t`).Scan(&a, &b, &cc); err != nil || a != "x" || b != 7 || cc != "y" {
		t.Fatalf("row = %q, %d, %q, %v", a, b, cc, err)
	}
	if _, err := c.exec(ctx, ins, "z", int64(1)); err == nil { // database/sql's message, or modernc's
		t.Errorf("two arguments for three: %v", err)
	}
	if _, err := c.exec(ctx, ins, "z", struct{}{}, "y"); err == nil || !strings.Contains(err.Error(), "converting argument $2") {
		t.Errorf("an argument of no driver type: %v", err)
	}
	_, err = c.exec(ctx, ins, "x", int64(1), "y")
	if code, _ := errCode(err); code != sqliteConstraintPrimaryKey {
		t.Errorf("a taken key: %v (code %d)", err, code)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.exec(canceled, ins, "w", int64(1), "y"); err != context.Canceled {
		t.Errorf("a canceled context: %v", err)
	}

	const upd = `UPDATE t SET b = b + 1 WHERE a = ?`
	args := []any{"x"}
	if _, err := c.exec(ctx, upd, args...); err != nil {
		t.Fatal(err)
	}
	nv := []driver.NamedValue{{Ordinal: 1, Value: "x"}}
	driverOnly := testing.AllocsPerRun(200, func() {
		if err := c.conn.Raw(func(any) error { _, err := c.raw[upd].ExecContext(ctx, nv); return err }); err != nil {
			t.Fatal(err)
		}
	})
	if n := testing.AllocsPerRun(200, func() {
		if _, err := c.exec(ctx, upd, args...); err != nil {
			t.Fatal(err)
		}
	}); n > driverOnly {
		t.Errorf("an UPDATE through exec allocates %v times, the driver's statement alone %v", n, driverOnly)
	}
}

// TestDataVersionDriverDirect: the writer reads PRAGMA data_version at every batch on
// the driver's connection, at the cost of the driver's rows alone (through
// database/sql's QueryRow and Scan it cost 15 allocations on the cgo driver), and sees
// another connection's commit.
func TestDataVersionDriverDirect(t *testing.T) {
	ctx := context.Background()
	c, path := mustRawConn(t)
	v0, err := c.queryInt(ctx, "PRAGMA data_version")
	if err != nil {
		t.Fatal(err)
	}
	otherDB := openDB(path)
	defer otherDB.Close()
	other, err := newConn(ctx, otherDB)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.exec(ctx, `INSERT INTO t (a, b, c) VALUES ('o', 1, '')`); err != nil {
		t.Fatal(err)
	}
	other.close()
	if v1, err := c.queryInt(ctx, "PRAGMA data_version"); err != nil || v1 == v0 {
		t.Errorf("data_version after another connection's commit = %d, %v; before %d", v1, err, v0)
	}
	if _, err := c.queryInt(ctx, "SELECT 'text'"); err == nil {
		t.Error("queryInt of a text: no error")
	}
	driverOnly := testing.AllocsPerRun(200, func() {
		if err := c.conn.Raw(func(any) error {
			rows, err := c.raw["PRAGMA data_version"].QueryContext(ctx, nil)
			if err != nil {
				return err
			}
			return errors.Join(rows.Next(c.row), rows.Close())
		}); err != nil {
			t.Fatal(err)
		}
	})
	var d dirCache
	var tokens tokenCache
	d.begin(ctx, c, &tokens)
	if n := testing.AllocsPerRun(200, func() { d.begin(ctx, c, &tokens) }); n > driverOnly {
		t.Errorf("a batch's data_version check allocates %v times, the driver's query alone %v", n, driverOnly)
	}
}

// endingCtx is a context that has ended for whoever waits on it (Done is closed) but not
// for whoever asks (Err is nil): a caller's context that ends while its statement runs,
// without the timing.
type endingCtx struct{ context.Context }

var closedDone = func() chan struct{} { ch := make(chan struct{}); close(ch); return ch }()

func (endingCtx) Done() <-chan struct{} { return closedDone }

// TestOwnedConnIgnoresEndingContext: a connection of the write pool, opened without its
// mutex, never runs a statement on a context that can end, so neither the driver (which
// would interrupt the statement from another goroutine) nor database/sql (which would
// close its Rows from another) calls into it from a second goroutine. Each statement here
// steps through 300,000 rows; on a context watched, it would be interrupted or its rows
// closed under it. A context that has already ended still stops a statement before it
// starts.
func TestOwnedConnIgnoresEndingContext(t *testing.T) {
	c := mustConnOf(t, openOwnedDB(filepath.Join(t.TempDir(), "owned.db"), "journal_mode(WAL)", "synchronous(FULL)"), newOwnedConn)
	const rows = 300000
	ctx := endingCtx{context.Background()}
	if _, err := c.exec(ctx, `CREATE TABLE n AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 300000) SELECT i FROM c`); err != nil {
		t.Fatalf("exec: %v", err)
	}
	var n int64
	if err := c.queryRow(context.Background(), `SELECT count(*) FROM n`).Scan(&n); err != nil || n != rows {
		t.Fatalf("after exec: %d rows, %v; want %d", n, err, rows)
	}
	var sum int64
	if err := c.queryRow(ctx, `SELECT sum(a.i % 7) FROM n a JOIN n b ON b.i = a.i`).Scan(&sum); err != nil || sum != 899998 {
		t.Fatalf("queryRow: %d, %v; want 899998", sum, err)
	}
	rs, err := c.query(ctx, `SELECT i FROM n ORDER BY i DESC`)
	if err != nil {
		t.Fatal(err)
	}
	n = 0
	for rs.Next() {
		n++
	}
	if err := errors.Join(rs.Err(), rs.Close()); err != nil || n != rows {
		t.Fatalf("query: %d rows, %v; want %d", n, err, rows)
	}
	if _, err := c.queryInt(ctx, `SELECT count(*) FROM n a JOIN n b ON b.i = a.i`); err != nil {
		t.Fatalf("queryInt: %v", err)
	}

	ended, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.exec(ended, `DELETE FROM n`); !errors.Is(err, context.Canceled) {
		t.Errorf("exec on an ended context: %v, want context.Canceled", err)
	}
	if err := c.queryRow(ended, `SELECT count(*) FROM n`).Scan(&n); !errors.Is(err, context.Canceled) {
		t.Errorf("queryRow on an ended context: %v, want context.Canceled", err)
	}
	if _, err := c.query(ended, `SELECT i FROM n`); !errors.Is(err, context.Canceled) {
		t.Errorf("query on an ended context: %v, want context.Canceled", err)
	}
	if err := c.queryRow(context.Background(), `SELECT count(*) FROM n`).Scan(&n); err != nil || n != rows {
		t.Fatalf("at the end: %d rows, %v; want %d", n, err, rows)
	}
}
