package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
)

// BenchmarkClaimMessages has claimers (replicas' dispatchers) drain b.N due messages at
// once, 20 at a time, and reports messages claimed per second: the cost of FOR UPDATE
// SKIP LOCKED under SERIALIZABLE, retries included.
func BenchmarkClaimMessages(b *testing.B) {
	for _, claimers := range []int{1, 4} {
		b.Run(fmt.Sprintf("claimers=%d", claimers), func(b *testing.B) {
			s := mustOpen(b, freshDB(b))
			ctx := context.Background()
			now := storetest.T0.Add(time.Hour)
			for i := 0; i < b.N; i += 500 {
				err := s.Update(ctx, func(tx rollcall.Tx) error {
					for j := i; j < min(i+500, b.N); j++ {
						if err := tx.InsertMessage(storetest.NewMessage(fmt.Sprintf("m%09d", j), "A", storetest.T0)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			claimed := make([]int, claimers)
			errs := make(chan error, claimers)
			start := make(chan struct{})
			for c := range claimers {
				go func() {
					<-start
					for {
						var got []*rollcall.Message
						err := s.Update(ctx, func(tx rollcall.Tx) (err error) {
							got, err = tx.ClaimMessages(now, time.Hour, 20)
							return err
						})
						if err != nil || len(got) == 0 {
							errs <- err
							return
						}
						claimed[c] += len(got)
					}
				}()
			}
			b.ResetTimer()
			close(start)
			for range claimers {
				if err := <-errs; err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			total := 0
			for _, n := range claimed {
				total += n
			}
			if total != b.N {
				b.Fatalf("%d claimed, want %d", total, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
