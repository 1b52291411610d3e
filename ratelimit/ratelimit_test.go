package ratelimit_test

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall/ratelimit"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]ratelimit.Limit{
		"off": ratelimit.Off, "": ratelimit.Off, "1/5": {PerSecond: 1, Burst: 5},
		"0.5/2": {PerSecond: 0.5, Burst: 2}, "10": {PerSecond: 10, Burst: 10}, "2.5": {PerSecond: 2.5, Burst: 3},
	} {
		got, err := ratelimit.Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"0", "-1/5", "1/0", "x", "1/x", "NaN", "Inf/2"} {
		if _, err := ratelimit.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestHeader(t *testing.T) {
	for lim, want := range map[ratelimit.Limit]string{{PerSecond: 1, Burst: 5}: "1.0", {PerSecond: 0.5, Burst: 1}: "0.5", {PerSecond: 20, Burst: 40}: "20.0"} {
		if got := lim.Header(); got != want {
			t.Errorf("%v.Header() = %q, want %q", lim, got, want)
		}
	}
}

func TestBucket(t *testing.T) {
	now := time.Unix(1000, 0)
	l := ratelimit.New(map[string]ratelimit.Limit{"create": {PerSecond: 1, Burst: 5}})
	l.Now = func() time.Time { return now }
	for i := range 5 {
		if !l.Allow("a", "create") {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if l.Allow("a", "create") {
		t.Fatal("sixth request in the same instant allowed")
	}
	if !l.Allow("b", "create") {
		t.Fatal("another tenant is limited by a's bucket")
	}
	if !l.Allow("a", "other") {
		t.Fatal("an operation without a limit is limited")
	}
	now = now.Add(999 * time.Millisecond)
	if l.Allow("a", "create") {
		t.Fatal("allowed before a whole token refilled")
	}
	now = now.Add(2 * time.Millisecond)
	if !l.Allow("a", "create") || l.Allow("a", "create") {
		t.Fatal("one second should refill exactly one token")
	}
	now = now.Add(time.Hour)
	for i := range 5 {
		if !l.Allow("a", "create") {
			t.Fatalf("after an idle hour, request %d refused: the bucket should be full", i+1)
		}
	}
	if l.Allow("a", "create") {
		t.Fatal("the bucket refilled past its burst")
	}
	l.Set("create", ratelimit.Off)
	for range 100 {
		if !l.Allow("a", "create") {
			t.Fatal("limit off still refuses")
		}
	}
}

func BenchmarkAllow(b *testing.B) {
	l := ratelimit.New(map[string]ratelimit.Limit{"create": {PerSecond: 1e9, Burst: 1 << 30}})
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.Allow("000000000000", "create")
		}
	})
}

func TestReset(t *testing.T) {
	now := time.Unix(1000, 0)
	l := ratelimit.New(map[string]ratelimit.Limit{"create": {PerSecond: 1, Burst: 2}})
	l.Now = func() time.Time { return now }
	for l.Allow("a", "create") {
	}
	l.Reset()
	if !l.Allow("a", "create") || !l.Allow("a", "create") || l.Allow("a", "create") {
		t.Fatal("after Reset the bucket should hold its burst, no more")
	}
}

// TestAllowOp: AllowOp(tenant, face, op) is Allow(tenant, face+"."+op), before and after
// Set changes the limit, and CheckOp its error; an operation without a limit allocates
// nothing.
func TestAllowOp(t *testing.T) {
	now := time.Unix(1000, 0)
	l := ratelimit.New(map[string]ratelimit.Limit{"chime.CreateUser": {PerSecond: 1, Burst: 2}})
	l.Now = func() time.Time { return now }
	if !l.AllowOp("a", "chime", "CreateUser") || !l.Allow("a", "chime.CreateUser") || l.AllowOp("a", "chime", "CreateUser") {
		t.Fatal("AllowOp and Allow do not share the bucket of a burst of 2")
	}
	if err := l.CheckOp("a", "chime", "CreateUser"); err != ratelimit.ErrThrottled {
		t.Fatalf("CheckOp of an empty bucket: %v", err)
	}
	if err := l.CheckOp("a", "chime", "ListUsers"); err != nil {
		t.Fatalf("CheckOp of an operation without a limit: %v", err)
	}
	l.Set("chime.CreateUser", ratelimit.Off)
	if !l.AllowOp("a", "chime", "CreateUser") {
		t.Fatal("limited after Set turned the limit off")
	}
	l.Set("chime.ListUsers", ratelimit.Limit{PerSecond: 1, Burst: 1})
	if !l.AllowOp("a", "chime", "ListUsers") || l.AllowOp("a", "chime", "ListUsers") || l.Limit("chime.ListUsers").Burst != 1 {
		t.Fatal("the limit Set is not applied")
	}
	var none *ratelimit.Limiter
	if !none.AllowOp("a", "chime", "CreateUser") {
		t.Fatal("a nil Limiter limits")
	}
	if n := testing.AllocsPerRun(100, func() { l.AllowOp("a", "chime", "CreateUser") }); n != 0 {
		t.Errorf("AllowOp of an operation without a limit allocates %v times, want 0", n)
	}
}

// TestLimitedOp: whether face.op is limited, told without spending or allocating.
func TestLimitedOp(t *testing.T) {
	l := ratelimit.New(map[string]ratelimit.Limit{"amazonbusiness.createBusinessUserAccount": {PerSecond: 1, Burst: 1},
		"chime.CreateUser": ratelimit.Off})
	for _, tc := range []struct {
		l        *ratelimit.Limiter
		face, op string
		want     bool
	}{
		{l, "amazonbusiness", "createBusinessUserAccount", true},
		{l, "chime", "CreateUser", false},
		{l, "chime", "DeleteUser", false},
		{nil, "amazonbusiness", "createBusinessUserAccount", false},
	} {
		if got := tc.l.LimitedOp(tc.face, tc.op); got != tc.want {
			t.Errorf("LimitedOp(%s, %s) = %v, want %v", tc.face, tc.op, got, tc.want)
		}
	}
	if !l.Allow("t", "amazonbusiness.createBusinessUserAccount") {
		t.Error("LimitedOp spent the bucket's one token")
	}
	if n := testing.AllocsPerRun(100, func() { l.LimitedOp("amazonbusiness", "createBusinessUserAccount") }); n != 0 {
		t.Errorf("LimitedOp allocates %v times", n)
	}
}
