package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// freshDB creates an empty database for tb, dropped when tb ends, and returns a DSN
// naming it; ROLLCALL_TEST_POSTGRES names the server (see pgtest).
func freshDB(tb testing.TB) string { return pgtest.FreshDB(tb) }

// withParam returns dsn with the connection parameter key set to value.
func withParam(dsn, key, value string) string {
	if u, ok := parseURL(dsn); ok {
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " " + key + "=" + value
}

func parseURL(dsn string) (*url.URL, bool) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return nil, false
	}
	u, err := url.Parse(dsn)
	return u, err == nil
}

// mustOpen opens a Store on dsn, closed when tb ends.
func mustOpen(tb testing.TB, dsn string) *postgres.Store {
	tb.Helper()
	s := mustOpenOnly(tb, dsn)
	tb.Cleanup(func() { s.Close() })
	return s
}

// mustOpenOnly opens a Store on dsn, for a test that closes it (and may open it again).
func mustOpenOnly(tb testing.TB, dsn string) *postgres.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.RunTests(t, func(t *testing.T) func() rollcall.Store {
		dsn := withParam(freshDB(t), "pool_max_conns", "8")
		return func() rollcall.Store { return mustOpenOnly(t, dsn) }
	})
}

// TestUpdateRetriesSwallowedSerializationFailure makes the first attempt of an Update
// lose a race it cannot see: fn ignores the error of its write, yet the Update runs it
// again rather than commit an aborted transaction, and no increment is lost.
//
// Its hooks see the retry, and the three commits (the insert, the racing Update, the
// retried attempt), each of one Update.
func TestUpdateRetriesSwallowedSerializationFailure(t *testing.T) {
	var retries, commits, committed atomic.Int32
	s, err := postgres.Open(t.Context(), freshDB(t), postgres.WithHooks(postgres.Hooks{
		Retry: func() { retries.Add(1) },
		Commit: func(n int, d time.Duration) {
			commits.Add(1)
			committed.Add(int32(n))
		},
	}))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	ctx := t.Context()
	storetest.MustInsert(t, s, storetest.NewMessage("m1", "A", storetest.T0))
	var attempts atomic.Int32
	err = s.Update(ctx, func(tx rollcall.Tx) error {
		m, err := tx.Message("m1") // this attempt's snapshot
		if err != nil {
			return err
		}
		if attempts.Add(1) == 1 {
			// Another Update commits an increment after the snapshot...
			if err := s.Update(ctx, func(tx rollcall.Tx) error {
				m, err := tx.Message("m1")
				if err != nil {
					return err
				}
				m.Attempts++
				return tx.UpdateMessage(m)
			}); err != nil {
				return fmt.Errorf("the racing Update: %w", err)
			}
		}
		m.Attempts++
		_ = tx.UpdateMessage(m) // ...so this write fails, and fn does not say so.
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if n := attempts.Load(); n != 2 {
		t.Fatalf("fn ran %d times, want 2", n)
	}
	var m *rollcall.Message
	storetest.MustView(t, s, func(tx rollcall.Tx) (err error) { m, err = tx.Message("m1"); return err })
	if m.Attempts != 2 {
		t.Fatalf("Attempts = %d after two increments", m.Attempts)
	}
	if r, c, n := retries.Load(), commits.Load(), committed.Load(); r != 1 || c != 3 || n != 3 {
		t.Fatalf("hooks saw %d retries, %d commits of %d Updates; want 1, 3, 3", r, c, n)
	}
}

func TestClosedStore(t *testing.T) {
	s := mustOpenOnly(t, freshDB(t))
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	err := s.Update(t.Context(), func(tx rollcall.Tx) error { return tx.PutTenant(storetest.NewTenant("1")) })
	storetest.WantKind(t, "Update after Close", err, rollcall.Unavailable)
	err = s.View(t.Context(), func(tx rollcall.Tx) error { _, err := tx.Tenants(); return err })
	storetest.WantKind(t, "View after Close", err, rollcall.Unavailable)
}

func TestOpenErrors(t *testing.T) {
	dsn := freshDB(t)
	for _, p := range [][2]string{{"pool_max_conns", "none"}, {"group_commit", "0"}, {"group_commit", "yes"}} {
		if _, err := postgres.Open(t.Context(), withParam(dsn, p[0], p[1])); err == nil {
			t.Fatalf("Open with %s=%s succeeded", p[0], p[1])
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := postgres.Open(ctx, dsn); !errors.Is(err, context.Canceled) {
		t.Fatalf("Open with a canceled context: %v, want context.Canceled", err)
	}
	// The pool parameters are the pool's: the server never sees them.
	s := mustOpen(t, withParam(withParam(dsn, "pool_max_conns", "2"), "pool_max_conn_lifetime", "1m"))
	storetest.MustInsert(t, s, storetest.NewTenant("1"))
	s = mustOpen(t, withParam(dsn, "group_commit", "3")) // three committers
	storetest.MustInsert(t, s, storetest.NewTenant("2"))
	if st := s.GroupStats(); st.Commits != 1 {
		t.Errorf("with group_commit=3, %d group commits, want 1", st.Commits)
	}
}
