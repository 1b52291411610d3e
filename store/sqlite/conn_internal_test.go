package sqlite

import (
	"context"
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
	db := openDB(path, "journal_mode(WAL)", "synchronous(FULL)")
	t.Cleanup(func() { db.Close() })
	c, err := newConn(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.close(); err != nil {
			t.Error(err)
		}
	})
	if _, err := c.exec(context.Background(), `CREATE TABLE t (a TEXT PRIMARY KEY, b INTEGER, c TEXT)`); err != nil {
		t.Fatal(err)
	}
	return c, path
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
