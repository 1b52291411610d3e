package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/atomicfile"
)

// Store is a rollcall.Store on one SQLite file. Open it once per file and process: its
// writer goroutine is meant to be the file's only writer (another would wait for
// SQLite's lock, up to the busy timeout).
type Store struct {
	path    string
	writeDB *sql.DB // one connection, owned by the writer goroutine
	readDB  *sql.DB // read-only connections for View
	w       *writer
	cp      *checkpointer
	reqs    chan *request
	readers chan *dbConn // idle read connections; nil is a slot not opened yet
	tokens  tokenCache   // access tokens Views read (tokencache.go)
	idem    idemIndex    // the idempotency records' tokens (idempotency.go)
	stats   counters
	opts    options
	checked checkedFiles // snapshots known whole (restore.go)

	mu        sync.Mutex
	idle      *sync.Cond // signalled when active drops to 0
	closed    bool
	active    int // Views running and Updates being handed to the writer
	closeOnce sync.Once
	closeErr  error
}

var _ rollcall.Store = (*Store)(nil)

// Option configures Open.
type Option func(*options)

type options struct {
	maxBatch    int
	readConns   int
	busyTimeout time.Duration
	hooks       Hooks
	idemHash    func(scope, token string) uint64 // tests: idemIndex.hash
}

// Hooks observe the store's writes, for metrics; a nil field is skipped. They run on the
// writer's and the checkpointer's goroutines and must not block.
type Hooks struct {
	// Commit: one transaction committed, carrying requests Updates (group commit), and
	// its COMMIT took d.
	Commit func(requests int, d time.Duration)
	// Checkpoint: one WAL checkpoint (PASSIVE or RESTART) took d.
	Checkpoint func(d time.Duration)
}

// WithHooks sets the hooks that observe commits and checkpoints.
func WithHooks(h Hooks) Option { return func(o *options) { o.hooks = h } }

// QueueDepth is how many Updates wait for the writer now. It never blocks.
func (s *Store) QueueDepth() int { return len(s.reqs) }

// WithMaxBatch bounds how many Updates share one transaction (default 256).
func WithMaxBatch(n int) Option { return func(o *options) { o.maxBatch = max(n, 1) } }

// WithReadConns sets how many read-only connections Views share (default: 4, or twice
// GOMAXPROCS when that is more).
func WithReadConns(n int) Option { return func(o *options) { o.readConns = max(n, 1) } }

// WithBusyTimeout sets how long a connection waits for a lock another process holds
// before it gives up with Unavailable (default 10s).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busyTimeout = d } }

