package postgres_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// embeddedVersions lists the versions of migrations/, as the file names give them.
func embeddedVersions(tb testing.TB) []int64 {
	tb.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		tb.Fatal(err)
	}
	var out []int64
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			tb.Fatalf("migration %s: %v", e.Name(), err)
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// wantMigrated checks that every migration is recorded once and the lock is free.
func wantMigrated(tb testing.TB, conn *pgx.Conn) {
	tb.Helper()
	ctx := context.Background()
	rows, err := conn.Query(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		tb.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		tb.Fatal(err)
	}
	if want := embeddedVersions(tb); !slices.Equal(got, want) {
		tb.Fatalf("schema_migrations has versions %v, want %v", got, want)
	}
	var held int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM rollcall_migration_lock`).Scan(&held); err != nil {
		tb.Fatal(err)
	}
	if held != 0 {
		tb.Fatalf("the migration lock is still held (%d rows)", held)
	}
}

func countVersions(tb testing.TB, conn *pgx.Conn) int {
	tb.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// TestMigrateConcurrent starts three replicas on a fresh database at once: all of
// them succeed, and each migration is applied once.
func TestMigrateConcurrent(t *testing.T) {
	dsn := freshDB(t)
	const replicas = 3
	conns := make([]*pgx.Conn, replicas)
	for i := range conns {
		conns[i] = pgtest.Connect(t, dsn)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	errs := storetest.AtOnce(replicas, func(i int) error { return postgres.Migrate(ctx, conns[i]) })
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: Migrate: %v", i, err)
		}
	}
	wantMigrated(t, conns[0])
	// Again, now that there is nothing to do; and the schema works.
	if err := postgres.Migrate(ctx, conns[1]); err != nil {
		t.Fatalf("Migrate of an up-to-date database: %v", err)
	}
	wantMigrated(t, conns[0])
	s := mustOpen(t, dsn)
	storetest.MustInsert(t, s, storetest.NewDirectory("A"), storetest.NewUser("A", "u1", "ada"))
}

// lockedDB bootstraps a fresh database and has holder hold its migration lock until
// now() + offset (an SQL interval expression: "- interval '1 second'" has run out).
func lockedDB(t *testing.T, holder, offset string) *pgx.Conn {
	t.Helper()
	conn := pgtest.Connect(t, freshDB(t))
	if err := postgres.Bootstrap(t.Context(), conn); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), `INSERT INTO rollcall_migration_lock (name, holder, expires_at)
		VALUES ('schema', $1, now() `+offset+`)`, holder); err != nil {
		t.Fatal(err)
	}
	return conn
}

// TestMigrateTakesOverStaleLock leaves the lock as a replica that died holding it
// would: once its lease has expired, the next replica takes it over.
func TestMigrateTakesOverStaleLock(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	conn := lockedDB(t, "dead-replica", "- interval '1 second'")
	began := time.Now()
	if err := postgres.Migrate(ctx, conn); err != nil {
		t.Fatalf("Migrate with a stale lock: %v", err)
	}
	if d := time.Since(began); d > postgres.LockLease/2 {
		t.Fatalf("Migrate took %v to take over an expired lock", d)
	}
	wantMigrated(t, conn)
}

// TestMigrateWaitsForLiveLock holds the lock as a live replica does: Migrate waits,
// applies nothing, and goes ahead as soon as the holder lets go.
func TestMigrateWaitsForLiveLock(t *testing.T) {
	ctx := t.Context()
	conn := lockedDB(t, "live-replica", "+ interval '1 hour'")
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	if err := postgres.Migrate(short, pgtest.Connect(t, conn.Config().ConnString())); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Migrate while another replica holds the lock: %v, want a deadline error", err)
	}
	if n := countVersions(t, conn); n != 0 {
		t.Fatalf("%d migrations applied while another replica held the lock", n)
	}

	done := make(chan error, 1)
	waiter := pgtest.Connect(t, conn.Config().ConnString())
	go func() { done <- postgres.Migrate(ctx, waiter) }()
	time.Sleep(300 * time.Millisecond)
	if _, err := conn.Exec(ctx, `DELETE FROM rollcall_migration_lock WHERE holder = 'live-replica'`); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Migrate after the lock was released: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Migrate still waits after the lock was released")
	}
	wantMigrated(t, conn)
}

// TestMigrateFencing: a replica that does not hold the lock (its lease ran out and
// another took the lock over) applies nothing.
func TestMigrateFencing(t *testing.T) {
	ctx := t.Context()
	conn := lockedDB(t, "new-holder", "+ interval '1 hour'")
	if err := postgres.ApplyAs(ctx, conn, "old-holder"); !errors.Is(err, postgres.ErrLostLock) {
		t.Fatalf("applying without the lock: %v, want ErrLostLock", err)
	}
	if n := countVersions(t, conn); n != 0 {
		t.Fatalf("%d migrations applied without the lock", n)
	}
	if err := postgres.ApplyAs(ctx, conn, "new-holder"); err != nil {
		t.Fatalf("applying with the lock: %v", err)
	}
	if n := countVersions(t, conn); n != len(embeddedVersions(t)) {
		t.Fatalf("%d migrations applied with the lock", n)
	}
}
