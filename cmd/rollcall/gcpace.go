package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The collector's pace (GOGC) for `rollcall serve` when the environment sets none.
//
// A small live heap (about 9 MB under load) is collected less often at GOGC 200 than
// at Go's 100: 1.2 collections per 1,000 creates instead of 2.5, for about 18 MB of
// headroom. But the live heap grows with what the store keeps in memory (Alexa for
// Business' idempotency index: about 8 MB after 300k creates), and at GOGC 200 each
// MB of it took 3 MB of resident memory: the harness's server ended at 99-100 MiB.
// So the percentage keeps the headroom near that 18 MB as the heap grows, and never
// goes below Go's own 100.
const (
	gcMaxPercent = 200
	gcMinPercent = 100
	gcHeadroom   = 24 << 20 // bytes of heap growth allowed between collections, at most
	gcRepace     = time.Second
)

// gcPercentFor is the GOGC for a live heap of live bytes: gcHeadroom's share of it,
// within [gcMinPercent, gcMaxPercent].
func gcPercentFor(live uint64) int {
	if live == 0 {
		return gcMaxPercent
	}
	p := uint64(gcHeadroom) * 100 / live
	return int(min(max(p, gcMinPercent), gcMaxPercent))
}

// paceGC sets GOGC from the live heap now and then every gcRepace until ctx is done.
func paceGC(ctx context.Context) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	t := time.NewTicker(gcRepace)
	defer t.Stop()
	for last := 0; ; {
		metrics.Read(sample)
		var live uint64 // 0 (GOGC 200) where the runtime does not know the metric
		if sample[0].Value.Kind() == metrics.KindUint64 {
			live = sample[0].Value.Uint64()
		}
		if p := gcPercentFor(live); p != last {
			debug.SetGCPercent(p)
			last = p
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
