package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
)

// BenchmarkUsersPage reads one page of 100 users from the middle of a directory of 1,000
// and of 1,000,000 users, in the orders the faces page in (by ID: Chime ListUsers and
// Alexa's default; by key: WorkDocs USER_NAME and Alexa's UserId). Keyset pagination
// on an index makes a page cost the same at either size; an OFFSET or a scan would not.
//
//	go test ./store/sqlite -run '^$' -bench UsersPage -benchtime 2000x
func BenchmarkUsersPage(b *testing.B) {
	for _, n := range []int{1_000, 1_000_000} {
		st, mid := pageBenchStore(b, n)
		for _, order := range []struct {
			name  string
			byKey bool
			after string
		}{{"byID", false, mid.ID}, {"byKey", true, mid.Key}} {
			b.Run(fmt.Sprintf("users=%d/%s", n, order.name), func(b *testing.B) {
				f := rollcall.UserFilter{DirectoryID: "bench", After: order.after, Limit: 100, OrderByKey: order.byKey}
				for b.Loop() {
					err := st.View(context.Background(), func(tx rollcall.Tx) error {
						users, err := tx.Users(f)
						if err == nil && len(users) != 100 {
							err = fmt.Errorf("a page of %d", len(users))
						}
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		st.Close()
	}
}

// pageBenchStore fills a fresh directory with n users with random (UUID) IDs, and
// returns the user in the middle by ID.
func pageBenchStore(b *testing.B, n int) (rollcall.Store, *rollcall.User) {
	b.Helper()
	st, err := sqlite.Open(filepath.Join(b.TempDir(), "page.db"))
	if err != nil {
		b.Fatal(err)
	}
	const batch = 10_000
	for done := 0; done < n; done += batch {
		err := st.Update(context.Background(), func(tx rollcall.Tx) error {
			for i := done; i < min(n, done+batch); i++ {
				if err := tx.InsertUser(benchUser(uuid())); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	var mid *rollcall.User
	err = st.View(context.Background(), func(tx rollcall.Tx) error {
		users, err := tx.Users(rollcall.UserFilter{DirectoryID: "bench", Limit: n/2 + 1})
		if err == nil {
			mid = users[len(users)-1]
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return st, mid
}
