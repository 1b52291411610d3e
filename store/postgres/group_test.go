package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
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
		wg.Go(func() {
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
		})
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
		users, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
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

// TestGroupCommitLostInCrash crashes the server (pg_ctl stop -m immediate) while a
// group's COMMIT is running (a deferred trigger holds it in pg_sleep), keeps it down for
// a while, and restarts it. While the group's outcome is unknown and cannot be settled,
// other writes must not wait for it: an Update and the health probe answer Unavailable
// at once. Once the server is back, the group's Updates are answered as what happened:
// the crash ended the COMMIT, so each is Unavailable (or, had it committed, nil), never
// Internal, and none answered Unavailable is stored.
func TestGroupCommitLostInCrash(t *testing.T) {
	c := pgtest.NewCluster(t)
	// Three connections: one committer, two for Views and Updates that run alone.
	s := mustOpen(t, withParam(withParam(c.DSN, "pool_max_conns", "3"), "group_commit", "on"))
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	ctx := context.Background()
	sql := func(q string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, c.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The COMMIT of a transaction that sees a held- user (its own insert: none is ever
	// committed) sleeps in a trigger on its commit marker.
	sql(`CREATE FUNCTION hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF EXISTS (SELECT 1 FROM users WHERE id LIKE 'held-%') THEN
				PERFORM pg_sleep(60);
			END IF;
			RETURN NULL;
		END $$;
		CREATE CONSTRAINT TRIGGER hold_commit AFTER INSERT ON rollcall_commits
			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hold_commit()`)

	create := func(id string) error {
		return s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(storetest.NewUser("A", id, id)) })
	}
	const n = 4
	grouped := make(chan error, n)
	for i := range n {
		go func() { grouped <- create(fmt.Sprintf("held-%d", i)) }()
	}
	waitForSleep(t, c.DSN)
	c.Stop("immediate")

	// With the server down and the group's outcome unknown, writes fail at once.
	during := make(chan error, 2)
	go func() { during <- create("during") }()
	go func() { during <- s.ProbeWrite(ctx) }()
	timeout := time.After(3 * time.Second)
	answered := 0
wait:
	for answered < 2 {
		select {
		case err := <-during:
			answered++
			if !rollcall.IsKind(err, rollcall.Unavailable) {
				t.Errorf("a write while the server is down: %v, want Unavailable", err)
			}
		case <-timeout:
			break wait
		}
	}
	if blocked := 2 - answered; blocked > 0 {
		t.Errorf("%d writes waited more than 3s while a group's unknown outcome was pending", blocked)
	}
	time.Sleep(time.Second) // the outcome stays unknown a while longer
	c.Start()
	for range 2 - answered {
		<-during
	}

	var refused []string
	for range n {
		select {
		case err := <-grouped:
			switch {
			case err == nil:
			case rollcall.IsKind(err, rollcall.Unavailable):
				refused = append(refused, "")
			default:
				t.Errorf("a create whose COMMIT was lost: %v, want nil or Unavailable", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("a create whose COMMIT was lost is still unanswered 20s after the server came back")
		}
	}
	if len(refused) == 0 {
		t.Error("no create was refused: the crash did not end a COMMIT")
	}
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		users, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
		if err != nil {
			return err
		}
		if len(users) != n-len(refused) {
			t.Errorf("%d users stored, want %d: the %d creates acknowledged", len(users), n-len(refused), n-len(refused))
		}
		return nil
	})
	if s.Resolved() == 0 {
		t.Error("no unknown outcome was settled")
	}
}

// waitForSleep waits until a backend of the cluster at dsn sleeps in pg_sleep.
func waitForSleep(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	conn := pgtest.Connect(t, dsn)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatal("no COMMIT reached the trigger that holds it")
}

