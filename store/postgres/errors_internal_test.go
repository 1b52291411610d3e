package postgres

import (
	"context"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rollcall/rollcall"
)

// TestConnectionLossIsUnavailable: every way a connection to the server ends under a
// request is Unavailable, whatever the step (a commit, a lookup); a statement the
// server refuses is not.
func TestConnectionLossIsUnavailable(t *testing.T) {
	for name, err := range map[string]error{
		"unexpected EOF":     fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF),
		"conn closed":        fmt.Errorf("wrapped: %w", pgconn.ErrConnClosed),
		"reset":              &net.OpError{Op: "read", Err: syscall.ECONNRESET},
		"broken pipe":        fmt.Errorf("write: %w", syscall.EPIPE),
		"closed":             net.ErrClosed,
		"57P01 admin":        &pgconn.PgError{Severity: "FATAL", Code: "57P01"},
		"57P02 crash":        &pgconn.PgError{Severity: "FATAL", Code: "57P02"},
		"57P03 starting up":  &pgconn.PgError{Severity: "FATAL", Code: "57P03"},
		"08006 conn failure": &pgconn.PgError{Code: "08006"},
		"53300 too many":     &pgconn.PgError{Code: "53300"},
	} {
		for _, what := range []string{"commit", "access key", "access token"} {
			if got := translate(context.Background(), what, err); !rollcall.IsKind(got, rollcall.Unavailable) {
				t.Errorf("%s in %s: %v, want Unavailable", name, what, got)
			}
		}
	}
	if got := translate(context.Background(), "user", &pgconn.PgError{Code: "22001"}); !rollcall.IsKind(got, rollcall.Internal) {
		t.Errorf("a refused statement: %v, want Internal", got)
	}
	if !uncertain(fmt.Errorf("x: %w", io.ErrUnexpectedEOF)) || !uncertain(&pgconn.PgError{Code: "57P01"}) || uncertain(&pgconn.PgError{Code: "40001"}) {
		t.Error("uncertain: a lost connection or a shutdown during COMMIT is uncertain; a serialization failure is not")
	}
}
