package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

func opener(t *testing.T) func() rollcall.Store {
	path := filepath.Join(t.TempDir(), "rollcall.db")
	return func() rollcall.Store { return mustOpenPath(t, path) }
}

func TestConformance(t *testing.T) { storetest.RunTests(t, opener) }

// numbered is user i of directory A: ID u000, key k000 and on.
func numbered(i int) *rollcall.User {
	return storetest.NewUser("A", fmt.Sprintf("u%03d", i), fmt.Sprintf("k%03d", i))
}

// updateAtOnce runs n Updates at once, the i-th running fn(tx, i), and returns each
// Update's error. after(i), if set, runs once the i-th Update has started.
func updateAtOnce(s rollcall.Store, n int, fn func(tx rollcall.Tx, i int) error, after func(i int)) []error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = s.Update(context.Background(), func(tx rollcall.Tx) error { return fn(tx, i) })
		})
		if after != nil {
			after(i)
		}
	}
	wg.Wait()
	return errs
}

// insertAtOnce inserts n users (user(i)) at once, one Update each (updateAtOnce).
func insertAtOnce(s rollcall.Store, n int, user func(i int) *rollcall.User, after func(i int)) []error {
	return updateAtOnce(s, n, func(tx rollcall.Tx, i int) error { return tx.InsertUser(user(i)) }, after)
}

// committedOrUnavailable checks that each Update of insertAtOnce either committed its
// user or failed Unavailable and left nothing, and counts those that committed.
func committedOrUnavailable(t *testing.T, s rollcall.Store, errs []error) (committed int) {
	t.Helper()
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		for i, err := range errs {
			_, gerr := tx.User("A", numbered(i).ID)
			switch {
			case err == nil && gerr != nil:
				t.Errorf("update %d succeeded but its user is missing: %v", i, gerr)
			case err != nil && !rollcall.IsKind(err, rollcall.Unavailable):
				t.Errorf("update %d: %v, want success or Unavailable", i, err)
			case err != nil && gerr == nil:
				t.Errorf("update %d failed (%v) but its user is there", i, err)
			case err == nil:
				committed++
			}
		}
		return nil
	})
	return committed
}

// mustOpenPath opens the store at path; the caller closes it.
func mustOpenPath(tb testing.TB, path string, opts ...sqlite.Option) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(path, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// mustOpenNew opens a store in a fresh directory and returns it with its path, for a
// test that closes it, reopens it or looks at its files.
func mustOpenNew(tb testing.TB, opts ...sqlite.Option) (*sqlite.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "rollcall.db")
	return mustOpenPath(tb, path, opts...), path
}

// mustOpen opens a store in a fresh directory and closes it when the test ends.
func mustOpen(tb testing.TB, opts ...sqlite.Option) *sqlite.Store {
	tb.Helper()
	s, _ := mustOpenNew(tb, opts...)
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestOpenCreatesDirectories(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a b", "c?d#e", "rollcall.db")
	s := mustOpenPath(t, path)
	storetest.MustInsert(t, s, storetest.NewTenant(storetest.TenantID))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not where it was asked to be: %v", err)
	}
}

func TestPragmas(t *testing.T) {
	s := mustOpen(t)
	for _, c := range []struct{ pragma, writer, reader string }{
		{"journal_mode", "wal", "wal"},
		{"synchronous", "2", "2"}, // FULL
		{"foreign_keys", "1", "1"},
		{"busy_timeout", "10000", "10000"},
		{"temp_store", "2", "2"}, // MEMORY
		{"query_only", "0", "1"},
	} {
		if got, err := sqlite.WriterQuery(s, "PRAGMA "+c.pragma); err != nil || got != c.writer {
			t.Errorf("writer: PRAGMA %s = %q, %v; want %q", c.pragma, got, err, c.writer)
		}
		if got, err := sqlite.ReaderQuery(s, "PRAGMA "+c.pragma); err != nil || got != c.reader {
			t.Errorf("reader: PRAGMA %s = %q, %v; want %q", c.pragma, got, err, c.reader)
		}
	}
}

func TestMigrations(t *testing.T) {
	s, path := mustOpenNew(t)
	s.Close()
	s = mustOpenPath(t, path) // a second Open applies nothing
	s.Close()

	db, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	var versions []string
	for rows.Next() {
		var v string
		rows.Scan(&v)
		versions = append(versions, v)
	}
	rows.Close()
	var want []string // every file of migrations/, in name order
	files, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		want = append(want, strings.TrimSuffix(f.Name(), ".sql"))
	}
	if len(want) < 2 || strings.Join(versions, ",") != strings.Join(want, ",") {
		t.Fatalf("schema_migrations = %v, want %v", versions, want)
	}

	// A database written by a newer rollcall is refused, and left alone.
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_future', 0)`); err != nil {
		t.Fatal(err)
	}
	if s, err := sqlite.Open(path); err == nil {
		s.Close()
		t.Fatal("Open accepted a database with an unknown schema version")
	} else if !strings.Contains(err.Error(), "9999_future") {
		t.Fatalf("Open: %v, want it to name the unknown version", err)
	}
}

