package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/mail"
	"github.com/rollcall/rollcall/metrics"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/tracing"
)

// Metrics and traces: cmd makes the *metrics.Metrics (with --metrics-listen) and the
// *tracing.Tracer (with --otel-endpoint or OTEL_EXPORTER_OTLP_*), and hands them to the
// request path (an httpx.Observer), the stores (their Hooks), the store wrapper
// (tracedStore), the outbox dispatcher (mail.Hooks), invitations and the hash gate.
// Either may be nil (off): every use below is nil-safe.

// startTelemetry makes the Metrics and the Tracer the configuration asks for.
func (m *Main) startTelemetry(ctx context.Context, storeSystem string) error {
	c := &m.Config
	if c.MetricsListen != "" {
		met, err := metrics.New(metrics.Config{Operations: operations()})
		if err != nil {
			return err
		}
		m.Metrics = met
	}
	tr, err := tracing.Setup(ctx, tracing.Config{Endpoint: c.OTelEndpoint, ServiceVersion: Version,
		StoreSystem: storeSystem, Exporter: m.TraceExporter})
	if err != nil {
		return err
	}
	m.Tracer = tr
	return nil
}

// storeSystem names the configured store's database, for store spans.
func storeSystem(c *Config) string {
	if _, ok := sqlitePath(c); ok {
		return "sqlite"
	}
	return "postgresql"
}

// sqliteHooks and postgresHooks report the stores' commits, checkpoints and retries to
// met; none without metrics.
func sqliteHooks(met *metrics.Metrics) []sqlite.Option {
	if met == nil {
		return nil
	}
	return []sqlite.Option{sqlite.WithHooks(sqlite.Hooks{Commit: met.ObserveCommit, Checkpoint: met.ObserveCheckpoint})}
}

func postgresHooks(met *metrics.Metrics) []postgres.Option {
	if met == nil {
		return nil
	}
	return []postgres.Option{postgres.WithHooks(postgres.Hooks{Commit: met.ObserveCommit, Retry: met.SerializationRetry})}
}

// watchState registers the gauges read at scrape time: the SQLite writer's queue, the
// outbox and the password-hash queue.
func (m *Main) watchState(svc *rollcall.Service, op *operator.Service, store rollcall.Store) {
	met := m.Metrics
	if met == nil {
		return
	}
	if s, ok := store.(*sqlite.Store); ok {
		met.WatchWriterQueue(s.QueueDepth)
	}
	met.WatchHashQueue(svc.HashQueue)
	met.WatchOutbox(func(ctx context.Context) (metrics.OutboxState, error) {
		st, err := op.Outbox(ctx)
		return metrics.OutboxState{Queued: st.Queued, Sent: st.Sent, Failed: st.Failed, OldestQueued: st.OldestQueued}, err
	})
}

// traceMail has svc keep the request's trace context with the mail it queues, so that
// the send's span (mailHooks) joins the request's trace. Off, the hook stays nil and
// queueing formats nothing. A replica without a relay keeps it too: another may send.
func (m *Main) traceMail(svc *rollcall.Service) {
	if m.Tracer != nil {
		svc.TraceContext = m.Tracer.TraceContext
	}
}

// mailHooks report each send's outcome and make its span (a child of the request that
// queued the message, from the trace context kept with it).
func (m *Main) mailHooks() mail.Hooks {
	tr := m.Tracer
	return mail.Hooks{
		StartSend: func(ctx context.Context, msg *rollcall.Message) (context.Context, func(error)) {
			ctx, span := tr.StartMailSend(ctx, msg.TraceParent, msg.TraceState, msg.Attempts)
			return ctx, func(err error) { span.Finish(errKind(err)) }
		},
		Sent: m.Metrics.ObserveSend,
	}
}

// errKind is the kind of err for a span ("" for none): the core's kind, never a message.
func errKind(err error) string {
	if err == nil {
		return ""
	}
	return rollcall.ErrorKind(err).String()
}

