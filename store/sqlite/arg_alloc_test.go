//go:build !race

package sqlite_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestInsertUserArgumentsDoNotAllocate: a user's columns go to the statement pointing at
// the user (stringArg), not each copied to the heap to become an interface value (21
// allocations an InsertUser on the cgo driver before, 8 after; 27 and 14 on the pure-Go
// one: the rest are the driver's own, the derived keys' and the times').
func TestInsertUserArgumentsDoNotAllocate(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	const runs = 100
	users := make([]*rollcall.User, runs+1)
	t0 := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for i := range users {
		id := "u-" + strconv.Itoa(i)
		users[i] = &rollcall.User{ID: id, DirectoryID: "dir-1", TenantID: "111122223333", Kind: rollcall.DirChime, Key: id,
			Email: id + "@example.com", Username: id + "@example.com", GivenName: "Ada", FamilyName: "Lovelace",
			DisplayName: "Ada Lovelace", UserType: "PrivateUser", Status: "Active", CreatedAt: t0, UpdatedAt: t0,
			Attrs: `{"a":1}`}
	}
	var allocs float64
	err := s.Update(ctx, func(tx rollcall.Tx) error {
		n := 0
		allocs = testing.AllocsPerRun(runs, func() {
			if err := tx.InsertUser(users[n]); err != nil {
				t.Fatal(err)
			}
			n++
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v allocations per InsertUser", allocs)
	if allocs > maxInsertUserAllocs {
		t.Errorf("%v allocations per InsertUser, want at most %d", allocs, maxInsertUserAllocs)
	}
	err = s.View(ctx, func(tx rollcall.Tx) error {
		u, err := tx.User("dir-1", "u-7")
		if err != nil {
			return err
		}
		if u.Email != "u-7@example.com" || u.Kind != rollcall.DirChime || u.DisplayName != "Ada Lovelace" || u.Attrs != `{"a":1}` || !u.CreatedAt.Equal(t0) {
			t.Errorf("stored %+v", u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
