package sqlite

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"github.com/rollcall/rollcall"
)

// Driver errors become rollcall error kinds here, at the boundary, and nowhere else:
// a missing row is NotFound ("user not found"), a UNIQUE or PRIMARY KEY violation is
// Conflict ("user already exists"), a lock held too long is Unavailable, a disk or
// file system that fails is Unavailable (classify), and anything else is Internal with
// the driver's error kept as the cause. Whether a failed COMMIT may still be on disk is
// decided in wal.go, not here.

func notFound(what string) error {
	return &rollcall.Error{Kind: rollcall.NotFound, Message: what + " not found"}
}

func internal(what string, err error) error {
	return &rollcall.Error{Kind: rollcall.Internal, Message: "internal error", Err: fmt.Errorf("sqlite: %s: %w", what, err)}
}

func errClosed() error {
	return &rollcall.Error{Kind: rollcall.Unavailable, Message: "the store is closed"}
}

func errReadOnly(what string) error {
	return internal("write "+what, errors.New("write in a read-only transaction (View)"))
}

// errSecondRead is a ViewOne's second read.
var errSecondRead = internal("read", errors.New("a second read in a ViewOne, which makes one"))

func errFinished(what string) error {
	return internal(what, errors.New("the transaction is over: a Tx is valid only while its fn runs"))
}

// translate turns an error from the driver into a rollcall error kind; what names the
// entity for the message.
func translate(what string, err error) error {
	if code, ok := errCode(err); ok {
		switch {
		case code == sqliteConstraintUnique, code == sqliteConstraintPrimaryKey:
			return &rollcall.Error{Kind: rollcall.Conflict, Message: what + " already exists", Err: err}
		default:
			if msg := classify(code); msg != "" {
				return &rollcall.Error{Kind: rollcall.Unavailable, Message: msg, Err: fmt.Errorf("sqlite: %s: %w", what, err)}
			}
		}
	}
	if errors.Is(err, syscall.ENOSPC) {
		return &rollcall.Error{Kind: rollcall.Unavailable, Message: msgFull, Err: fmt.Errorf("sqlite: %s: %w", what, err)}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &rollcall.Error{Kind: rollcall.Unavailable, Message: "the request was canceled", Err: err}
	}
	return internal(what, err)
}

// The messages of the Unavailable errors a failing disk gives; health checks show them.
const (
	msgBusy   = "the database is busy; try again"
	msgFull   = "the database is full"
	msgIO     = "the database cannot read or write its files"
	msgMemory = "the database is out of memory"
)

// classify says which failures of SQLite (extended result codes) are Unavailable, and
// with what message: "" is not one. These are the failures of the disk, the file system
// or the machine, not of the request or the data, and a later attempt may succeed:
//
//   - SQLITE_BUSY_*, SQLITE_LOCKED_*: another connection holds a lock;
//   - SQLITE_FULL, SQLITE_IOERR_SHMSIZE (the -shm file cannot grow: out of space, as
//     SQLite's documentation says it almost always is): the disk is full;
//   - every other SQLITE_IOERR_* (read, write, fsync, truncate, mmap, lock, delete,
//     ...), SQLITE_CANTOPEN_*, SQLITE_READONLY_* (a file the process may not write, a
//     WAL recovered by another process, a database moved or deleted under it) and
//     SQLITE_PROTOCOL (the WAL's locking protocol gave up): the files cannot be used now;
//   - SQLITE_NOMEM and SQLITE_IOERR_NOMEM: the process is out of memory.
//
// SQLITE_CORRUPT and SQLITE_NOTADB are not: a damaged file does not heal by waiting, so
// they are Internal and logged. Whether an Unavailable COMMIT left nothing behind is
// what wal.go makes certain before the writer answers.
func classify(code int) string {
	switch {
	case code&0xff == sqliteBusy, code&0xff == sqliteLocked:
		return msgBusy
	case code&0xff == sqliteFull, code == sqliteIOErrShmSize:
		return msgFull
	case code&0xff == sqliteNoMem, code == sqliteIOErrNoMem:
		return msgMemory
	case code&0xff == sqliteIOErr, code&0xff == sqliteCantOpen,
		code&0xff == sqliteReadOnly, code&0xff == sqliteProtocol:
		return msgIO
	}
	return ""
}

// noSpace reports whether err is a lack of space on the disk.
func noSpace(err error) bool {
	if code, ok := errCode(err); ok && classify(code) == msgFull {
		return true
	}
	return errors.Is(err, syscall.ENOSPC)
}

// endsTransaction reports whether err is one after which SQLite may have rolled back
// the whole transaction on its own (see "Response To Errors Within A Transaction" in
// the SQLite documentation): I/O errors, a full disk, a lock, no memory, an interrupt,
// a corrupt file. After one, the writer trusts nothing the batch did. Errors that undo
// one statement only (constraint violations, SQL errors) do not qualify.
func endsTransaction(err error) bool {
	code, ok := errCode(err)
	if !ok {
		return false
	}
	switch code & 0xff {
	case sqliteAbort, sqliteBusy, sqliteLocked, sqliteNoMem, sqliteReadOnly, sqliteInterrupt,
		sqliteIOErr, sqliteCorrupt, sqliteFull, sqliteCantOpen, sqliteProtocol, sqliteNotADB:
		return true
	}
	return false
}