// Open opens the database file at path, creating it and its directory if needed, and
// brings its schema up to date. It fails if the file was written by a newer rollcall
// whose schema this one does not know.
func Open(path string, opts ...Option) (*Store, error) {
	o := options{maxBatch: 256, readConns: max(4, 2*runtime.GOMAXPROCS(0)), busyTimeout: 10 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := createPrivate(abs); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	removeStale(abs)
	s := &Store{path: abs, reqs: make(chan *request, 4*o.maxBatch), readers: make(chan *dbConn, o.readConns)}
	s.idem.seed = maphash.MakeSeed()
	s.idle = sync.NewCond(&s.mu)
	for range o.readConns {
		s.readers <- nil
	}
	existed := existing(abs)
	if err := s.open(o); err != nil {
		cerr := s.closeDBs()
		if noSpace(err) {
			err = atomicfile.NoSpaceIn(filepath.Dir(abs), err)
		}
		removeCreated(abs, existed)
		return nil, errors.Join(fmt.Errorf("sqlite: open %s: %w", abs, err), cerr)
	}
	go s.w.run()
	go s.cp.run()
	return s, nil
}

// fileSuffixes are the database file and SQLite's files beside it.
var fileSuffixes = []string{"", "-wal", "-shm"}

// existing says which of the database's files exist.
func existing(path string) map[string]bool {
	m := make(map[string]bool)
	for _, suf := range fileSuffixes {
		if _, err := os.Lstat(path + suf); err == nil {
			m[suf] = true
		}
	}
	return m
}

// removeCreated removes the files a failed Open created (an empty database, a 0-byte
// -wal, a 3-byte -shm), so that the directory is as it was: nothing a later start could
// trip over. Files that were there before are left alone.
func removeCreated(path string, existed map[string]bool) {
	for _, suf := range fileSuffixes {
		if !existed[suf] {
			os.Remove(path + suf)
		}
	}
}

func (s *Store) open(o options) error {
	s.opts = o
	s.w = &writer{shm: shmFile{path: s.path}, tokens: &s.tokens, idem: &s.idem, reqs: s.reqs, maxBatch: o.maxBatch, stats: &s.stats, stopped: make(chan struct{}),
		kick: make(chan struct{}, 1), busyTimeout: o.busyTimeout, hooks: o.hooks, maxGather: maxGather}
	s.cp = &checkpointer{kick: s.w.kick, stop: make(chan struct{}), stopped: make(chan struct{}),
		restart: &s.w.restart, room: &s.w.room, runs: &s.stats.checkpoints, observe: o.hooks.Checkpoint}
	s.cp.maxFrames.Store(maxWALFrames)
	s.w.room.path = s.path
	s.w.room.floor.Store(lowSpace)
	s.openPools()
	if err := s.openConns(); err != nil {
		return err
	}
	if err := migrate(context.Background(), s.w.c); err != nil {
		return err
	}
	s.idem.hash = o.idemHash
	return s.idem.start(context.Background(), s)
}

// openPools opens the read pool and the write pool (the writer's and the
// checkpointer's connections); openConns takes those two out of it. Both run at Open,
// and again after a restore has put another file in place (restore.go).
func (s *Store) openPools() {
	s.readDB = pool(openDB(s.path, pragmas(s.opts, true)...), s.opts.readConns)
	s.writeDB = pool(openOwnedDB(s.path, pragmas(s.opts, false)...), 2)
}

// pool makes db a pool of n connections that are never closed for age or idleness.
func pool(db *sql.DB, n int) *sql.DB {
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db
}

func (s *Store) openConns() (err error) {
	if s.w.c, err = newOwnedConn(context.Background(), s.writeDB); err != nil {
		return err
	}
	s.cp.c, err = newOwnedConn(context.Background(), s.writeDB)
	return err
}

// pragmas are what every connection runs first (see openDB): WAL,
// synchronous=FULL (a COMMIT returns after its WAL frames are fsynced), foreign keys,
// a busy timeout, an in-memory temp store (savepoint journals stay off the disk); for
// the write pool, no automatic checkpoints (see checkpoint.go) and a WAL truncated
// back to walKeep (128 MiB) when it starts over; for the read pool, query_only. The
// write pool's WAL writes wait in memory for the COMMIT's sync, then go out in one
// pwrite (walvfs_cgo.go; synchronous=FULL is what makes that safe).
//
// Tried and left out: the WAL synced with fdatasync (the cgo driver's SQLite has no
// HAVE_FDATASYNC, so it fsyncs; a VFS wrapping the unix one's WAL xSync). On
// this disk 5 overwritten WAL pages synced in p50 350-400 µs by fsync, 318-368 by
// fdatasync, p99 3.6-5.7 and 4.6-4.8 ms; the 4-client p99 was lower in 6 of 10
// store-level pairs and 5 of 10 concurrent HTTP rounds: no gain to tell.
func pragmas(o options, readOnly bool) []string {
	p := []string{
		"busy_timeout(" + strconv.FormatInt(o.busyTimeout.Milliseconds(), 10) + ")",
		"journal_mode(WAL)",
		"synchronous(FULL)",
		"foreign_keys(ON)",
		"temp_store(MEMORY)",
	}
	if readOnly {
		return append(p, "query_only(1)")
	}
	return append(p, "wal_autocheckpoint(0)", "journal_size_limit("+strconv.Itoa(walKeep)+")")
}

// enter registers a View or an Update hand-in, unless the store is closed.
func (s *Store) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.active++
	return true
}

func (s *Store) leave() {
	s.mu.Lock()
	s.active--
	if s.active == 0 && s.closed {
		s.idle.Broadcast()
	}
	s.mu.Unlock()
}

// Update runs fn in the writer's next group commit and returns after that commit is
// durable, or after fn failed and its writes were rolled back. If ctx ends before the
// writer picks the request up, fn does not run and Update returns ctx.Err(); once fn
// runs, Update waits for the outcome whatever ctx does, so a caller is never told an
// Update failed that committed. A panic in fn is returned as an Internal error.
// fn must not call Update: the writer would wait for itself.
func (s *Store) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !s.enter() {
		return errClosed()
	}
	fn = rollcall.Hooked(ctx, fn) // the call's audit event commits with its writes
	r := requests.Get().(*request)
	r.ctx, r.fn, r.at, r.detached = ctx, fn, monoNow(), rollcall.IsDetached(ctx)
	select {
	case s.reqs <- r:
		s.leave()
	case <-ctx.Done():
		s.leave()
		r.ctx, r.fn = nil, nil
		requests.Put(r)
		return ctx.Err()
	}
	err := <-r.done
	r.ctx, r.fn = nil, nil
	requests.Put(r)
	return err
}

