package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestRevokedTokenAcrossReplicas: a token one replica has read, through ViewOne (as
// auth does) and View, is refused by that replica's next read once another replica
// has revoked it. And a ViewOne runs one read only.
func TestRevokedTokenAcrossReplicas(t *testing.T) {
	dsn := freshDB(t)
	s1, s2 := mustOpen(t, dsn), mustOpen(t, dsn)
	ctx := context.Background()
	storetest.MustInsert(t, s1, storetest.NewAccessToken("h1", "biz"))
	lookup := func(view func(context.Context, func(rollcall.Tx) error) error) error {
		return view(ctx, func(tx rollcall.Tx) error { _, err := tx.AccessToken("h1"); return err })
	}
	one := func(ctx context.Context, fn func(rollcall.Tx) error) error { return rollcall.ViewOne(ctx, s1, fn) }
	for range 2 {
		if err := lookup(one); err != nil {
			t.Fatalf("ViewOne: %v", err)
		}
		if err := lookup(s1.View); err != nil {
			t.Fatalf("View: %v", err)
		}
	}
	storetest.MustUpdate(t, s2, func(tx rollcall.Tx) error { return tx.DeleteAccessToken("h1") })
	storetest.WantKind(t, "ViewOne after the revoke", lookup(one), rollcall.NotFound)
	storetest.WantKind(t, "View after the revoke", lookup(s1.View), rollcall.NotFound)

	err := s1.ViewOne(ctx, func(tx rollcall.Tx) error {
		if _, err := tx.Directory("biz"); !rollcall.IsKind(err, rollcall.NotFound) {
			return err
		}
		_, err := tx.AccessToken("h1")
		return err
	})
	storetest.WantKind(t, "a second read in a ViewOne", err, rollcall.Internal)
}

// TestGroupCacheAcrossReplicas: an Update's Group and GroupByTag answer from the
// replica's cache and check the row in its transaction. Another replica retags and
// renames a group the first has cached, and deletes another; the first's next Updates
// must see that, never the cached rows: by ID the new name, by the old tag nothing, an
// insert that rests on the deleted group not committed. Alone and in groups.
func TestGroupCacheAcrossReplicas(t *testing.T) {
	for _, groupCommit := range []string{"off", "on"} {
		t.Run("group_commit="+groupCommit, func(t *testing.T) {
			s1, s2 := replicaPair(t, groupCommit)
			ctx := t.Context()
			storetest.MustInsert(t, s1, storetest.NewDirectory("A"),
				storetest.NewGroup("A", "g1", "purchasing"), storetest.NewGroup("A", "g2", "finance"))
			// read answers the name of the group an Update finds (by "id" or "tag"), after
			// inserting a user when insert is set.
			read := func(by, key string, insert string) (string, error) {
				var name string
				err := s1.Update(ctx, func(tx rollcall.Tx) error {
					g, err := tx.Group("A", key)
					if by == "tag" {
						g, err = tx.GroupByTag("A", key)
					}
					if err != nil {
						return err
					}
					name = g.Name
					if insert == "" {
						return nil
					}
					return tx.InsertUser(storetest.NewUser("A", insert, insert))
				})
				return name, err
			}
			for range 2 { // the first read fills the cache, the second answers from it
				for _, r := range [][2]string{{"id", "g1"}, {"tag", "purchasing"}, {"id", "g2"}, {"tag", "finance"}} {
					if _, err := read(r[0], r[1], ""); err != nil {
						t.Fatalf("group %s %s: %v", r[0], r[1], err)
					}
				}
			}

			renamed := storetest.NewGroup("A", "g1", "sales")
			renamed.Name = "renamed"
			storetest.MustUpdate(t, s2, func(tx rollcall.Tx) error {
				if err := tx.PutGroup(renamed); err != nil {
					return err
				}
				return tx.DeleteDirectoryContents("A", rollcall.DirectoryGroups) // g1 goes too: put back below
			})
			storetest.MustInsert(t, s2, renamed)

			const n = 24
			errs, names := make([]error, n), make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					switch i % 4 {
					case 0:
						names[i], errs[i] = read("id", "g1", "")
					case 1:
						names[i], errs[i] = read("tag", "purchasing", "")
					case 2:
						names[i], errs[i] = read("id", "g2", fmt.Sprintf("u%d", i))
					default:
						names[i], errs[i] = read("tag", "finance", fmt.Sprintf("u%d", i))
					}
				})
			}
			wg.Wait()
			for i, err := range errs { // g1 renamed; the old tag, g2 and its tag gone
				want := [4]string{"renamed"}[i%4]
				if want == "" && !rollcall.IsKind(err, rollcall.NotFound) || want != "" && (err != nil || names[i] != want) {
					t.Errorf("update %d: %q, %v; want %q (or NotFound for \"\")", i, names[i], err, want)
				}
			}
			storetest.MustView(t, s1, func(tx rollcall.Tx) error {
				users, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
				if len(users) != 0 {
					t.Errorf("%d users committed on a deleted group", len(users))
				}
				return err
			})
		})
	}
}

// replicaPair opens two stores on one fresh database, as two replicas, with group
// commits on or off.
func replicaPair(t *testing.T, groupCommit string) (*postgres.Store, *postgres.Store) {
	dsn := withParam(withParam(freshDB(t), "pool_max_conns", "4"), "group_commit", groupCommit)
	return mustOpen(t, dsn), mustOpen(t, dsn)
}
