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

// TestEventTime: eventTime is formatTime, whichever second it was asked for last, and
// takes no allocation for a second it has just formatted.
func TestEventTime(t *testing.T) {
	base := time.Date(2026, 11, 30, 14, 5, 9, 0, time.UTC)
	for _, d := range []time.Duration{0, 999 * time.Millisecond, time.Second, time.Second + 1, -1, -time.Second, 24 * time.Hour, 0} {
		if tm := base.Add(d); eventTime(tm) != formatTime(tm) {
			t.Fatalf("eventTime(%v) = %q, want %q", tm, eventTime(tm), formatTime(tm))
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = eventTime(base.Add(time.Millisecond)) }); n != 0 {
		t.Errorf("eventTime within the second formatted last: %v allocations, want 0", n)
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

// uuidBytes takes only what formatting its bytes gives back: lower-case hex, dashed
// 8-4-4-4-12.
func TestUUIDBytes(t *testing.T) {
	const id = "5f8c3c1e-6a0b-4c59-9a57-1f0c3b7b9e01"
	if b, ok := uuidBytes(id); !ok || uuidString(b[:]) != id {
		t.Errorf("uuidBytes(%q) = %x, %v", id, b, ok)
	}
	for _, s := range []string{"5F8C3C1E-6A0B-4C59-9A57-1F0C3B7B9E01", "5f8c3c1e-6a0b-4c59-9a57-1f0c3b7b9e0g",
		"5f8c3c1e-6a0b-4c59-9a57-1f0c3b7b9e0", "5f8c3c1e6a0b-4c59-9a57-1f0c3b7b9e01-", "5f8c3c1e-6a0b-4c59-9a57-1f0c3b7b9e0\x00"} {
		if _, ok := uuidBytes(s); ok {
			t.Errorf("uuidBytes(%q) took it", s)
		}
	}
}
