package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
)

// Store is a rollcall.Store on a PostgreSQL (or CockroachDB, YugabyteDB) database. Any
// number of Stores, in any number of processes, may share one database.
type Store struct {
	pool  *pool
	group chan *groupReq // Updates for the committers (group.go)
	stop  chan struct{}  // closed by Close
	dirs  *dirCache      // directory rows Updates read (dircache.go)
	hooks Hooks
	// lookups takes ViewOne's token lookups, read in batches (lookup.go).
	lookups chan *lookupReq
	commitCounters
	groupCounters
	groupFlow
	holdConns bool // committers keep their connections between groups (group.go)

	closeOnce sync.Once
}

var _ rollcall.Store = (*Store)(nil)

// Retry policy of Update: a serialization failure or a deadlock rolls the attempt back,
// waits, and runs fn again, up to maxAttempts in all. The wait grows from baseBackoff,
// doubling, to maxBackoff, and is drawn at random from its upper half, so transactions
// that collided once do not collide again in lockstep.
const (
	maxAttempts = 30
	baseBackoff = 2 * time.Millisecond
	maxBackoff  = 250 * time.Millisecond
)

// Option configures Open.
type Option func(*Store)

// Hooks observe the store's writes, for metrics; a nil field is skipped. They must not
// block.
type Hooks struct {
	// Commit: one transaction committed, carrying requests Updates (more than one in a
	// group commit), and its COMMIT took d.
	Commit func(requests int, d time.Duration)
	// Retry: a transaction failed with a serialization failure or a deadlock, and its
	// Updates run fn again (a group's, each on a transaction of its own).
	Retry func()
}

// retried tells Hooks.Retry that a transaction failed to serialize and its Updates run
// again (alone, for a group).
func (s *Store) retried() {
	if s.hooks.Retry != nil {
		s.hooks.Retry()
	}
}

// WithHooks sets the hooks that observe commits and retries.
func WithHooks(h Hooks) Option { return func(s *Store) { s.hooks = h } }

// Open connects to the database dsn names (a libpq connection string or URL; add
// pool_max_conns to size the pool, default max(4, CPUs)), brings its schema up to date
// with Migrate, and returns a Store on it.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	cfg, maxConns, lifetime, err := parseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// group_commit=off turns group commits off (group.go): every Update commits alone;
	// a number sets how many committers run groups (on: see below).
	groups, committers := true, 0
	if v, ok := cfg.RuntimeParams["group_commit"]; ok {
		delete(cfg.RuntimeParams, "group_commit")
		n, err := strconv.Atoi(v)
		switch {
		case v == "on" || v == "off":
			groups = v == "on"
		case err == nil && n > 0:
			committers = n
		default:
			return nil, fmt.Errorf("postgres: group_commit=%q: want on, off or a number of committers", v)
		}
	}
	p := newPool(cfg, maxConns, lifetime)
	pc, err := p.acquire(ctx)
	if err != nil {
		p.close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	// The connections the start goes on to need are opened meanwhile, at once, rather
	// than one by one as each step finds the others held (pool.go, startConns).
	warmed := p.warm(ctx, startConns-1)
	err = Migrate(ctx, pc.conn)
	p.release(pc)
	warmed()
	if err != nil {
		p.close()
		return nil, err
	}
	s := &Store{pool: p, stop: make(chan struct{}), dirs: newDirCache(), lookups: make(chan *lookupReq)}
	for _, o := range opts {
		o(s)
	}
	for range lookups {
		go s.lookup()
	}
	if groups {
		// Two per CPU of the pool's connections commit groups, all but two at most (two
		// serve Views and Updates that run alone). A group whose directories are cached
		// is one round trip (tx.go), so a few groups in flight keep the server busy, and
		// fewer, larger groups cost it less per Update (14 committers on 2 CPUs made
		// groups of 2.3 and cost the server 1.4 times the CPU per create that 4 did).
		s.group = make(chan *groupReq)
		s.collecting, s.groupDone, s.lingerMax = make(chan struct{}, 1), make(chan struct{}, 1), maxLinger
		if committers == 0 {
			committers = max(1, min(maxConns-2, 2*runtime.GOMAXPROCS(0)))
		}
		// A committer keeps its connection (group.go) while the pool keeps two others.
		s.holdConns = committers <= maxConns-2
		for range committers {
			go s.committer()
		}
	}
	return s, nil
}

// Close closes the idle connections; Updates and Views running finish, and their
// connections are closed as they end. Later calls return Unavailable. Close is
// idempotent.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		s.pool.close()
	})
	return nil
}