// TestDeferredWriteFails: an audit write is deferred (sent with the next statement or the
// COMMIT), so its failure surfaces late; the Update must still fail, keep none of its
// writes, and leave the other Updates of its group committed. PostgreSQL refuses a NUL
// in text, which makes a bad event. Alone and in groups; the bad write last in fn (it
// goes with the COMMIT), before another statement, and alone in fn.
func TestDeferredWriteFails(t *testing.T) {
	for _, group := range []string{"off", "on"} {
		t.Run("group_commit="+group, func(t *testing.T) {
			s := mustOpen(t, withParam(withParam(freshDB(t), "pool_max_conns", "8"), "group_commit", group))
			storetest.MustInsert(t, s, storetest.NewDirectory("A"))
			ctx := context.Background()
			event := func(i int, name string) *rollcall.AuditEvent {
				return &rollcall.AuditEvent{TenantID: "T", Time: time.UnixMilli(int64(1e12 + i)).UTC(), ID: fmt.Sprint(i),
					Name: name, Principal: "p", Record: []byte(`{}`)}
			}
			const n = 120
			bad := func(i int) bool { return i == 73 || i == 98 || i == 100 } // one in each way
			// Two rounds: the first all good (its groups carry deferred writes from one
			// request to the next and commit), the second with the bad ones.
			errs := make([]error, n)
			for _, round := range [][2]int{{0, n / 2}, {n / 2, n}} {
				var wg sync.WaitGroup
				for i := round[0]; i < round[1]; i++ {
					wg.Go(func() {
						name := "CreateUser"
						if bad(i) {
							name = "bad\x00name"
						}
						id := fmt.Sprintf("u%d", i)
						errs[i] = s.Update(ctx, func(tx rollcall.Tx) error {
							switch i % 6 / 2 {
							case 0: // the event last: it goes with the COMMIT
								if err := tx.InsertUser(storetest.NewUser("A", id, id)); err != nil {
									return err
								}
								return tx.PutAuditEvent(event(i, name))
							case 1: // the event first: it goes with the insert
								if err := tx.PutAuditEvent(event(i, name)); err != nil {
									return err
								}
								return tx.InsertUser(storetest.NewUser("A", id, id))
							default: // the event only
								return tx.PutAuditEvent(event(i, name))
							}
						})
					})
				}
				wg.Wait()
				if st := s.GroupStats(); round[0] == 0 && group == "on" && st.Committed <= st.Commits {
					t.Errorf("group commits: %+v, want groups of more than one", st)
				}
			}
			for i, err := range errs {
				if !bad(i) && err != nil {
					t.Errorf("update %d: %v", i, err)
				}
				if bad(i) && (err == nil || rollcall.IsKind(err, rollcall.Conflict) || rollcall.IsKind(err, rollcall.NotFound)) {
					t.Errorf("update %d with a bad deferred write: %v, want a failure", i, err)
				}
			}
			storetest.MustView(t, s, func(tx rollcall.Tx) error {
				for i := range n {
					_, err := tx.User("A", fmt.Sprintf("u%d", i))
					stored := err == nil
					if want := !bad(i) && i%6/2 != 2; stored != want {
						t.Errorf("user %d stored: %v, want %v (%v)", i, stored, want, err)
					}
				}
				events, err := tx.AuditEvents(rollcall.AuditFilter{TenantID: "T"})
				if err != nil {
					return err
				}
				if want := n - 3; len(events) != want {
					t.Errorf("%d audit events stored, want %d", len(events), want)
				}
				return nil
			})
			t.Logf("group commits: %+v", s.GroupStats())
		})
	}
}

// TestSpeculativeInsertUser: InsertUser answers nil at once and defers its INSERT
// (tx.go); a taken key must still reach fn as Conflict, fn's other writes must not be
// committed then, and a read after the insert sees the row. Alone and in groups, with
// Updates that succeed in the same groups.
func TestSpeculativeInsertUser(t *testing.T) {
	for _, group := range []string{"off", "on"} {
		t.Run("group_commit="+group, func(t *testing.T) {
			s := mustOpen(t, withParam(withParam(freshDB(t), "pool_max_conns", "8"), "group_commit", group))
			storetest.MustInsert(t, s, storetest.NewDirectory("A"), storetest.NewUser("A", "taken", "taken"))
			ctx := context.Background()
			errTaken := errors.New("taken")
			const n = 90
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					id := fmt.Sprintf("u%d", i)
					errs[i] = s.Update(ctx, func(tx rollcall.Tx) error {
						if err := tx.PutAuditEvent(&rollcall.AuditEvent{TenantID: "T", Time: time.UnixMilli(int64(1e12 + i)).UTC(),
							ID: id, Name: "CreateUser", Principal: "p", Record: []byte(`{}`)}); err != nil {
							return err
						}
						key := id
						switch i % 3 {
						case 1: // a key taken before
							key = "taken"
						case 2: // a first user, then a second on a taken key
							if err := tx.InsertUser(storetest.NewUser("A", id+"-first", id+"-first")); err != nil {
								return err
							}
							key = "taken"
						}
						err := tx.InsertUser(storetest.NewUser("A", id, key))
						if rollcall.IsKind(err, rollcall.Conflict) {
							return errTaken
						}
						if err != nil {
							return err
						}
						u, err := tx.UserByKey("A", key) // the insert is there for fn's next read
						if err == nil && u.ID != id {
							err = fmt.Errorf("read back user %s, want %s", u.ID, id)
						}
						return err
					})
				})
			}
			wg.Wait()
			for i, err := range errs {
				if i%3 == 0 && err != nil {
					t.Errorf("update %d: %v", i, err)
				}
				if i%3 != 0 && !errors.Is(err, errTaken) {
					t.Errorf("update %d on a taken key: %v, want fn's Conflict answer", i, err)
				}
			}
			storetest.MustView(t, s, func(tx rollcall.Tx) error {
				users, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
				if want := 1 + n/3; len(users) != want {
					t.Errorf("%d users stored, want %d (taken and the first third)", len(users), want)
				}
				if err != nil {
					return err
				}
				events, err := tx.AuditEvents(rollcall.AuditFilter{TenantID: "T"})
				if len(events) != n/3 {
					t.Errorf("%d audit events stored, want %d", len(events), n/3)
				}
				return err
			})
			t.Logf("group commits: %+v", s.GroupStats())
		})
	}
}

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
