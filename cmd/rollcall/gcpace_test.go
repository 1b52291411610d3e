package main

import "testing"

// TestGCPercentFor: a small live heap gets GOGC 200, a grown one no more than
// gcHeadroom of headroom, and none less than Go's 100.
func TestGCPercentFor(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 200},
		{9 * mb, 200},
		{12 * mb, 200},
		{16 * mb, 150},
		{18 * mb, 133},
		{24 * mb, 100},
		{40 * mb, 100},
	} {
		if got := gcPercentFor(c.live); got != c.want {
			t.Errorf("gcPercentFor(%d MB) = %d, want %d", c.live/mb, got, c.want)
		}
		if goal := c.live * uint64(100+gcPercentFor(c.live)) / 100; c.live >= 12*mb && c.live <= 24*mb && goal > c.live+gcHeadroom+mb {
			t.Errorf("%d MB live: heap goal %d MB, more than %d MB of headroom", c.live/mb, goal/mb, gcHeadroom/mb)
		}
	}
}
