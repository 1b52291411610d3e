package postgres

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// pool is a small pool of *pgx.Conn. (pgxpool would do, but needs
// github.com/jackc/puddle/v2, which the module does not require; this is the part of
// it the Store uses.) At most maxConns connections are open; an idle connection is
// reused most-recently-used first, so the warm ones keep their prepared statements;
// one idle for more than a second is pinged before reuse, so a connection the server
// dropped is replaced rather than failing a transaction; a connection is retired after
// maxLifetime, and one given back broken, busy or inside a transaction is closed.
type pool struct {
	cfg         *pgx.ConnConfig
	sem         chan struct{} // a token per connection open or being opened
	maxLifetime time.Duration

	mu     sync.Mutex
	idle   []*pooledConn // least recently used first
	closed bool
}

type pooledConn struct {
	conn     *pgx.Conn
	created  time.Time
	lastUsed time.Time
}

const (
	defaultMaxLifetime = time.Hour
	pingIdleAfter      = time.Second
	closeTimeout       = 5 * time.Second
)

// parseDSN parses a libpq connection string or URL. Like pgxpool, it takes
// pool_max_conns (default: 4, or the number of CPUs when that is more) and
// pool_max_conn_lifetime (a Go duration, default 1h) out of it.
func parseDSN(dsn string) (*pgx.ConnConfig, int, time.Duration, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, 0, 0, err
	}
	maxConns, lifetime := max(4, runtime.NumCPU()), defaultMaxLifetime
	if v, ok := cfg.RuntimeParams["pool_max_conns"]; ok {
		delete(cfg.RuntimeParams, "pool_max_conns")
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, 0, 0, fmt.Errorf("pool_max_conns=%q: want a positive integer", v)
		}
		maxConns = n
	}
	if v, ok := cfg.RuntimeParams["pool_max_conn_lifetime"]; ok {
		delete(cfg.RuntimeParams, "pool_max_conn_lifetime")
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, 0, 0, fmt.Errorf("pool_max_conn_lifetime=%q: want a positive duration", v)
		}
		lifetime = d
	}
	return cfg, maxConns, lifetime, nil
}

func newPool(cfg *pgx.ConnConfig, maxConns int, maxLifetime time.Duration) *pool {
	return &pool{cfg: cfg, sem: make(chan struct{}, maxConns), maxLifetime: maxLifetime}
}

// acquire returns a connection for the caller's sole use until release; it waits for
// one while maxConns are in use.
func (p *pool) acquire(ctx context.Context) (*pooledConn, error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			<-p.sem
			return nil, errStoreClosed
		}
		var pc *pooledConn
		if n := len(p.idle); n > 0 {
			pc, p.idle = p.idle[n-1], p.idle[:n-1]
		}
		p.mu.Unlock()
		if pc == nil {
			break
		}
		if pc.conn.IsClosed() || time.Since(pc.created) > p.maxLifetime {
			closeConn(pc)
			continue
		}
		if time.Since(pc.lastUsed) > pingIdleAfter {
			if err := pc.conn.Ping(ctx); err != nil {
				closeConn(pc)
				if ctx.Err() != nil {
					<-p.sem
					return nil, ctx.Err()
				}
				continue
			}
		}
		return pc, nil
	}
	return p.connect(ctx)
}

// connect opens a new connection for a caller that holds a place in sem, and gives the
// place back if it cannot.
func (p *pool) connect(ctx context.Context) (*pooledConn, error) {
	conn, err := pgx.ConnectConfig(ctx, p.cfg)
	if err != nil {
		<-p.sem
		return nil, err
	}
	now := time.Now()
	return &pooledConn{conn: conn, created: now, lastUsed: now}, nil
}

// startConns is how many connections Open opens at once (maxConns at most): a start
// took five, one after another, each found the pool's connections held (a committer
// keeps its own) and opened one, 12-37 ms each on this machine: the migrations check,
// the dev defaults, the fault rules and the health check's two.
const startConns = 5

// warm opens n more connections, each in its own goroutine, and leaves them idle; the
// returned function waits for them. A connection that cannot be opened is not retried:
// the next acquire connects, and says why it cannot.
func (p *pool) warm(ctx context.Context, n int) (wait func()) {
	var wg sync.WaitGroup
	for range n {
		select {
		case p.sem <- struct{}{}:
		default:
			return wg.Wait // maxConns are open or being opened
		}
		wg.Go(func() {
			if pc, err := p.connect(ctx); err == nil {
				p.release(pc)
			}
		})
	}
	return wg.Wait
}

// release gives pc back. A connection that is closed, busy or still in a transaction
// (its user panicked, or a rollback failed) is closed instead of reused.
func (p *pool) release(pc *pooledConn) {
	defer func() { <-p.sem }()
	pg := pc.conn.PgConn()
	if pc.conn.IsClosed() || pg.IsBusy() || pg.TxStatus() != 'I' {
		closeConn(pc)
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		closeConn(pc)
		return
	}
	pc.lastUsed = time.Now()
	p.idle = append(p.idle, pc)
	p.mu.Unlock()
}

// reusable reports whether pc, held by its user between transactions (a committer's),
// may serve the next one as it is: open, idle, used within pingIdleAfter and younger
// than maxLifetime. One that is not goes back through release, and a new one comes
// from acquire, which pings or replaces it.
func (p *pool) reusable(pc *pooledConn) bool {
	pg := pc.conn.PgConn()
	if pc.conn.IsClosed() || pg.IsBusy() || pg.TxStatus() != 'I' {
		return false
	}
	now := time.Now()
	if now.Sub(pc.created) > p.maxLifetime || now.Sub(pc.lastUsed) > pingIdleAfter {
		return false
	}
	pc.lastUsed = now
	return true
}

// close closes the idle connections; those in use are closed as they are released.
// Later acquires fail.
func (p *pool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, pc := range idle {
		closeConn(pc)
	}
}

func closeConn(pc *pooledConn) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	_ = pc.conn.Close(ctx) // the connection is dropped either way
}
