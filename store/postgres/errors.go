package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rollcall/rollcall"
)

// Driver errors become rollcall error kinds here, at the boundary, and nowhere else:
//
//   - pgx.ErrNoRows (and a write that matched no row) is NotFound ("user not found");
//   - unique_violation (23505), and an INSERT ... ON CONFLICT DO NOTHING that inserted
//     nothing, is Conflict ("user already exists");
//   - a serialization failure or deadlock (40001, 40P01) that is still there after the
//     last retry, a canceled context, a closed store and a database that cannot be
//     reached or is shutting down are Unavailable, as the SQLite store's busy database
//     is: the caller may try again;
//   - so is a connection lost mid-request (connectionLost: unexpected EOF, a reset, a
//     closed conn, a FATAL 57P01-57P03 from a server shutting down or crashing, any
//     08xxx), in Updates, Views and so in the access-key and token lookups alike. A
//     COMMIT lost that way has an unknown outcome, which Update settles (commit.go)
//     before it answers;
//   - anything else is Internal, with the driver's error kept as the cause.

// SQLSTATE codes the store acts on.
const (
	codeUniqueViolation      = "23505"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

func notFound(what string) error {
	return &rollcall.Error{Kind: rollcall.NotFound, Message: what + " not found"}
}

func conflict(what string, err error) error {
	return &rollcall.Error{Kind: rollcall.Conflict, Message: what + " already exists", Err: err}
}

func internal(what string, err error) error {
	return &rollcall.Error{Kind: rollcall.Internal, Message: "internal error", Err: fmt.Errorf("postgres: %s: %w", what, err)}
}

func unavailable(msg, what string, err error) error {
	return &rollcall.Error{Kind: rollcall.Unavailable, Message: msg, Err: fmt.Errorf("postgres: %s: %w", what, err)}
}

var (
	errStoreClosed = errors.New("the store is closed")
	errTxDone      = errors.New("the transaction is over: a Tx is valid only while its fn runs")
	errViewWrite   = errors.New("write in a read-only transaction (View)")
)

func errClosed() error {
	return &rollcall.Error{Kind: rollcall.Unavailable, Message: "the store is closed", Err: errStoreClosed}
}

func errReadOnly(what string) error { return internal("write "+what, errViewWrite) }

func errFinished(what string) error { return internal(what, errTxDone) }

// canceled is the error of an Update or View whose context is done; it wraps ctx.Err().
func canceled(what string, err error) error {
	return unavailable("the request was canceled", what, err)
}

// translate turns an error from pgx into a rollcall error kind; what names the entity
// or the step, for the message and the log.
func translate(ctx context.Context, what string, err error) error {
	if errors.Is(err, errStoreClosed) {
		return errClosed()
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(what)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == codeUniqueViolation:
			return conflict(what, err)
		case retryable(err):
			return unavailable("the database is busy; try again", what, err)
		case connectionClass(pe.Code), pe.Code == "53300": // too many connections
			return unavailable("the database is unavailable", what, err)
		}
		return internal(what, err)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return canceled(what, fmt.Errorf("%w (%w)", ctxErr, err))
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return canceled(what, err)
	}
	if connectionLost(err) {
		return unavailable("the database is unavailable", what, err)
	}
	return internal(what, err)
}

// connectionClass reports whether a server's SQLSTATE says the session is over: a
// connection exception (08xxx), or the server shutting down, crashing or starting
// (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now).
func connectionClass(code string) bool {
	return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03"
}

// connectionLost reports whether err says the connection to the server failed or
// could not be made, rather than that the server refused the statement.
func connectionLost(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return connectionClass(pe.Code)
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNREFUSED)
}

// retryable reports whether err is a serialization failure or a deadlock: the
// transaction was rolled back and running it again may succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == codeSerializationFailure || pe.Code == codeDeadlockDetected)
}
