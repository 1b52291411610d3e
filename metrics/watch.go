package metrics

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// OutboxState is the outbox as a scrape sees it: how many messages are in each state and
// when the oldest queued one was queued. With messages queued and OldestQueued zero the
// age gauge is left out (unknown), not reported as 0.
type OutboxState struct {
	Queued, Sent, Failed int
	OldestQueued         time.Time
}

// WatchOutbox sets the callback that reads the outbox at each scrape, for the gauges
// rollcall_outbox_messages{status} and rollcall_outbox_oldest_queued_age_seconds. It gets
// a context that ends after Config.CallbackTimeout; an error it returns leaves the
// gauges out of that scrape and counts in rollcall_metrics_callback_errors_total. Until it
// is set, those gauges are absent. A later call replaces the callback; nil removes it.
func (m *Metrics) WatchOutbox(read func(context.Context) (OutboxState, error)) {
	if m != nil {
		watch(&m.watched.outbox, read, read == nil)
	}
}

// WatchWriterQueue sets the callback for rollcall_store_writer_queue_depth: the write
// requests waiting for the store's writer. It is called at each scrape and must not block.
func (m *Metrics) WatchWriterQueue(depth func() int) {
	if m != nil {
		watch(&m.watched.writerQueue, depth, depth == nil)
	}
}

// WatchHashQueue sets the callback for rollcall_password_hash_waiting and
// rollcall_password_hash_running: the password hashes waiting for a slot and those
// running. It is called at each scrape and must not block.
func (m *Metrics) WatchHashQueue(queue func() (waiting, running int)) {
	if m != nil {
		watch(&m.watched.hashQueue, queue, queue == nil)
	}
}

// watch stores f in p, or nil when none (a nil func).
func watch[F any](p *atomic.Pointer[F], f F, none bool) {
	if none {
		p.Store(nil)
		return
	}
	p.Store(&f)
}

// watched is the collector of the gauges read through callbacks at scrape time.
type watched struct {
	m           *Metrics
	outbox      atomic.Pointer[func(context.Context) (OutboxState, error)]
	writerQueue atomic.Pointer[func() int]
	hashQueue   atomic.Pointer[func() (int, int)]

	errors                                *prometheus.CounterVec
	outboxMessages, outboxAge, writerDesc *prometheus.Desc
	hashWaiting, hashRunning              *prometheus.Desc
}

func newWatched(m *Metrics) *watched {
	return &watched{
		m: m,
		errors: counterVec("rollcall_metrics_callback_errors_total",
			"Scrapes that left out a callback's gauges because it failed or timed out, by callback.", "callback"),
		outboxMessages: prometheus.NewDesc("rollcall_outbox_messages",
			"Outbox messages by status: queued (waiting for a send or a retry), sent, failed.", []string{"status"}, nil),
		outboxAge: prometheus.NewDesc("rollcall_outbox_oldest_queued_age_seconds",
			"Age of the oldest queued outbox message (since it was queued); 0 when none is queued.", nil, nil),
		writerDesc: prometheus.NewDesc("rollcall_store_writer_queue_depth",
			"Write requests waiting for the store's writer.", nil, nil),
		hashWaiting: prometheus.NewDesc("rollcall_password_hash_waiting",
			"Password hashes waiting for a free slot.", nil, nil),
		hashRunning: prometheus.NewDesc("rollcall_password_hash_running",
			"Password hashes running.", nil, nil),
	}
}

func (w *watched) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{w.outboxMessages, w.outboxAge, w.writerDesc, w.hashWaiting, w.hashRunning} {
		ch <- d
	}
}

func (w *watched) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	if f := w.writerQueue.Load(); f != nil {
		gauge(w.writerDesc, float64((*f)()))
	}
	if f := w.hashQueue.Load(); f != nil {
		waiting, running := (*f)()
		gauge(w.hashWaiting, float64(waiting))
		gauge(w.hashRunning, float64(running))
	}
	if f := w.outbox.Load(); f != nil {
		ctx, cancel := context.WithTimeout(context.Background(), w.m.timeout)
		st, err := (*f)(ctx)
		cancel()
		if err != nil {
			w.errors.WithLabelValues("outbox").Inc()
			return
		}
		gauge(w.outboxMessages, float64(st.Queued), StatusQueued)
		gauge(w.outboxMessages, float64(st.Sent), StatusSent)
		gauge(w.outboxMessages, float64(st.Failed), StatusFailed)
		switch {
		case st.Queued == 0:
			gauge(w.outboxAge, 0)
		case !st.OldestQueued.IsZero(): // zero with messages queued: unknown, left out
			gauge(w.outboxAge, max(w.m.now().Sub(st.OldestQueued).Seconds(), 0))
		}
	}
}
