package trail

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// countingStore counts the trail's Updates and stores nothing.
type countingStore struct {
	rollcall.Store
	updates atomic.Int64
}

func (s *countingStore) Update(context.Context, func(rollcall.Tx) error) error {
	s.updates.Add(1)
	return nil
}

// TestWriterWakesPerBatchNotPerEvent: events answered while the background writer
// lingers wait in the queue's buffer; the writer is not readied once for each of them
// (each readying is a park and a wake of its goroutine, and may wake an idle thread),
// but wakes for the batch's first event and once more when the linger ends.
func TestWriterWakesPerBatchNotPerEvent(t *testing.T) {
	s := &countingStore{}
	tr := New(s, Options{Now: func() time.Time { return time.Unix(0, 0) }})
	defer tr.Close()
	const events = 200
	for i := range events {
		tr.queue <- item{event: rollcall.AuditEvent{ID: "e", Name: "CreateUser", Record: []byte("{}")}}
		if i%10 == 0 {
			runtime.Gosched() // let the writer run, as a server's other goroutines would
			time.Sleep(50 * time.Microsecond)
		}
	}
	tr.Flush()
	wakes, updates := tr.wakes.Load(), s.updates.Load()
	// Each batch: one wake for its first event, one for the linger's end; a Flush
	// may cut a linger short. 200 events fit in one batch, but the linger (20 ms) may
	// end before the loop does on a slow machine: allow a few batches.
	if updates == 0 || wakes > 3*updates+2 {
		t.Fatalf("%d wake-ups of the background writer for %d events in %d batches, want at most %d", wakes, events, updates, 3*updates+2)
	}
}