// View runs fn in a read-only transaction on one of the read connections: every read
// in fn sees the same snapshot, that of its first read. Write methods return an
// Internal error.
func (s *Store) View(ctx context.Context, fn func(rollcall.Tx) error) (err error) {
	return s.view(ctx, false, fn)
}

// ViewOne runs fn, which makes one read, as a View whose read may be answered from the
// token cache (rollcall.OneReadViewer): an access token's lookup then takes no read
// connection. A second read fails. Only a View of one read may answer from the cache:
// a row from it is the latest committed, so it is no snapshot a later read could share.
func (s *Store) ViewOne(ctx context.Context, fn func(rollcall.Tx) error) error {
	return s.view(ctx, true, fn)
}

func (s *Store) view(ctx context.Context, single bool, fn func(rollcall.Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !s.enter() {
		return errClosed()
	}
	defer s.leave()
	t := &tx{ctx: ctx, view: s, single: single} // takes its connection at its first statement (tx.conn)
	defer func() {
		t.done = true
		c := t.c
		if c == nil {
			return
		}
		if _, err := c.exec(context.Background(), "ROLLBACK"); err != nil {
			c.close() // a connection that cannot end its transaction is replaced
			c = nil
		}
		s.readers <- c // nil if it broke
	}()
	return fn(t)
}

// takeReader takes a read connection from the pool, opening one if its slot is empty;
// the caller puts it back (or nil, if it broke) when done.
func (s *Store) takeReader(ctx context.Context) (*dbConn, error) {
	var c *dbConn
	select {
	case c = <-s.readers:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if c == nil {
		var err error
		if c, err = newConn(ctx, s.readDB); err != nil {
			s.readers <- nil
			return nil, translate("open a read connection", err)
		}
	}
	return c, nil
}

// Close stops accepting Updates and Views, waits for those under way, lets the writer
// finish every Update already handed to it, and closes the database.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		for s.active > 0 {
			s.idle.Wait()
		}
		s.mu.Unlock()
		close(s.reqs)
		<-s.w.stopped
		close(s.cp.stop)
		<-s.cp.stopped
		s.closeErr = s.closeDBs()
	})
	return s.closeErr
}

// closeDBs closes every connection; it also cleans up after a failed Open.
func (s *Store) closeDBs() error {
	readers := make([]*dbConn, 0, cap(s.readers))
	for range cap(s.readers) {
		readers = append(readers, <-s.readers)
	}
	return s.disconnect(readers)
}

// disconnect closes the read connections given (nil ones are slots never opened), the
// writer's and the checkpointer's connections, the pools, and the -shm handle, last.
func (s *Store) disconnect(readers []*dbConn) error {
	var errs []error
	if s.w != nil && s.w.c != nil { // nil: a failed Open, or a restore that could not reopen
		errs = append(errs, s.w.c.close())
		s.w.c = nil
	}
	if s.cp != nil && s.cp.c != nil {
		errs = append(errs, s.cp.c.close())
		s.cp.c = nil
	}
	for _, c := range readers {
		if c != nil {
			errs = append(errs, c.close())
		}
	}
	for _, db := range []*sql.DB{s.readDB, s.writeDB} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	if s.w != nil {
		s.w.shm.close() // after SQLite's connections: see shmFile
	}
	return errors.Join(errs...)
}

// Stats counts the writer's work since Open.
type Stats struct {
	Batches   int64 // transactions the writer began
	Commits   int64 // transactions that committed
	Committed int64 // Updates whose writes were committed
	Failed    int64 // Updates that ran and returned an error (fn's, or the commit's)
	Canceled  int64 // Updates whose context ended before the writer picked them up
	Retried   int64 // Updates run again after another one's error ended their transaction
	MaxBatch  int64 // the most Updates one batch has carried

	RunTime     time.Duration // the writer's time in fns (the batches' statements)
	CommitTime  time.Duration // the writer's time in COMMIT: writing and syncing the WAL
	Checkpoints int64         // PASSIVE checkpoints the checkpointer ran
	Restarts    int64         // RESTART (or TRUNCATE) checkpoints the writer ran, the WAL grown too long
}

// Stats returns the writer's counters. Committed/Commits is the group-commit factor:
// how many Updates one fsync acknowledged, on average.
func (s *Store) Stats() Stats {
	c := &s.stats
	return Stats{Batches: c.batches.Load(), Commits: c.commits.Load(), Committed: c.committed.Load(),
		Failed: c.failed.Load(), Canceled: c.canceled.Load(), Retried: c.retried.Load(), MaxBatch: c.maxBatch.Load(),
		RunTime: time.Duration(c.runNanos.Load()), CommitTime: time.Duration(c.commitNanos.Load()),
		Checkpoints: c.checkpoints.Load(), Restarts: c.restarts.Load()}
}
