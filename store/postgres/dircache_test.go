package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestDirectoryCacheAcrossReplicas: an Update's Directory answers from the replica's
// cache and checks the row in its transaction. Another replica changes or deletes a
// directory the first has cached; the first's next Updates must see the change, never
// the cached row: an insert into a deleted directory is not committed, and an fn that
// fails on what it read fails on the row as it is (NotFound), not as it was cached.
// Alone and in groups.
func TestDirectoryCacheAcrossReplicas(t *testing.T) {
	for _, group := range []string{"off", "on"} {
		t.Run("group_commit="+group, func(t *testing.T) {
			dsn := withParam(withParam(freshDB(t), "pool_max_conns", "4"), "group_commit", group)
			s1, s2 := mustOpen(t, dsn), mustOpen(t, dsn)
			ctx := context.Background()
			storetest.MustInsert(t, s1, storetest.NewDirectory("A"), storetest.NewDirectory("B"))
			name := func(s rollcall.Store, id string) (string, error) {
				var n string
				err := s.Update(ctx, func(tx rollcall.Tx) error {
					d, err := tx.Directory(id)
					if err == nil {
						n = d.Name
					}
					return err
				})
				return n, err
			}
			for range 2 { // the first read fills the cache, the second answers from it
				if n, err := name(s1, "A"); err != nil || n != "directory A" {
					t.Fatalf("Directory(A) = %q, %v", n, err)
				}
			}
			if _, err := name(s1, "B"); err != nil {
				t.Fatal(err)
			}

			// Replica 2 renames A and deletes B.
			err := s2.Update(ctx, func(tx rollcall.Tx) error {
				d, err := tx.Directory("A")
				if err != nil {
					return err
				}
				d.Name = "renamed"
				if err := tx.UpdateDirectory(d); err != nil {
					return err
				}
				return tx.DeleteDirectoryRow("B")
			})
			if err != nil {
				t.Fatal(err)
			}

			// Replica 1, many Updates at once (so in groups when they are on).
			const n = 24
			errs := make([]error, n)
			names := make([]string, n)
			var wg sync.WaitGroup
			errFound := errors.New("B is there")
			for i := range n {
				wg.Go(func() {
					switch i % 3 {
					case 0:
						names[i], errs[i] = name(s1, "A")
					case 1: // an insert into B, which is gone
						errs[i] = s1.Update(ctx, func(tx rollcall.Tx) error {
							if _, err := tx.Directory("B"); err != nil {
								return err
							}
							id := fmt.Sprintf("u%d", i)
							return tx.InsertUser(storetest.NewUser("B", id, id))
						})
					default: // an fn that fails on what it read
						errs[i] = s1.Update(ctx, func(tx rollcall.Tx) error {
							if _, err := tx.Directory("B"); err != nil {
								return err
							}
							return errFound
						})
					}
				})
			}
			wg.Wait()
			for i, err := range errs {
				switch i % 3 {
				case 0:
					if err != nil || names[i] != "renamed" {
						t.Errorf("update %d read A as %q (%v), want renamed", i, names[i], err)
					}
				default:
					if !rollcall.IsKind(err, rollcall.NotFound) {
						t.Errorf("update %d on the deleted B: %v, want NotFound", i, err)
					}
				}
			}
			storetest.MustView(t, s1, func(tx rollcall.Tx) error {
				users, err := tx.Users(rollcall.UserQuery{DirectoryID: "B"})
				if len(users) != 0 {
					t.Errorf("%d users committed into the deleted directory", len(users))
				}
				return err
			})
		})
	}
}
