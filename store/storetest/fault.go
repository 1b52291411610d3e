package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// NewFault returns a throttle rule for every Chime operation, with no count or expiry.
func NewFault(id string) *rollcall.Fault {
	return &rollcall.Fault{ID: id, Face: "chime", Operation: rollcall.AllOperations, Action: rollcall.FaultThrottle,
		Probability: 1, CreatedAt: T0}
}

func faults(tb testing.TB, s rollcall.Store) []*rollcall.Fault {
	tb.Helper()
	return mustRead(tb, s, func(tx rollcall.Tx) ([]*rollcall.Fault, error) { return tx.Faults() })
}

func faultsVersion(tb testing.TB, s rollcall.Store) int64 {
	tb.Helper()
	return mustRead(tb, s, func(tx rollcall.Tx) (int64, error) { return tx.FaultsVersion() })
}

func fire(s rollcall.Store, id string) (bool, error) {
	var ok bool
	err := update(s, func(tx rollcall.Tx) (err error) { ok, err = tx.FireFault(id); return err })
	return ok, err
}

var faultTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		full := &rollcall.Fault{ID: "f2", Face: "alexaforbusiness", Operation: "CreateUser", TenantID: "111122223333",
			AccessKeyID: "AKIDEXAMPLE", HeaderName: "X-Test", HeaderValue: "on", Action: rollcall.FaultLatency,
			Latency: 1500 * time.Millisecond, Probability: 0.25, Limited: true, Remaining: 3,
			ExpiresAt: T0.Add(time.Hour), CreatedAt: T0}
		v0 := faultsVersion(t, s)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.InsertFault(full) })
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.InsertFault(NewFault("f1")) })
		WantEqual(t, "Faults", faults(t, s), []*rollcall.Fault{NewFault("f1"), full})
		if v := faultsVersion(t, s); v == v0 {
			t.Fatalf("FaultsVersion after two inserts = %d, as before", v)
		}
		WantKind(t, "InsertFault of a taken ID", update(s, func(tx rollcall.Tx) error { return tx.InsertFault(NewFault("f1")) }), rollcall.Conflict)
	}},
	{"Delete", func(t *testing.T, s rollcall.Store) {
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.InsertFault(NewFault("f1")) })
		v1 := faultsVersion(t, s)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteFault("f1") })
		if v := faultsVersion(t, s); v == v1 {
			t.Fatalf("FaultsVersion after a delete = %d, as before", v)
		}
		if fs := faults(t, s); len(fs) != 0 {
			t.Fatalf("Faults after DeleteFault = %d rules", len(fs))
		}
		WantKind(t, "DeleteFault again", update(s, func(tx rollcall.Tx) error { return tx.DeleteFault("f1") }), rollcall.NotFound)
	}},
	{"FireCounts", func(t *testing.T, s rollcall.Store) {
		limited := NewFault("lim")
		limited.Limited, limited.Remaining = true, 2
		MustInsertFaults(t, s, NewFault("free"), limited)
		v := faultsVersion(t, s)
		for i, want := range []bool{true, true, false, false} {
			if ok, err := fire(s, "lim"); err != nil || ok != want {
				t.Fatalf("FireFault(lim) #%d = %v, %v; want %v", i+1, ok, err, want)
			}
			if ok, err := fire(s, "free"); err != nil || !ok {
				t.Fatalf("FireFault(free) #%d = %v, %v", i+1, ok, err)
			}
		}
		if ok, err := fire(s, "missing"); err != nil || ok {
			t.Fatalf("FireFault(missing) = %v, %v; want false", ok, err)
		}
		fs := faults(t, s)
		if fs[0].Fired != 4 || fs[0].Limited || fs[1].Fired != 2 || !fs[1].Limited || fs[1].Remaining != 0 {
			t.Fatalf("after firing: free %+v, lim %+v", *fs[0], *fs[1])
		}
		if got := faultsVersion(t, s); got != v {
			t.Fatalf("FireFault changed FaultsVersion: %d, was %d", got, v)
		}
	}},
	{"FireConcurrently", func(t *testing.T, s rollcall.Store) {
		const n, callers = 5, 20
		f := NewFault("lim")
		f.Limited, f.Remaining = true, n
		MustInsertFaults(t, s, f)
		var fired atomic.Int32
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				ok, err := fire(s, "lim")
				if err != nil {
					t.Error(err)
				}
				if ok {
					fired.Add(1)
				}
			})
		}
		wg.Wait()
		if got := fired.Load(); got != n {
			t.Fatalf("%d concurrent FireFault calls fired %d times; want %d", callers, got, n)
		}
	}},
}

// MustInsertFaults inserts rules in one Update.
func MustInsertFaults(tb testing.TB, s rollcall.Store, fs ...*rollcall.Fault) {
	tb.Helper()
	mustWriteEach(tb, s, rollcall.Tx.InsertFault, fs...)
}
