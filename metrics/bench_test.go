package metrics_test

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall/metrics"
)

// BenchmarkObserveRequest is the cost ObserveRequest adds to every request, once the
// series exists.
func BenchmarkObserveRequest(b *testing.B) {
	m := mustNew(b, metrics.Config{})
	m.ObserveRequest("chime", "CreateUser", 201, time.Millisecond)
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveRequest("chime", "CreateUser", 201, 3*time.Millisecond)
	}
}

// BenchmarkObserveRequestParallel is the same from every P at once, on one series: the
// contention a busy operation sees.
func BenchmarkObserveRequestParallel(b *testing.B) {
	m := mustNew(b, metrics.Config{})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.ObserveRequest("chime", "CreateUser", 201, 3*time.Millisecond)
		}
	})
}

// BenchmarkObserveRequestUnknown is a hostile face and operation: both fall to "other".
func BenchmarkObserveRequestUnknown(b *testing.B) {
	m := mustNew(b, metrics.Config{})
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveRequest("ada@example.com", "111122223333", 999, time.Millisecond)
	}
}

func BenchmarkObserveRequestNil(b *testing.B) {
	var m *metrics.Metrics
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveRequest("chime", "CreateUser", 201, time.Millisecond)
	}
}
