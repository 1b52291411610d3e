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