// TestMigrateFromV1 opens a database that has only the first migration, with a user
// in it, and checks the user survives the rebuild of the users table.
func TestMigrateFromV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rollcall.db")
	init, err := os.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		string(init),
		`CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`,
		`INSERT INTO schema_migrations VALUES ('0001_init', 0)`,
		`INSERT INTO users VALUES ('u1', 'A', 't', 'chime', 'ada@example.com', 'Ada@Example.com', 'ada', 'Ada', 'L',
			'Ada L', 'PrivateUser', 'Active', '', 1700000000123, 1700000000456, '{"licenseType":"Pro"}')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s := mustOpenPath(t, path)
	defer s.Close()
	want := &rollcall.User{ID: "u1", DirectoryID: "A", TenantID: "t", Kind: rollcall.DirChime, Key: "ada@example.com",
		Email: "Ada@Example.com", Username: "ada", GivenName: "Ada", FamilyName: "L", DisplayName: "Ada L",
		UserType: "PrivateUser", Status: "Active", CreatedAt: time.UnixMilli(1700000000123).UTC(),
		UpdatedAt: time.UnixMilli(1700000000456).UTC(), Attrs: `{"licenseType":"Pro"}`,
		// derived by the migration from a document that names no product key
		ProductKeys: rollcall.ProductKeys{StorageLimit: math.MaxInt64, Enrollment: "INITIALIZED"}}
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		got, err := tx.UserByKey("A", "ada@example.com")
		if err != nil {
			return err
		}
		storetest.WantEqual(t, "user migrated from 0001", got, want)
		list, err := tx.Users(rollcall.UserQuery{DirectoryID: "A", Emails: []string{"ADA@example.com"}})
		if err != nil || len(list) != 1 {
			t.Errorf("email filter on a migrated user: %v, %v", list, err)
		}
		return nil
	})
}

func TestClosed(t *testing.T) {
	s, _ := mustOpenNew(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	err := s.Update(context.Background(), func(rollcall.Tx) error { return nil })
	storetest.WantKind(t, "Update after Close", err, rollcall.Unavailable)
	err = s.View(context.Background(), func(rollcall.Tx) error { return nil })
	storetest.WantKind(t, "View after Close", err, rollcall.Unavailable)
}

// TestCloseUnderLoad closes the store while Updates pour in: each either commits (and
// is there after reopening) or is refused with Unavailable (and is not).
func TestCloseUnderLoad(t *testing.T) {
	s, path := mustOpenNew(t)
	const n = 400
	errs := insertAtOnce(s, n, numbered, func(i int) {
		if i == n/2 {
			go s.Close()
		}
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpenPath(t, path)
	defer s.Close()
	committed := committedOrUnavailable(t, s, errs)
	t.Logf("%d of %d updates committed before Close", committed, n)
}

func TestViewPanicReleasesConnection(t *testing.T) {
	s := mustOpen(t, sqlite.WithReadConns(1))
	for range 3 {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the panic in View's fn did not reach the caller")
				}
			}()
			s.View(context.Background(), func(rollcall.Tx) error { panic("boom") })
		}()
	}
	// The only read connection is free again.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.View(ctx, func(tx rollcall.Tx) error { _, err := tx.Tenants(); return err }); err != nil {
		t.Fatal(err)
	}
}

func TestTxAfterFnReturns(t *testing.T) {
	s := mustOpen(t)
	var leaked rollcall.Tx
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { leaked = tx; return nil })
	storetest.WantKind(t, "a write through a Tx kept after Update", leaked.InsertUser(storetest.NewUser("A", "u1", "k")), rollcall.Internal)
	storetest.MustView(t, s, func(tx rollcall.Tx) error { leaked = tx; return nil })
	_, err := leaked.Tenants()
	storetest.WantKind(t, "a read through a Tx kept after View", err, rollcall.Internal)
}

func TestErrorsKeepTheirCause(t *testing.T) {
	s := mustOpen(t)
	storetest.MustInsert(t, s, storetest.NewUser("A", "u1", "ada"))
	err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertUser(storetest.NewUser("A", "u2", "ada")) })
	var e *rollcall.Error
	if !errors.As(err, &e) || e.Kind != rollcall.Conflict || e.Message != "user already exists" || e.Err == nil {
		t.Fatalf("conflict: %#v", err)
	}
	_, err = func() (*rollcall.User, error) {
		var u *rollcall.User
		err := s.View(context.Background(), func(tx rollcall.Tx) (err error) { u, err = tx.User("A", "nope"); return err })
		return u, err
	}()
	if !errors.As(err, &e) || e.Kind != rollcall.NotFound || e.Message != "user not found" {
		t.Fatalf("not found: %#v", err)
	}
}
