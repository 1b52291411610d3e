package sqlite

import (
	"testing"

	sqlite3 "modernc.org/sqlite/lib"
)

// TestClassify: every failure of the disk, the file system or the machine is Unavailable
// with a message that says which; a damaged file is not (Internal).
func TestClassify(t *testing.T) {
	for code, want := range map[int]string{
		sqlite3.SQLITE_BUSY: msgBusy, sqlite3.SQLITE_BUSY_SNAPSHOT: msgBusy, sqlite3.SQLITE_LOCKED_SHAREDCACHE: msgBusy,
		sqlite3.SQLITE_FULL: msgFull, sqlite3.SQLITE_IOERR_SHMSIZE: msgFull,
		sqlite3.SQLITE_IOERR: msgIO, sqlite3.SQLITE_IOERR_WRITE: msgIO, sqlite3.SQLITE_IOERR_FSYNC: msgIO,
		sqlite3.SQLITE_IOERR_READ: msgIO, sqlite3.SQLITE_IOERR_SHORT_READ: msgIO, sqlite3.SQLITE_IOERR_TRUNCATE: msgIO,
		sqlite3.SQLITE_IOERR_SHMMAP: msgIO, sqlite3.SQLITE_IOERR_SHMOPEN: msgIO, sqlite3.SQLITE_IOERR_SHMLOCK: msgIO,
		sqlite3.SQLITE_IOERR_LOCK: msgIO, sqlite3.SQLITE_IOERR_DELETE: msgIO, sqlite3.SQLITE_IOERR_MMAP: msgIO,
		sqlite3.SQLITE_IOERR_DIR_FSYNC: msgIO, sqlite3.SQLITE_IOERR_CORRUPTFS: msgIO,
		sqlite3.SQLITE_CANTOPEN: msgIO, sqlite3.SQLITE_READONLY_RECOVERY: msgIO, sqlite3.SQLITE_READONLY_DBMOVED: msgIO,
		sqlite3.SQLITE_PROTOCOL: msgIO,
		sqlite3.SQLITE_NOMEM:    msgMemory, sqlite3.SQLITE_IOERR_NOMEM: msgMemory,
		sqlite3.SQLITE_CORRUPT: "", sqlite3.SQLITE_NOTADB: "", sqlite3.SQLITE_CONSTRAINT_CHECK: "", sqlite3.SQLITE_ERROR: "",
	} {
		if got := classify(code); got != want {
			t.Errorf("classify(%d) = %q, want %q", code, got, want)
		}
	}
}

// TestCodes: the result codes errors.go uses are SQLite's.
func TestCodes(t *testing.T) {
	for got, want := range map[int]int{
		sqliteAbort: sqlite3.SQLITE_ABORT, sqliteBusy: sqlite3.SQLITE_BUSY, sqliteLocked: sqlite3.SQLITE_LOCKED,
		sqliteNoMem: sqlite3.SQLITE_NOMEM, sqliteReadOnly: sqlite3.SQLITE_READONLY, sqliteInterrupt: sqlite3.SQLITE_INTERRUPT,
		sqliteIOErr: sqlite3.SQLITE_IOERR, sqliteCorrupt: sqlite3.SQLITE_CORRUPT, sqliteFull: sqlite3.SQLITE_FULL,
		sqliteCantOpen: sqlite3.SQLITE_CANTOPEN, sqliteProtocol: sqlite3.SQLITE_PROTOCOL, sqliteNotADB: sqlite3.SQLITE_NOTADB,
		sqliteIOErrNoMem: sqlite3.SQLITE_IOERR_NOMEM, sqliteIOErrShmSize: sqlite3.SQLITE_IOERR_SHMSIZE,
		sqliteConstraintPrimaryKey: sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqliteConstraintUnique: sqlite3.SQLITE_CONSTRAINT_UNIQUE,
	} {
		if got != want {
			t.Errorf("code %d, want %d", got, want)
		}
	}
}
