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
