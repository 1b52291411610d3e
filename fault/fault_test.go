package fault_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/fault"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/sqlite"
)

var t0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

var catalog = map[string][]string{
	"chime":            {"CreateUser", "ListUsers"},
	"alexaforbusiness": {"CreateUser"},
}

// mustEngine returns a started Engine on a fresh SQLite store, its clock at *now.
func mustEngine(tb testing.TB, now *time.Time) *fault.Engine {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "rollcall.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	e := &fault.Engine{Store: st, Catalog: catalog, Now: func() time.Time { return *now }}
	if err := e.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(e.Close)
	return e
}

func mustCreate(tb testing.TB, e *fault.Engine, f rollcall.Fault) *rollcall.Fault {
	tb.Helper()
	if f.Probability == 0 {
		f.Probability = 1
	}
	if err := e.Create(context.Background(), &f); err != nil {
		tb.Fatal(err)
	}
	return &f
}

func request(header ...string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

var caller = rollcall.Caller{TenantID: "111122223333", AccessKeyID: "AKIDEXAMPLE"}

func TestNoRuleInjectsNothing(t *testing.T) {
	now := t0
	e := mustEngine(t, &now)
	if in := e.Inject(request(), "chime", "CreateUser", caller); in != (awsx.Injection{}) {
		t.Fatalf("Inject with no rule = %+v", in)
	}
}

func TestMatching(t *testing.T) {
	now := t0
	for _, c := range []struct {
		name string
		rule rollcall.Fault
		r    *http.Request
		face string
		op   string
		want bool
	}{
		{"every operation", rollcall.Fault{Face: "chime", Operation: "*"}, request(), "chime", "ListUsers", true},
		{"its operation", rollcall.Fault{Face: "chime", Operation: "CreateUser"}, request(), "chime", "CreateUser", true},
		{"another operation", rollcall.Fault{Face: "chime", Operation: "CreateUser"}, request(), "chime", "ListUsers", false},
		{"another face", rollcall.Fault{Face: "alexaforbusiness", Operation: "*"}, request(), "chime", "CreateUser", false},
		{"its tenant", rollcall.Fault{Face: "chime", Operation: "*", TenantID: caller.TenantID}, request(), "chime", "CreateUser", true},
		{"another tenant", rollcall.Fault{Face: "chime", Operation: "*", TenantID: "999999999999"}, request(), "chime", "CreateUser", false},
		{"its access key", rollcall.Fault{Face: "chime", Operation: "*", AccessKeyID: caller.AccessKeyID}, request(), "chime", "CreateUser", true},
		{"another access key", rollcall.Fault{Face: "chime", Operation: "*", AccessKeyID: "AKIDOTHER"}, request(), "chime", "CreateUser", false},
		{"its header", rollcall.Fault{Face: "chime", Operation: "*", HeaderName: "X-Chaos", HeaderValue: "on"}, request("X-Chaos", "on"), "chime", "CreateUser", true},
		{"another header value", rollcall.Fault{Face: "chime", Operation: "*", HeaderName: "X-Chaos", HeaderValue: "on"}, request("X-Chaos", "off"), "chime", "CreateUser", false},
		{"no header", rollcall.Fault{Face: "chime", Operation: "*", HeaderName: "X-Chaos", HeaderValue: "on"}, request(), "chime", "CreateUser", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := mustEngine(t, &now)
			c.rule.Action = rollcall.FaultThrottle
			mustCreate(t, e, c.rule)
			in := e.Inject(c.r, c.face, c.op, caller)
			if got := in.Err != nil; got != c.want {
				t.Fatalf("fired = %v, want %v (%+v)", got, c.want, in)
			}
			if c.want && !rollcall.IsKind(in.Err, rollcall.Throttled) {
				t.Fatalf("a throttle rule injected %v", in.Err)
			}
		})
	}
}

// counter is a metrics package's Counter.
type counter struct{ seen []string }

func (c *counter) FaultInjected(face, op, action string) {
	c.seen = append(c.seen, face+" "+op+" "+action)
}

