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

// TestGroupCommitOutcomes runs many Updates at once, so that they share group commits,
// and checks that each has the outcome it would have alone: one of many inserts of the
// same key wins and the others are Conflict; an fn that fails after a write keeps none
// of it; a statement that aborts the transaction fails its own
// Update only; a panic reaches its caller; the rest commit.
func TestGroupCommitOutcomes(t *testing.T) {
	s := mustOpen(t, withParam(withParam(freshDB(t), "pool_max_conns", "8"), "group_commit", "on"))
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	ctx := context.Background()
	errMine := errors.New("fn failed after its write")
	const n = 200
	errs := make([]error, n)
	panicked := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panicked[i] = recover() }()
			errs[i] = s.Update(ctx, func(tx rollcall.Tx) error {
				switch i % 5 {
				case 0: // all race for one key
					return tx.InsertUser(storetest.NewUser("A", fmt.Sprintf("dup-%d", i), "dup"))
				case 1:
					if err := tx.InsertUser(storetest.NewUser("A", fmt.Sprintf("undone-%d", i), fmt.Sprintf("undone-%d", i))); err != nil {
						return err
					}
					return errMine
				case 2:
					// PostgreSQL refuses a NUL in text: the statement aborts the transaction.
					return tx.InsertUser(storetest.NewUser("A", fmt.Sprintf("bad-%d", i), fmt.Sprintf("bad-\x00-%d", i)))
				case 3:
					if err := tx.InsertUser(storetest.NewUser("A", fmt.Sprintf("panic-%d", i), fmt.Sprintf("panic-%d", i))); err != nil {
						return err
					}
					panic("boom")
				}
				return tx.InsertUser(storetest.NewUser("A", fmt.Sprintf("ok-%d", i), fmt.Sprintf("ok-%d", i)))
			})
		}()
	}
	wg.Wait()
	won := 0
	for i := range n {
		err := errs[i]
		switch i % 5 {
		case 0:
			if err == nil {
				won++
			} else if !rollcall.IsKind(err, rollcall.Conflict) {
				t.Errorf("dup %d: %v, want nil or Conflict", i, err)
			}
		case 1:
			if !errors.Is(err, errMine) {
				t.Errorf("undone %d: %v, want fn's error", i, err)
			}
		case 2:
			if err == nil {
				t.Errorf("bad %d: committed a key with a NUL", i)
			}
		case 3:
			if panicked[i] == nil {
				t.Errorf("panic %d: the panic did not reach the caller (err %v)", i, err)
			}
		default:
			if err != nil {
				t.Errorf("ok %d: %v", i, err)
			}
		}
	}
	if won != 1 {
		t.Errorf("%d inserts of one key committed, want 1", won)
	}
	err := s.View(ctx, func(tx rollcall.Tx) error {
		users, err := tx.Users(rollcall.UserFilter{DirectoryID: "A"})
		if err != nil {
			return err
		}
		if want := 1 + n/5; len(users) != want {
			t.Errorf("%d users stored, want %d (one dup and the ok ones)", len(users), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := s.GroupStats()
	t.Logf("group commits: %+v", st)
	if st.Commits == 0 {
		t.Error("no group commit")
	}
}
