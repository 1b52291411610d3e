//go:build cgo

package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// The cgo driver, github.com/mattn/go-sqlite3 (SQLite's C library), for a build with
// cgo, the default where a C compiler is found: it does the writer's work in under half
// the instructions of modernc.org/sqlite. driver_modernc.go is the other one; each
// says, for its driver, how to open a pool, read an error's code and back a database up.

var cDriver = &sqlite3.SQLiteDriver{}

// connector opens a connection and runs its pragmas on it, in order: the driver's DSN
// has parameters for some pragmas only, and would set synchronous=NORMAL for us.
type connector struct {
	dsn     string
	pragmas []string
	grow    string // a write connection's database, which it grows in chunks (chunkFor)
}

func (c connector) Connect(context.Context) (driver.Conn, error) {
	conn, err := cDriver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	for _, p := range c.pragmas {
		if _, err := conn.(*sqlite3.SQLiteConn).Exec("PRAGMA "+p, nil); err != nil {
			return nil, errors.Join(err, conn.Close())
		}
	}
	if c.grow != "" {
		if n := chunkFor(c.grow); n > 0 {
			if err := conn.(*sqlite3.SQLiteConn).SetFileControlInt("main", sqlite3.SQLITE_FCNTL_CHUNK_SIZE, n); err != nil {
				return nil, errors.Join(err, conn.Close())
			}
		}
	}
	return conn, nil
}

func (c connector) Driver() driver.Driver { return cDriver }

// openDB returns a pool on the file at path whose every connection runs pragmas first,
// in order. It cannot fail: a connection is opened when the pool needs one.
func openDB(path string, pragmas ...string) *sql.DB {
	return sql.OpenDB(connector{dsn: fileURI(path), pragmas: pragmas})
}

// openOwnedDB is openDB for a pool whose connections are owned (see dbConn.owned): the
// write pool's two, the writer's and the checkpointer's. They are opened without their
// mutex (SQLITE_OPEN_NOMUTEX, the driver's _mutex=no), which every call into SQLite
// would lock and unlock, a bind as much as a step: about 13k instructions of a Chime
// create. That is safe only while no two goroutines call into one connection at once.
// An owned connection has one user goroutine at a time (the writer; the checkpointer,
// under its mutex; Close and a restore only after both have stopped), and dbConn hands
// the driver no context that can end, so neither the driver (sqlite3_interrupt from a
// goroutine of its own, which takes no mutex in any mode anyway) nor database/sql (which
// closes a statement's Rows from a goroutine of its own when its context ends) ever
// calls into it from another goroutine. The read pool keeps its mutex: Views run on
// their callers' contexts. Both connections grow the file in chunks (chunkFor): each
// checkpoints, and SQLite truncates the file to the database's size after a checkpoint
// on a connection without one. Their WAL writes are buffered until the WAL is synced
// (walvfs_cgo.go).
func openOwnedDB(path string, pragmas ...string) *sql.DB {
	dsn := fileURI(path) + "?_mutex=no"
	if vfs := walVFS(); vfs != "" {
		dsn += "&vfs=" + vfs
	}
	return sql.OpenDB(connector{dsn: dsn, pragmas: pragmas, grow: path})
}

// errCode is the extended result code of a driver error.
func errCode(err error) (int, bool) {
	var se sqlite3.Error
	if errors.As(err, &se) {
		if se.ExtendedCode == 0 { // a backup's error carries the primary code only
			return int(se.Code), true
		}
		return int(se.ExtendedCode), true
	}
	return 0, false
}

// backupTo copies the database of src to the new file to, in one step (one read
// transaction), with no journal and no fsync: the copy is nobody's until the caller
// syncs and renames it.
func backupTo(ctx context.Context, src *sql.Conn, to string) error {
	db := openDB(to, "journal_mode(off)", "synchronous(off)")
	defer db.Close()
	dst, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer dst.Close()
	return dst.Raw(func(d any) error {
		return src.Raw(func(s any) error {
			b, err := d.(*sqlite3.SQLiteConn).Backup("main", s.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			done, err := b.Step(-1)
			if err == nil && !done {
				err = sqlite3.Error{Code: sqlite3.ErrBusy} // the driver's Step says SQLITE_BUSY and SQLITE_LOCKED so
			}
			return errors.Join(err, b.Finish())
		})
	})
}
