package metrics

import "time"

// ObserveCommit records one committed write transaction: how many write requests it
// carried (1 without group commit) and how long its commit took.
func (m *Metrics) ObserveCommit(requests int, d time.Duration) {
	if m == nil {
		return
	}
	m.commitRows.Observe(float64(requests))
	m.commitDuration.Observe(d.Seconds())
}

// ObserveCheckpoint records one SQLite WAL checkpoint and how long it took.
func (m *Metrics) ObserveCheckpoint(d time.Duration) {
	if m == nil {
		return
	}
	m.checkpoint.Observe(d.Seconds())
}

// SerializationRetry records a transaction run again after a serialization failure or
// a deadlock (PostgreSQL SQLSTATE 40001, 40P01).
func (m *Metrics) SerializationRetry() {
	if m == nil {
		return
	}
	m.serialization.Inc()
}
