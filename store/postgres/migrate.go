package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	mrand "math/rand/v2"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is what Migrate needs of a database handle: a *pgx.Conn has it, and so has a
// *pgxpool.Pool.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Begin(ctx context.Context) (pgx.Tx, error)
}

// The migration lock is a row, not an advisory lock (CockroachDB has none): the
// replica whose INSERT ... ON CONFLICT DO NOTHING of the row inserts it holds the lock
// for lockLease. A replica that finds the lock held waits, polling, and takes the row
// over with a conditional UPDATE once its lease has expired, so a replica that died
// holding it delays the others by one lease at most. Each migration's transaction
// begins by renewing the lease of the row it holds (fencing: a replica whose lock was
// taken over applies nothing), which also keeps the row locked, and so the lock
// unstealable, while the migration runs. The holder deletes the row when it is done.
const (
	lockName  = "schema"
	lockLease = 30 * time.Second
	lockPoll  = 100 * time.Millisecond
)

// The bookkeeping tables. CREATE TABLE IF NOT EXISTS races on PostgreSQL (two
// sessions may both find the name free), so bootstrap retries it.
const (
	sqlCreateLock = `CREATE TABLE IF NOT EXISTS rollcall_migration_lock (
	name       text PRIMARY KEY,
	holder     text NOT NULL,
	expires_at timestamptz NOT NULL
)`
	sqlCreateVersions = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    bigint PRIMARY KEY,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL
)`
)

type migration struct {
	version int64
	name    string
	sql     string
}

// migrations returns the embedded migrations/NNNN_name.sql, in version order.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: the name must start with a positive version and _", e.Name())
		}
		b, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && out[len(out)-1].version == v {
			return nil, fmt.Errorf("migrations %s and %s have the same version", out[len(out)-1].name, e.Name())
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(out, func(a, b migration) int { return int(a.version - b.version) })
	return out, nil
}

// errLostLock means another replica took the lock over while this one held it.
var errLostLock = errors.New("lost the migration lock")

// Migrate brings the database's schema up to date: it applies, in order and each in
// its own transaction, the embedded migrations that schema_migrations does not list.
// Replicas may call it at once: one applies, the others wait for it (see lockLease),
// and every migration is applied once. Versions the database has and this binary
// does not know (a newer replica's) are left alone, so migrations must keep the schema
// usable by the previous release. Migrate returns when the schema is up to date or ctx
// is done.
func Migrate(ctx context.Context, db DB) error {
	all, err := migrations()
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if err := bootstrap(ctx, db); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	holder := holderID()
	for {
		pending, err := pendingMigrations(ctx, db, all)
		if err != nil || len(pending) == 0 {
			return wrapMigrate(err)
		}
		held, err := acquireLock(ctx, db, holder)
		if err != nil {
			return wrapMigrate(err)
		}
		if held {
			err := applyAll(ctx, db, holder, all)
			releaseLock(db, holder)
			if !errors.Is(err, errLostLock) {
				return wrapMigrate(err)
			}
		}
		if err := sleep(ctx, lockPoll/2+mrand.N(lockPoll)); err != nil {
			return wrapMigrate(err)
		}
	}
}

func wrapMigrate(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("postgres: migrate: %w", err)
}

// bootstrap creates the lock and version tables, which no migration can create: the
// lock must exist before the first one runs.
func bootstrap(ctx context.Context, db DB) error {
	for _, q := range []string{sqlCreateLock, sqlCreateVersions} {
		var err error
		for range 10 {
			if _, err = db.Exec(ctx, q); err == nil || !createRace(err) {
				break
			}
			if serr := sleep(ctx, 10*time.Millisecond); serr != nil {
				return serr
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// createRace reports whether err is a concurrent CREATE ... IF NOT EXISTS of the same
// name: a unique violation in the catalog, a duplicate table, a duplicate type (the
// table's row type, created first), or a serialization failure.
func createRace(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == codeUniqueViolation || pe.Code == "42P07" || pe.Code == "42710" || retryable(err))
}

// pendingMigrations returns the migrations of all that the database has not applied.
func pendingMigrations(ctx context.Context, db DB, all []migration) ([]migration, error) {
	rows, err := db.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	var pending []migration
	for _, m := range all {
		if !slices.Contains(applied, m.version) {
			pending = append(pending, m)
		}
	}
	return pending, nil
}

// acquireLock claims the lock row, or takes it over when its lease has expired. The
// lease is timed by the database's clock, the one clock every replica shares.
func acquireLock(ctx context.Context, db DB, holder string) (bool, error) {
	tag, err := db.Exec(ctx, `INSERT INTO rollcall_migration_lock (name, holder, expires_at)
		VALUES ($1, $2, now() + $3::interval) ON CONFLICT (name) DO NOTHING`, lockName, holder, lockLease)
	if err != nil {
		return false, err
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	tag, err = db.Exec(ctx, `UPDATE rollcall_migration_lock SET holder = $2, expires_at = now() + $3::interval
		WHERE name = $1 AND expires_at < now()`, lockName, holder, lockLease)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// releaseLock deletes the lock row if holder still holds it, even when the caller's
// context is done; if it cannot, the lease runs out.
func releaseLock(db DB, holder string) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	_, _ = db.Exec(ctx, `DELETE FROM rollcall_migration_lock WHERE name = $1 AND holder = $2`, lockName, holder)
}

// applyAll applies the migrations not applied yet, each in a transaction that first
// renews holder's lease and fails with errLostLock if holder no longer holds the lock.
func applyAll(ctx context.Context, db DB, holder string, all []migration) error {
	for _, m := range all {
		if err := apply(ctx, db, holder, m); err != nil {
			return err
		}
	}
	return nil
}

func apply(ctx context.Context, db DB, holder string, m migration) (err error) {
	t, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			rollback(t)
		}
	}()
	tag, err := t.Exec(ctx, `UPDATE rollcall_migration_lock SET expires_at = now() + $3::interval
		WHERE name = $1 AND holder = $2`, lockName, holder, lockLease)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return errLostLock
	}
	var done bool
	if err := t.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, m.version).Scan(&done); err != nil {
		return err
	}
	if done {
		return t.Commit(ctx)
	}
	if _, err := t.Exec(ctx, m.sql); err != nil {
		return fmt.Errorf("%s: %w", m.name, err)
	}
	if step := goSteps[m.version]; step != nil {
		if err := step(ctx, t); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	if _, err := t.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())`,
		m.version, m.name); err != nil {
		return err
	}
	return t.Commit(ctx)
}

// holderID names this replica in the lock row, for whoever looks at it.
func holderID() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text())
}
