package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/rollcall/rollcall/store/postgres/pgtest"
)

// TestOpenOpensTheStartsConnectionsAtOnce: Open leaves startConns connections idle (no
// more than pool_max_conns), opened while the migrations were checked. Before, it left
// the one the migrations used, and each step of a start that found it held (the dev
// defaults, the fault rules, the health check) opened another, one after another.
func TestOpenOpensTheStartsConnectionsAtOnce(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	for _, max := range []int{1, 2, 16} {
		s, err := Open(context.Background(), dsn+fmt.Sprintf("&pool_max_conns=%d", max))
		if err != nil {
			t.Fatal(err)
		}
		s.pool.mu.Lock()
		idle := len(s.pool.idle)
		s.pool.mu.Unlock()
		if want := min(max, startConns); idle != want {
			t.Errorf("pool_max_conns=%d: %d connections idle after Open, want %d", max, idle, want)
		}
		if inUse := len(s.pool.sem); inUse != 0 {
			t.Errorf("pool_max_conns=%d: %d connections counted in use after Open, want 0", max, inUse)
		}
		s.Close()
	}
}
