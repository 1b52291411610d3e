package main

import (
	"runtime/debug"
	"testing"
)

// TestQuietGC: while loadgen drives a server its collector runs at driveGCPercent, so
// its own pauses stay out of the latencies it measures, unless GOGC says otherwise; the
// old value comes back after.
func TestQuietGC(t *testing.T) {
	percent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }
	before := percent()
	restore := quietGC(func(string) string { return "" })
	if p := percent(); p != driveGCPercent {
		t.Errorf("GC percent %d while driving, want %d", p, driveGCPercent)
	}
	restore()
	if p := percent(); p != before {
		t.Errorf("GC percent %d after, want %d back", p, before)
	}
	restore = quietGC(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	if p := percent(); p != before {
		t.Errorf("GC percent %d with GOGC set, want it left at %d", p, before)
	}
	restore()
}
