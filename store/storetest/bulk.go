package storetest

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall"
)

// MustBulkUsers inserts user(0) to user(n-1) straight through the store, in that order,
// 20,000 to a transaction: the setup of benchmarks and tests of large directories, where
// the faces' creates (a commit each, and argon2id for WorkDocs) would dominate.
func MustBulkUsers(tb testing.TB, s rollcall.Store, n int, user func(i int) *rollcall.User) {
	tb.Helper()
	const perTx = 20_000
	for start := 0; start < n; start += perTx {
		err := s.Update(context.Background(), func(tx rollcall.Tx) error {
			for i := start; i < min(start+perTx, n); i++ {
				if err := tx.InsertUser(user(i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatalf("bulk insert: %v", err)
		}
	}
}
