package sqlite

import (
	"context"
	"errors"
	"fmt"

	"github.com/rollcall/rollcall"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Driver errors become rollcall error kinds here, at the boundary, and nowhere else:
// a missing row is NotFound ("user not found"), a UNIQUE or PRIMARY KEY violation is
// Conflict ("user already exists"), a lock held too long or a full disk is Unavailable,
// and anything else is Internal with the driver's error kept as the cause.

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

func errFinished(what string) error {
	return internal(what, errors.New("the transaction is over: a Tx is valid only while its fn runs"))
}

// translate turns an error from the driver into a rollcall error kind; what names the
// entity for the message.
func translate(what string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch code := se.Code(); {
		case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &rollcall.Error{Kind: rollcall.Conflict, Message: what + " already exists", Err: err}
		case code&0xff == sqlite3.SQLITE_BUSY, code&0xff == sqlite3.SQLITE_LOCKED:
			return &rollcall.Error{Kind: rollcall.Unavailable, Message: "the database is busy; try again", Err: err}
		case code&0xff == sqlite3.SQLITE_FULL:
			return &rollcall.Error{Kind: rollcall.Unavailable, Message: "the database is full", Err: err}
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &rollcall.Error{Kind: rollcall.Unavailable, Message: "the request was canceled", Err: err}
	}
	return internal(what, err)
}

// endsTransaction reports whether err is one after which SQLite may have rolled back
// the whole transaction on its own (see "Response To Errors Within A Transaction" in
// the SQLite documentation): I/O errors, a full disk, a lock, no memory, an interrupt,
// a corrupt file. After one, the writer trusts nothing the batch did. Errors that undo
// one statement only (constraint violations, SQL errors) do not qualify.
func endsTransaction(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_ABORT, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM,
		sqlite3.SQLITE_READONLY, sqlite3.SQLITE_INTERRUPT, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT,
		sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL, sqlite3.SQLITE_NOTADB:
		return true
	}
	return false
}