func TestActions(t *testing.T) {
	now := t0
	for _, c := range []struct {
		action rollcall.FaultAction
		want   func(awsx.Injection) bool
	}{
		{rollcall.FaultThrottle, func(in awsx.Injection) bool { return rollcall.IsKind(in.Err, rollcall.Throttled) }},
		{rollcall.FaultInternal, func(in awsx.Injection) bool { return rollcall.IsKind(in.Err, rollcall.Internal) }},
		{rollcall.FaultUnavailable, func(in awsx.Injection) bool { return rollcall.IsKind(in.Err, rollcall.Unavailable) }},
		{rollcall.FaultLatency, func(in awsx.Injection) bool { return in.Delay == 40*time.Millisecond && in.Err == nil }},
		{rollcall.FaultReset, func(in awsx.Injection) bool { return in.Reset && !in.LoseResponse }},
		{rollcall.FaultLoseResponse, func(in awsx.Injection) bool { return in.LoseResponse && !in.Reset && in.Err == nil }},
	} {
		t.Run(string(c.action), func(t *testing.T) {
			e := mustEngine(t, &now)
			counted := &counter{}
			e.Counter = counted
			f := rollcall.Fault{Face: "chime", Operation: "*", Action: c.action}
			if c.action == rollcall.FaultLatency {
				f.Latency = 40 * time.Millisecond
			}
			mustCreate(t, e, f)
			if in := e.Inject(request(), "chime", "CreateUser", caller); !c.want(in) {
				t.Fatalf("Inject = %+v", in)
			}
			if e.Injected() != 1 {
				t.Fatalf("Injected = %d, want 1", e.Injected())
			}
			if want := "chime CreateUser " + string(c.action); strings.Join(counted.seen, ",") != want {
				t.Fatalf("the Counter saw %q, want %q", counted.seen, want)
			}
		})
	}
}

// backends open a database shared by the replicas of a test: each call of the
// function backend returns opens one more Store on it.
var backends = []struct {
	name string
	db   func(tb testing.TB) func() (rollcall.Store, error)
}{
	{"sqlite", func(tb testing.TB) func() (rollcall.Store, error) {
		path := filepath.Join(tb.TempDir(), "rollcall.db")
		return func() (rollcall.Store, error) { return sqlite.Open(path) }
	}},
	{"postgres", func(tb testing.TB) func() (rollcall.Store, error) {
		dsn := pgtest.FreshDB(tb)
		return func() (rollcall.Store, error) { return postgres.Open(context.Background(), dsn) }
	}},
}

// mustReplicas returns n started Engines, each on its own Store over one database, as
// n replicas would be, refreshing every every.
func mustReplicas(tb testing.TB, open func() (rollcall.Store, error), n int, every time.Duration) []*fault.Engine {
	tb.Helper()
	var engines []*fault.Engine
	for range n {
		st, err := open()
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		e := &fault.Engine{Store: st, Catalog: catalog, Now: func() time.Time { return t0 }, Every: every}
		if err := e.Start(context.Background()); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(e.Close)
		engines = append(engines, e)
	}
	return engines
}

// TestNextNUnderConcurrency: a "next N calls" rule fires exactly N times when many
// requests race, on two Engines (two replicas) over one database, on each backend.
func TestNextNUnderConcurrency(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			engines := mustReplicas(t, b.db(t), 2, 10*time.Millisecond)
			const n, calls = 7, 60
			mustCreate(t, engines[0], rollcall.Fault{Face: "chime", Operation: "CreateUser", Action: rollcall.FaultThrottle, Limited: true, Remaining: n})
			if err := engines[1].Reload(context.Background()); err != nil {
				t.Fatal(err)
			}
			var fired atomic.Int32
			var wg sync.WaitGroup
			for i := range calls {
				wg.Go(func() {
					if engines[i%2].Inject(request(), "chime", "CreateUser", caller).Err != nil {
						fired.Add(1)
					}
				})
			}
			wg.Wait()
			if got := fired.Load(); got != n {
				t.Fatalf("%d concurrent calls on two replicas: the rule fired %d times, want %d", calls, got, n)
			}
			rules, err := engines[1].Rules(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if rules[0].Fired != n || rules[0].Remaining != 0 {
				t.Fatalf("stored rule: fired %d, remaining %d", rules[0].Fired, rules[0].Remaining)
			}
			if engines[0].Injected()+engines[1].Injected() != n {
				t.Fatalf("Injected: %d + %d", engines[0].Injected(), engines[1].Injected())
			}
		})
	}
}

// TestOtherReplicaSeesRule: a rule created through one replica reaches another within
// its refresh interval, and so does its deletion, on each backend.
func TestOtherReplicaSeesRule(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			engines := mustReplicas(t, b.db(t), 2, 20*time.Millisecond)
			f := mustCreate(t, engines[0], rollcall.Fault{Face: "chime", Operation: "*", Action: rollcall.FaultThrottle})
			waitFor(t, "the other replica fires the new rule", func() bool {
				return engines[1].Inject(request(), "chime", "ListUsers", caller).Err != nil
			})
			if err := engines[0].Delete(context.Background(), f.ID); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the other replica drops the deleted rule", func() bool {
				return engines[1].Inject(request(), "chime", "ListUsers", caller).Err == nil
			})
		})
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestExpiry(t *testing.T) {
	now := t0
	e := mustEngine(t, &now)
	mustCreate(t, e, rollcall.Fault{Face: "chime", Operation: "*", Action: rollcall.FaultThrottle, ExpiresAt: t0.Add(time.Minute)})
	if e.Inject(request(), "chime", "CreateUser", caller).Err == nil {
		t.Fatal("a live rule did not fire")
	}
	now = t0.Add(time.Minute)
	if in := e.Inject(request(), "chime", "CreateUser", caller); in.Err != nil {
		t.Fatalf("an expired rule fired: %v", in.Err)
	}
}

