package sqlite_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// BenchmarkUpdateLatency4: the latency of a create as the Service makes it (a
// directory read and an insert, time-ordered IDs) from 4 goroutines, each waiting for
// its Update before the next, as at 4 clients (issue 12's low-load case). Besides the
// percentiles it reports which share of all Updates, and of those at or past the p99,
// overlapped a checkpoint (PASSIVE or RESTART), and how many RESTARTs (writer stalls)
// each 1,000 commits cost: what the tail is made of, in figures that a shared machine
// moves less than the percentiles. Run it with -benchtime 5s or more.
func BenchmarkUpdateLatency4(b *testing.B) {
	type span struct{ from, to time.Time }
	var mu sync.Mutex
	var ckpts []span
	s := mustOpen(b, sqlite.WithHooks(sqlite.Hooks{Checkpoint: func(d time.Duration) {
		now := time.Now()
		mu.Lock()
		ckpts = append(ckpts, span{now.Add(-d), now})
		mu.Unlock()
	}}))
	storetest.MustInsert(b, s, storetest.NewDirectory("bench"))
	next := idKinds[1].next()
	var left atomic.Int64
	left.Store(int64(b.N))
	var ups []span
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for range 4 {
		wg.Go(func() {
			var mine []span
			for left.Add(-1) >= 0 {
				u := benchUser(next())
				from := time.Now()
				if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
					if _, err := tx.Directory(u.DirectoryID); err != nil {
						return err
					}
					return tx.InsertUser(u)
				}); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, span{from, time.Now()})
			}
			mu.Lock()
			ups = append(ups, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	b.StopTimer()
	mu.Lock()
	defer mu.Unlock()
	if len(ups) == 0 {
		return
	}
	lat := make([]time.Duration, len(ups))
	for i, u := range ups {
		lat[i] = u.to.Sub(u.from)
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	p99 := q(0.99)
	var overlapped, slow, slowOverlapped int
	for _, u := range ups {
		over := slices.ContainsFunc(ckpts, func(c span) bool { return c.from.Before(u.to) && c.to.After(u.from) })
		if over {
			overlapped++
		}
		if u.to.Sub(u.from) >= p99 {
			slow++
			if over {
				slowOverlapped++
			}
		}
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(q(0.5)), "p50-ms")
	b.ReportMetric(ms(p99), "p99-ms")
	b.ReportMetric(ms(q(0.999)), "p99.9-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	b.ReportMetric(100*float64(overlapped)/float64(len(ups)), "ckpt-overlap-%")
	b.ReportMetric(100*float64(slowOverlapped)/float64(slow), "slow-ckpt-%")
	if st := s.Stats(); st.Commits > 0 {
		b.ReportMetric(1000*float64(st.Restarts)/float64(st.Commits), "restarts/1k-commits")
	}
}
