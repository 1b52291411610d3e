package audit

import (
	"math/rand/v2"
	"regexp"
	"testing"
	"time"
)

// TestFormatTime: formatTime writes what time.Format writes with TimeFormat, for times
// across the years (and those it leaves to Format).
func TestFormatTime(t *testing.T) {
	times := []time.Time{
		time.Date(2026, 11, 30, 14, 5, 9, 999999999, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		times = append(times, time.Unix(r.Int64N(400*365*86400)-100*365*86400, r.Int64N(1e9)).UTC())
	}
	for _, tm := range times {
		if got, want := formatTime(tm), tm.Format(TimeFormat); got != want {
			t.Fatalf("formatTime(%v) = %q, want %q", tm, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = formatTime(times[0]) }); n > 1 {
		t.Errorf("formatTime: %v allocations, want at most 1 (the string)", n)
	}
}

// TestRandomUUID: RandomUUID is a version 4 UUID, as NewUUID makes, without a heap
// allocation but the string.
func TestRandomUUID(t *testing.T) {
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if id := RandomUUID(); !v4.MatchString(id) || id == RandomUUID() {
		t.Fatalf("RandomUUID() = %q, want a fresh version 4 UUID", id)
	}
	if n := testing.AllocsPerRun(100, func() { _ = RandomUUID() }); n > 1 {
		t.Errorf("RandomUUID: %v allocations, want 1 (the string)", n)
	}
}
