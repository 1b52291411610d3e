package pgtest

import (
	"context"
	"crypto/rand"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/testdeps"
)

// DSN returns the test server's DSN, or skips (fails under CI=true) without one.
func DSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("ROLLCALL_TEST_POSTGRES")
	if dsn == "" {
		testdeps.Require(tb, errors.New("ROLLCALL_TEST_POSTGRES is not set"),
			"PostgreSQL (set ROLLCALL_TEST_POSTGRES, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	return dsn
}

// FreshDB creates an empty database, dropped when tb ends, and returns a postgres://
// URL naming it.
func FreshDB(tb testing.TB) string {
	tb.Helper()
	base := DSN(tb)
	name := "rollcall_test_" + strings.ToLower(rand.Text())
	admin(tb, base, "CREATE DATABASE "+name)
	tb.Cleanup(func() { admin(tb, base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("ROLLCALL_TEST_POSTGRES must be a postgres:// URL")
	}
	u.Path = "/" + name
	return u.String()
}

// Connect opens one connection to dsn, closed when tb ends.
func Connect(tb testing.TB, dsn string) *pgx.Conn {
	tb.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func admin(tb testing.TB, dsn, sql string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect to the test PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}
