package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"

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