// Update runs fn in a SERIALIZABLE transaction and commits it: a group commit shared
// with other Updates, each in its own savepoint (group.go), or, when that cannot give
// fn the outcome it would have alone, a transaction of its own. Uniqueness itself rests
// on UNIQUE constraints, which hold at any isolation level; SERIALIZABLE is what makes a
// read-modify-write of a row (an outbox message's Attempts, say) lose nothing when
// Updates race, on PostgreSQL as on CockroachDB, where it is the only level. The price
// is that a racing transaction may fail with a serialization failure (40001) or a
// deadlock (40P01): Update then runs fn again on a new transaction (see maxAttempts),
// which the Store contract allows, and returns Unavailable if the last attempt fails
// so too. An error fn returns is returned as is, after a rollback; an attempt whose
// statements hit a serialization failure is retried even if fn swallowed the error.
func (s *Store) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	fn = rollcall.Hooked(ctx, fn) // the call's audit event commits with its writes
	if err := s.submit(ctx, fn); !errors.Is(err, errAlone) {
		return err
	}
	spec := true // the inserts speculative (tx.go) until one fails
	for attempt := 1; ; attempt++ {
		retry, err := s.run(ctx, false, spec, fn)
		if spec && errors.Is(err, errSpeculation) {
			spec = false
			continue
		}
		if uc, ok := errors.AsType[*uncertainCommit](err); ok {
			return s.resolve(uc) // run has given its dead connection back
		}
		if !retry {
			return err
		}
		if attempt == maxAttempts {
			return unavailable("the database is busy; try again", fmt.Sprintf("update: gave up after %d attempts", attempt), err)
		}
		if err := sleep(ctx, backoff(attempt)); err != nil {
			return canceled("update", err)
		}
		s.retried()
	}
}

// View runs fn in a READ ONLY, REPEATABLE READ transaction: one snapshot for the whole
// of fn, without the bookkeeping of SERIALIZABLE (a read-only transaction is never part
// of an anomaly on PostgreSQL). fn runs once; an error it returns is returned as is.
func (s *Store) View(ctx context.Context, fn func(rollcall.Tx) error) error {
	_, err := s.run(ctx, true, false, fn)
	return err
}

// ViewOne runs fn, which makes one read, as that statement alone, outside any
// transaction block: one round trip, and no BEGIN or COMMIT on the server, where one
// statement is its own snapshot (rollcall.OneReadViewer). A second read fails. An
// access token's lookup goes in a batch with others (lookup.go); any other read takes
// a connection of its own when it is made.
func (s *Store) ViewOne(ctx context.Context, fn func(rollcall.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return canceled("begin", err)
	}
	t := &tx{ctx: ctx, readOnly: true, single: true, pool: s.pool, lookups: s.lookups, stop: s.stop}
	defer func() {
		t.done = true
		if t.pc != nil {
			s.pool.release(t.pc)
		}
	}()
	return fn(t)
}

// errSpeculation is run's error when a speculative insert failed (tx.go): the
// transaction is rolled back, and fn is to run again without speculation.
var errSpeculation = errors.New("postgres: a speculative insert failed")

// run makes one attempt at fn. retry says that another attempt may succeed: the
// server aborted this one as a serialization failure or deadlock, or the connection
// failed before its BEGIN reached the server. spec makes the inserts speculative.
func (s *Store) run(ctx context.Context, readOnly, spec bool, fn func(rollcall.Tx) error) (retry bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, canceled("begin", err)
	}
	pc, err := s.pool.acquire(ctx)
	if errors.Is(err, errStoreClosed) {
		return false, errClosed()
	}
	if err != nil {
		return false, translate(ctx, "connect", err)
	}
	defer s.pool.release(pc) // a connection left inside a transaction (fn panicked) is closed
	opts := pgx.TxOptions{IsoLevel: pgx.Serializable, AccessMode: pgx.ReadWrite}
	if readOnly {
		opts = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	}
	t := &tx{ctx: ctx, conn: pc.conn, opts: opts, readOnly: readOnly, dirs: s.dirs, spec: spec && !readOnly}
	if !readOnly {
		t.checked = &checked{}
	}
	ferr := fn(t)
	t.done = true
	if ferr != nil && !t.aborted {
		if err := t.checkRead(); err != nil && t.retry == nil {
			ferr = translate(ctx, "directory", err) // the check could not be made
		}
	}
	if t.tx == nil && (ferr != nil || len(t.ahead) == 0) { // fn sent no statement: there is no transaction to end
		return false, ferr
	}
	if t.specFailed {
		rollback(t.tx)
		return false, errSpeculation
	}
	if t.retry != nil || ferr != nil {
		rollback(t.tx)
		if t.retry != nil {
			return true, translate(ctx, "update", t.retry)
		}
		return false, ferr
	}
	if readOnly {
		if err := t.tx.Commit(ctx); err != nil {
			return false, translate(ctx, "commit", err)
		}
		return false, nil
	}
	if err := s.commit(ctx, t, 1); err != nil { // translated, or *uncertainCommit
		if t.specFailed { // commit has rolled back
			return false, errSpeculation
		}
		var re *rollcall.Error
		return t.retry != nil || errors.As(err, &re) && retryable(re.Err), err
	}
	return false, nil
}

// rollback ends a transaction even when the caller's context is done; if it fails,
// the pool closes the connection, which ends the transaction on the server.
func rollback(ptx pgx.Tx) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	_ = ptx.Rollback(ctx)
}

// backoff is the wait before attempt+1.
func backoff(attempt int) time.Duration {
	d := min(baseBackoff<<min(attempt-1, 16), maxBackoff)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