// observer is the request path's httpx.Observer: the request span and the request,
// auth-failure and rate-limit series.
type observer struct {
	met *metrics.Metrics
	tr  *tracing.Tracer
}

func (o observer) Begin(r *http.Request) (*http.Request, func(*httpx.Info, int, time.Duration)) {
	r, span := o.tr.StartRequest(r, "", "")
	return r, func(in *httpx.Info, status int, d time.Duration) {
		o.met.ObserveRequest(in.Face, in.Operation, status, d)
		if a := in.AuthFailure; a != nil {
			o.met.AuthFailure(in.Face, a.Scheme, a.Reason)
		}
		if in.RateLimited {
			o.met.RateLimited(in.Face, in.Operation)
		}
		span.SetOperation(in.Face, in.Operation)
		span.SetRequestID(in.RequestID)
		span.End(status, errKind(in.Err))
	}
}

// observe wraps next in the observer when metrics or traces are on.
func (m *Main) observe(next http.Handler) http.Handler {
	if m.Metrics == nil && m.Tracer == nil {
		return next
	}
	return httpx.Observe(observer{met: m.Metrics, tr: m.Tracer}, next)
}

// tracedStore makes a span for each store transaction of a traced request.
type tracedStore struct {
	rollcall.Store
	tr *tracing.Tracer
}

func (s tracedStore) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	ctx, span := s.tr.StartStoreTx(ctx, "Update")
	err := s.Store.Update(ctx, fn)
	span.Finish(errKind(err))
	return err
}

func (s tracedStore) View(ctx context.Context, fn func(rollcall.Tx) error) error {
	ctx, span := s.tr.StartStoreTx(ctx, "View")
	err := s.Store.View(ctx, fn)
	span.Finish(errKind(err))
	return err
}

// ViewOne keeps the wrapped store's one-read Views (rollcall.OneReadViewer): an Amazon
// Business token's lookup costs the same traced or not.
func (s tracedStore) ViewOne(ctx context.Context, fn func(rollcall.Tx) error) error {
	ctx, span := s.tr.StartStoreTx(ctx, "View")
	err := rollcall.ViewOne(ctx, s.Store, fn)
	span.Finish(errKind(err))
	return err
}

// CachedAccessToken keeps the wrapped store's token cache (token.TokenCache), which
// spares an Amazon Business create its token's lookup on PostgreSQL.
func (s tracedStore) CachedAccessToken(hash string) (*rollcall.AccessToken, bool) {
	c, ok := s.Store.(token.TokenCache)
	if !ok {
		return nil, false
	}
	return c.CachedAccessToken(hash)
}

// ProbeWrite keeps the wrapped store's health probe (rollcall.WriteProber).
func (s tracedStore) ProbeWrite(ctx context.Context) error {
	p, ok := s.Store.(rollcall.WriteProber)
	if !ok {
		return errors.ErrUnsupported
	}
	return p.ProbeWrite(ctx)
}

// traced is store with a span per transaction when tracing is on.
func (m *Main) traced(store rollcall.Store) rollcall.Store {
	if m.Tracer == nil {
		return store
	}
	return tracedStore{Store: store, tr: m.Tracer}
}

// serveMetrics serves GET /metrics on --metrics-listen.
func (m *Main) serveMetrics(log *slog.Logger) error {
	if m.Metrics == nil {
		return nil
	}
	ln, err := net.Listen("tcp", m.Config.MetricsListen)
	if err != nil {
		return fmt.Errorf("--metrics-listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Metrics.Handler())
	m.metricsServer = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	m.MetricsURL = "http://" + ln.Addr().String() + "/metrics"
	go m.metricsServer.Serve(ln)
	log.Info("metrics", "url", m.MetricsURL)
	return nil
}

// stopMetrics stops the metrics server, before the store closes under its scrapes.
func (m *Main) stopMetrics() error {
	if m.metricsServer == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.metricsServer.Shutdown(ctx)
}

// flushTraces sends the spans not yet exported, waiting at most 5s.
func (m *Main) flushTraces() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.Tracer.Shutdown(ctx)
}
