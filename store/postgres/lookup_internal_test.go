package postgres

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestTokenLookupsInBatches: concurrent ViewOne token lookups (Amazon Business
// authentication) go out in batches, fewer round trips than lookups, and each answers
// its own token: the row, or NotFound for one that is not there.
func TestTokenLookupsInBatches(t *testing.T) {
	s, c := openTraced(t, pgtest.FreshDB(t)+"&pool_max_conns=8")
	ctx := context.Background()
	const n = 64
	for i := range n {
		if i%4 != 3 { // every fourth is missing
			storetest.MustInsert(t, s, storetest.NewAccessToken(fmt.Sprintf("h%02d", i), fmt.Sprintf("biz%02d", i)))
		}
	}
	for round := range 10 { // until the lookups met in a batch of more than one
		trips0 := c.roundTrips.Load()
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				errs[i] = rollcall.ViewOne(ctx, s, func(tx rollcall.Tx) error {
					tok, err := tx.AccessToken(fmt.Sprintf("h%02d", i))
					if err == nil && tok.DirectoryID != fmt.Sprintf("biz%02d", i) {
						return fmt.Errorf("lookup %d answered %+v", i, tok)
					}
					return err
				})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if i%4 == 3 {
				storetest.WantKind(t, fmt.Sprintf("lookup %d (missing)", i), err, rollcall.NotFound)
			} else if err != nil {
				t.Fatalf("lookup %d: %v", i, err)
			}
		}
		if trips := c.roundTrips.Load() - trips0; trips < n {
			t.Logf("round %d: %d lookups in %d round trips", round, n, trips)
			return
		}
	}
	t.Fatalf("%d concurrent lookups took a round trip each, ten times over", n)
}

// TestTokenCacheAcrossReplicas: an Update's AccessToken answers from the replica's
// cache, its check in the Update's own round trip (1 round trip for an Update that
// reads a cached token, 2 when it reads the row first), and a token another replica
// revokes, or deletes with its business, is NotFound on this replica's next Updates,
// which commit nothing that rested on it. Alone and in groups. Only the test's own
// round trips are counted (those made with its context), so the store's background
// work and the pool's pings cannot change the count.
func TestTokenCacheAcrossReplicas(t *testing.T) {
	for _, groupCommit := range []string{"off", "on"} {
		t.Run("group_commit="+groupCommit, func(t *testing.T) {
			dsn := pgtest.FreshDB(t) + "&pool_max_conns=4&group_commit=" + groupCommit
			s1, trips := openCounting(t, dsn)
			s2 := mustOpenInternal(t, dsn)
			storetest.MustInsert(t, s2, storetest.NewDirectory("A"),
				storetest.NewAccessToken("revoked", "A"), storetest.NewAccessToken("kept", "A"),
				storetest.NewAccessToken("cascaded", "B"))
			// confirm is a create's Update: the token, then (insert set) a user.
			confirm := func(ctx context.Context, hash, insert string) error {
				return s1.Update(ctx, func(tx rollcall.Tx) error {
					a, err := tx.AccessToken(hash)
					if err != nil {
						return err
					}
					if a.Hash != hash {
						return fmt.Errorf("AccessToken(%q) answered %+v", hash, a)
					}
					if insert == "" {
						return nil
					}
					return tx.InsertUser(storetest.NewUser("A", insert, insert))
				})
			}
			for _, h := range []string{"revoked", "kept", "cascaded"} {
				if err := confirm(context.Background(), h, ""); err != nil { // fills the cache
					t.Fatalf("%s: %v", h, err)
				}
			}
			if groupCommit == "off" { // a group's COMMIT is not made with the test's context
				const n = 10
				ctx := context.WithValue(context.Background(), countedKey{}, true)
				before := trips.Load()
				for range n {
					if err := confirm(ctx, "kept", ""); err != nil {
						t.Fatal(err)
					}
				}
				if got := trips.Load() - before; got != n {
					t.Errorf("%d Updates that read a cached token took %d round trips, want %d", n, got, n)
				}
			}

			storetest.MustUpdate(t, s2, func(tx rollcall.Tx) error {
				if err := tx.DeleteAccessToken("revoked"); err != nil {
					return err
				}
				return tx.DeleteDirectoryContents("B", rollcall.DirectoryAccessTokens)
			})
			const n = 12
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					hash := [3]string{"revoked", "cascaded", "kept"}[i%3]
					errs[i] = confirm(context.Background(), hash, fmt.Sprintf("u%d", i))
				})
			}
			wg.Wait()
			for i, err := range errs {
				if i%3 == 2 {
					if err != nil {
						t.Errorf("update %d (kept): %v", i, err)
					}
				} else if !rollcall.IsKind(err, rollcall.NotFound) {
					t.Errorf("update %d (token gone): %v, want NotFound", i, err)
				}
			}
			storetest.MustView(t, s1, func(tx rollcall.Tx) error {
				users, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
				if len(users) != n/3 {
					t.Errorf("%d users committed, want %d (those of the kept token)", len(users), n/3)
				}
				return err
			})
			for _, h := range []string{"revoked", "cascaded"} { // and again, alone
				storetest.WantKind(t, h+" once more", confirm(context.Background(), h, ""), rollcall.NotFound)
			}
		})
	}
}

// countedKey marks the context of the statements a countingTracer counts.
type countedKey struct{}

// countingTracer counts the round trips (a batch or a lone statement each) made with a
// context that carries countedKey.
type countingTracer struct{ n *atomic.Int64 }

func (c countingTracer) add(ctx context.Context) {
	if ctx.Value(countedKey{}) != nil {
		c.n.Add(1)
	}
}

func (c countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.add(ctx)
	return ctx
}
func (c countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c countingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.add(ctx)
	return ctx
}
func (c countingTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c countingTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// openCounting opens a Store on dsn whose connections count round trips with a
// countingTracer.
func openCounting(t *testing.T, dsn string) (*Store, *atomic.Int64) {
	t.Helper()
	s, n := mustOpenInternal(t, dsn), &atomic.Int64{}
	traceWith(s, countingTracer{n})
	return s, n
}

// traceWith makes s's connections report to tr: the idle ones, opened before, are
// closed, and new ones carry it.
func traceWith(s *Store, tr pgx.QueryTracer) {
	s.pool.mu.Lock()
	s.pool.cfg.Tracer = tr
	idle := s.pool.idle
	s.pool.idle = nil
	s.pool.mu.Unlock()
	for _, pc := range idle {
		closeConn(pc)
	}
}

func mustOpenInternal(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}
