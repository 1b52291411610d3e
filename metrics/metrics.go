package metrics

import (
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Config fixes the label values a Metrics records. Values outside these sets become
// Other.
type Config struct {
	// Operations maps each face to the operations it serves, as the request log names
	// them: {"chime": {"CreateUser", "ListUsers"}, "admin": {"ListTenants"}}.
	Operations map[string][]string
	// AuthReasons are the values of the reason label of auth failures; nil means
	// DefaultAuthReasons.
	AuthReasons []string
	// Now is the clock for ages computed at scrape time; nil means time.Now.
	Now func() time.Time
	// CallbackTimeout bounds a Watch callback that takes a context (the outbox's);
	// 0 means 3s. A scrape must answer within Prometheus's scrape timeout (10s default).
	CallbackTimeout time.Duration
}

// Metrics records rollcall's series in its own registry. The zero value is not usable:
// make one with New. A nil *Metrics is a valid no-op: every method returns at once.
type Metrics struct {
	reg     *prometheus.Registry
	now     func() time.Time
	timeout time.Duration

	// requests: faces and ops resolve a (face, operation) to an index in ops, whose
	// per-code slots cache the histogram child, so the hot path neither allocates nor
	// takes a lock once a series exists.
	faces     map[string]*faceOps
	otherFace *opSlot
	requests  *prometheus.HistogramVec

	schemes, reasons set
	authFailures     *prometheus.CounterVec
	rateLimited      *prometheus.CounterVec
	faultsInjected   *prometheus.CounterVec

	commitRows     prometheus.Histogram
	commitDuration prometheus.Histogram
	checkpoint     prometheus.Histogram
	serialization  prometheus.Counter

	sendOutcomes set
	faultActions set
	sends        *prometheus.HistogramVec
	acceptances  *prometheus.CounterVec
	acceptResult set

	watched *watched
}

// New makes a Metrics with its own registry holding every series, the Go runtime and
// process collectors included. It refuses a face or operation name that is empty or not
// UTF-8, and the name Other.
func New(cfg Config) (*Metrics, error) {
	if err := checkConfig(cfg); err != nil {
		return nil, err
	}
	m := &Metrics{reg: prometheus.NewRegistry(), now: cfg.Now, timeout: cfg.CallbackTimeout}
	if m.now == nil {
		m.now = time.Now
	}
	if m.timeout <= 0 {
		m.timeout = 3 * time.Second
	}
	reasons := cfg.AuthReasons
	if reasons == nil {
		reasons = DefaultAuthReasons
	}
	m.schemes, m.reasons = newSet(schemes...), newSet(reasons...)
	m.sendOutcomes, m.acceptResult = newSet(sendOutcomes...), newSet(acceptResults...)
	m.faultActions = newSet(FaultActions...)

	// The buckets: argon2id hashes take tens of milliseconds, durable writes a few.
	m.requests = histogramVec("rollcall_request_duration_seconds",
		"Time to answer an API request, by face, operation and status code; _count is the number of requests.",
		[]float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}, "face", "operation", "code")
	m.indexOperations(cfg.Operations)

	m.authFailures = counterVec("rollcall_auth_failures_total",
		"Requests refused because their credentials did not authenticate, by face, scheme and reason.", "face", "scheme", "reason")
	m.rateLimited = counterVec("rollcall_rate_limited_total",
		"Requests refused by a per-tenant rate limit, by face and operation.", "face", "operation")
	m.faultsInjected = counterVec("rollcall_faults_injected_total",
		"Faults injected by fault-injection rules, by face, operation and action.", "face", "operation", "action")

	m.commitRows = histogram("rollcall_store_commit_requests",
		"Write requests committed together in one transaction (group commit), per commit.",
		prometheus.ExponentialBuckets(1, 2, 11)) // 1 .. 1024
	m.commitDuration = histogram("rollcall_store_commit_duration_seconds",
		"Time to commit one write transaction, durably.",
		[]float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1})
	m.checkpoint = histogram("rollcall_store_checkpoint_duration_seconds",
		"Time of one SQLite WAL checkpoint.",
		[]float64{.001, .005, .01, .05, .1, .5, 1, 5, 10, 30})
	m.serialization = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "rollcall_store_serialization_retries_total",
		Help: "Transactions retried after a serialization failure or deadlock (PostgreSQL).",
	})

	m.sends = histogramVec("rollcall_outbox_send_duration_seconds",
		"Time of one attempt to hand an outbox message to the mail relay, by outcome; _count is the attempts.",
		[]float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120}, "outcome")
	m.acceptances = counterVec("rollcall_invitation_acceptances_total",
		"Invitation links followed to acceptance, by result: accepted, or why it was refused.", "result")

	m.watched = newWatched(m)
	m.reg.MustRegister(
		m.requests, m.authFailures, m.rateLimited, m.faultsInjected,
		m.commitRows, m.commitDuration, m.checkpoint, m.serialization,
		m.sends, m.acceptances, m.watched, m.watched.errors,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m, nil
}

// counterVec, histogram and histogramVec make the series New registers: name and help
// as Prometheus shows them, the histograms' bucket bounds, the families' label names.
func counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
}

func histogram(name, help string, buckets []float64) prometheus.Histogram {
	return prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets})
}

func histogramVec(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	return prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
}

func checkConfig(cfg Config) error {
	for face, ops := range cfg.Operations {
		if err := checkName("face", face); err != nil {
			return err
		}
		for _, op := range ops {
			if err := checkName("operation", op); err != nil {
				return fmt.Errorf("%w (face %q)", err, face)
			}
		}
	}
	for _, r := range cfg.AuthReasons {
		if err := checkName("auth reason", r); err != nil {
			return err
		}
	}
	return nil
}

func checkName(what, v string) error {
	if v == "" || v == Other || !utf8.ValidString(v) {
		return fmt.Errorf("metrics: %s name %q is empty, not UTF-8 or %q", what, v, Other)
	}
	return nil
}

// Handler serves the registry in Prometheus's text format (GET /metrics). On a nil
// *Metrics it answers 404.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorHandling:       promhttp.ContinueOnError, // one failing collector does not hide the rest
		Registry:            m.reg,                    // counts the handler's own errors
		MaxRequestsInFlight: 2,
	})
}

// Registry returns the registry, for a caller that adds its own collectors or gathers
// directly. It is nil on a nil *Metrics.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}