// TestProbability: with a seeded random source, a rule with probability p fires on
// the draws below p, and about p of 1000 calls.
func TestProbability(t *testing.T) {
	now := t0
	e := mustEngine(t, &now)
	draws := []float64{0.1, 0.5, 0.29, 0.3, 0.99}
	i := 0
	e.Rand = func() float64 { v := draws[i%len(draws)]; i++; return v }
	mustCreate(t, e, rollcall.Fault{Face: "chime", Operation: "*", Action: rollcall.FaultThrottle, Probability: 0.3})
	var got []bool
	for range draws {
		got = append(got, e.Inject(request(), "chime", "CreateUser", caller).Err != nil)
	}
	if want := []bool{true, false, true, false, false}; !equal(got, want) {
		t.Fatalf("fired %v for draws %v, want %v", got, draws, want)
	}
	// A uniform source: a lattice of 1000 evenly spaced draws fires 300 times.
	k := 0
	e.Rand = func() float64 { v := float64(k%1000) / 1000; k++; return v }
	fired := 0
	for range 1000 {
		if e.Inject(request(), "chime", "CreateUser", caller).Err != nil {
			fired++
		}
	}
	if fired != 300 {
		t.Fatalf("probability 0.3 fired %d of 1000 evenly spread draws, want 300", fired)
	}
}

func equal(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCreateValidates(t *testing.T) {
	now := t0
	e := mustEngine(t, &now)
	for _, c := range []struct {
		name string
		f    rollcall.Fault
		want string
	}{
		{"no face", rollcall.Fault{Operation: "*", Action: "throttle", Probability: 1}, "face is required"},
		{"unknown face", rollcall.Fault{Face: "s3", Operation: "*", Action: "throttle", Probability: 1}, `face "s3" is not one of alexaforbusiness, chime`},
		{"unknown operation", rollcall.Fault{Face: "chime", Operation: "PutObject", Action: "throttle", Probability: 1}, `operation "PutObject" is not one of chime's`},
		{"no operation", rollcall.Fault{Face: "chime", Action: "throttle", Probability: 1}, "operation is required"},
		{"unknown action", rollcall.Fault{Face: "chime", Operation: "*", Action: "explode", Probability: 1}, `action "explode" is not one of throttle, error500, error503, latency, reset, lose-response`},
		{"latency without a wait", rollcall.Fault{Face: "chime", Operation: "*", Action: "latency", Probability: 1}, "latencyMs"},
		{"probability 0", rollcall.Fault{Face: "chime", Operation: "*", Action: "throttle"}, "probability"},
		{"probability over 1", rollcall.Fault{Face: "chime", Operation: "*", Action: "throttle", Probability: 1.5}, "probability"},
		{"count 0", rollcall.Fault{Face: "chime", Operation: "*", Action: "throttle", Probability: 1, Limited: true}, "count must be at least 1"},
		{"header without value", rollcall.Fault{Face: "chime", Operation: "*", Action: "throttle", Probability: 1, HeaderName: "X-A"}, "header must be name=value"},
		{"expired", rollcall.Fault{Face: "chime", Operation: "*", Action: "throttle", Probability: 1, ExpiresAt: t0}, "expiresAt must be in the future"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := c.f
			err := e.Create(context.Background(), &f)
			if !rollcall.IsKind(err, rollcall.Invalid) || !strings.Contains(rollcall.ErrorMessage(err), c.want) {
				t.Fatalf("Create = %v, want Invalid with %q", err, c.want)
			}
		})
	}
	rules, err := e.Rules(context.Background())
	if err != nil || len(rules) != 0 {
		t.Fatalf("after refused rules: %d rules, %v", len(rules), err)
	}
	if err := e.Delete(context.Background(), "f-missing"); !rollcall.IsKind(err, rollcall.NotFound) {
		t.Fatalf("Delete of a missing rule = %v", err)
	}
}

// BenchmarkInjectNoRule is the cost every request pays when no rule exists.
func BenchmarkInjectNoRule(b *testing.B) {
	now := t0
	e := mustEngine(b, &now)
	r := request()
	for b.Loop() {
		e.Inject(r, "chime", "CreateUser", caller)
	}
}

// BenchmarkInjectNonMatchingRule is the cost when a rule exists for another face.
func BenchmarkInjectNonMatchingRule(b *testing.B) {
	now := t0
	e := mustEngine(b, &now)
	mustCreate(b, e, rollcall.Fault{Face: "alexaforbusiness", Operation: "*", Action: rollcall.FaultThrottle})
	r := request()
	for b.Loop() {
		e.Inject(r, "chime", "CreateUser", caller)
	}
}
