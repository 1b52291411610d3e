package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestServerOutageUnderLoad crashes a PostgreSQL cluster of the test's own (pg_ctl stop
// -m immediate) under a load of creates and access-key lookups, restarts it, then shuts
// it down the clean way (-m fast, which ends the sessions with 57P01) and restarts it
// again. Required: every request refused during the faults is Unavailable (503), none
// Internal (unexpected EOF, conn closed); no create answered Unavailable is stored; every
// acknowledged create is; creates succeed again soon after the server is back.
func TestServerOutageUnderLoad(t *testing.T) {
	c := pgtest.NewCluster(t)
	s := mustOpen(t, c.DSN)
	storetest.MustInsert(t, s, storetest.NewAccessKey("AKIDOUTAGE"))

	var (
		mu       sync.Mutex
		acked    = map[string]time.Time{}
		refused  = map[string]error{}
		byKind   = map[string]int{}
		lastOK   atomic.Int64 // UnixNano of the latest acknowledged create
		seq      atomic.Int64
		stop     = make(chan struct{})
		wg       sync.WaitGroup
		phase    atomic.Value // which fault the refusals belong to
		internal []error
	)
	phase.Store("before")
	count := func(what string, err error) {
		k := "ok"
		if err != nil {
			var re *rollcall.Error
			if errors.As(err, &re) {
				k = re.Kind.String()
			} else {
				k = "untyped"
			}
			if k != rollcall.Unavailable.String() {
				internal = append(internal, fmt.Errorf("%s: %w", what, err))
			}
		}
		byKind[phase.Load().(string)+" "+what+" "+k]++
	}
	// untilStopped runs fn in a goroutine of wg, again and again until stop is closed.
	untilStopped := func(fn func()) {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				fn()
			}
		})
	}
	for range 6 {
		untilStopped(func() {
			id := fmt.Sprintf("u%07d", seq.Add(1))
			err := s.Update(context.Background(), func(tx rollcall.Tx) error {
				return tx.InsertUser(storetest.NewUser("A", id, id))
			})
			mu.Lock()
			count("create", err)
			if err == nil {
				acked[id] = time.Now()
				lastOK.Store(time.Now().UnixNano())
			} else {
				refused[id] = err
			}
			mu.Unlock()
			if err != nil {
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	untilStopped(func() { // the access-key lookup every signed request makes
		err := s.View(context.Background(), func(tx rollcall.Tx) error {
			_, err := tx.AccessKey("AKIDOUTAGE")
			return err
		})
		mu.Lock()
		count("lookup", err)
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
	})
	recovered := func(fault string, since time.Time) {
		deadline := time.Now().Add(time.Minute)
		for time.Unix(0, lastOK.Load()).Before(since) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: no create succeeded within a minute of the restart", fault)
			}
			time.Sleep(time.Millisecond)
		}
		t.Logf("%s: the first create succeeded %v after the server accepted connections again",
			fault, time.Unix(0, lastOK.Load()).Sub(since).Round(time.Millisecond))
	}

	c.Outages(pgtest.Outage{
		Stopping: func(mode string) { phase.Store(mode) },
		Down: func(string) {
			if err := s.ProbeWrite(context.Background()); !rollcall.IsKind(err, rollcall.Unavailable) {
				t.Errorf("the health probe with the server down: %v, want Unavailable", err)
			}
		},
		Up: func(mode string, since time.Time) {
			recovered("stop -m "+mode, since)
			if err := s.ProbeWrite(context.Background()); err != nil {
				t.Errorf("the health probe with the server back: %v", err)
			}
			phase.Store("after " + mode)
		},
	})
	close(stop)
	wg.Wait()

	for k, n := range byKind {
		t.Logf("%-40s %d", k, n)
	}
	for _, err := range internal {
		t.Errorf("not Unavailable: %v", err)
	}
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		for id := range acked {
			if _, err := tx.User("A", id); err != nil {
				t.Errorf("acknowledged create %s lost: %v", id, err)
			}
		}
		for id, rerr := range refused {
			if _, err := tx.User("A", id); err == nil {
				t.Errorf("create %s was answered %v, yet it is stored", id, rerr)
			}
		}
		return nil
	})
	t.Logf("%d creates acknowledged, %d refused, %d unknown outcomes resolved", len(acked), len(refused), s.Resolved())
}
