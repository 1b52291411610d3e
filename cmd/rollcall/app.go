package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/audit/trail"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/auth/password"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/business"
	chimesvc "github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/admin"
	"github.com/rollcall/rollcall/face/alexaforbusiness"
	"github.com/rollcall/rollcall/face/amazonbusiness"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/face/chime"
	"github.com/rollcall/rollcall/face/loginwithamazon"
	"github.com/rollcall/rollcall/face/web"
	"github.com/rollcall/rollcall/face/workdocs"
	"github.com/rollcall/rollcall/fault"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/httpx/frontdoor"
	"github.com/rollcall/rollcall/invite"
	"github.com/rollcall/rollcall/mail"
	"github.com/rollcall/rollcall/metrics"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/pagetoken"
	"github.com/rollcall/rollcall/ratelimit"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/tracing"
	workdocssvc "github.com/rollcall/rollcall/workdocs"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Main is a running rollcall: configuration, store, service and HTTP server. End-to-end
// tests use it as main does, on 127.0.0.1:0 with a temporary data directory.
type Main struct {
	Config Config
	Stdout io.Writer // the quickstart
	Stderr io.Writer // the log

	Store    rollcall.Store
	Service  *rollcall.Service // the core the products and the rest are built on
	Invite   *invite.Service   // invitations and their acceptance
	Operator *operator.Service // the admin API's and the console's view, seeding, purge
	Trail    *trail.Trail      // the audit trail's recorder
	URL      string            // http://host:port once Run has returned
	Mail     *mail.Dispatcher  // delivers the outbox; nil without --smtp-url
	Faults   *fault.Engine     // the fault-injection rules (/_rollcall/faults)

	// Now is the server's clock for SigV4's skew window and the Date header; nil is
	// time.Now. Tests set it off by minutes to stand for a client whose clock is off.
	Now func() time.Time

	// PurgeEvery is how often expired rows are deleted (operator.PurgeInterval when 0).
	PurgeEvery time.Duration

	// AuditScan bounds the events a filtered page of /_rollcall/events examines
	// (rollcall.AuditScan when 0); tests lower it to see short pages.
	AuditScan int

	// PageTokenKey seals pagination tokens. It is kept in the store (the
	// "page-token-key" setting), so every replica of one database has the same key and
	// a token minted by one opens on another.
	PageTokenKey []byte

	Metrics    *metrics.Metrics // with --metrics-listen; nil otherwise
	MetricsURL string           // http://host:port/metrics once Run has returned, with Metrics
	Tracer     *tracing.Tracer  // when tracing is on; nil otherwise
	// TraceExporter, when set before Run, receives every span (tests: an in-memory
	// exporter), and turns tracing on whatever the environment says.
	TraceExporter sdktrace.SpanExporter

	server        *http.Server
	metricsServer *http.Server
	ln            net.Listener
	done          chan error
	stopPurge     func()
	closeOnce     sync.Once
	closeErr      error
}

// NewMain returns a Main writing to the process's stdout and stderr.
func NewMain() *Main { return &Main{Stdout: os.Stdout, Stderr: os.Stderr} }

// ParseFlags reads the configuration from args and ROLLCALL_* variables.
func (m *Main) ParseFlags(args []string, getenv func(string) string) error {
	return m.Config.parse(args, getenv, m.Stderr)
}

// Run opens the store, applies the dev defaults and the init file, and starts serving in
// the background. It returns once the server accepts connections.
func (m *Main) Run(ctx context.Context) error {
	c := &m.Config
	log := newLogger(c, m.Stderr)
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return err
	}
	if path, ok := sqlitePath(c); ok {
		for _, loose := range sqlite.LoosePermissions(path) {
			log.Warn("the database holds secret keys in clear, but others may read it: chmod 600 it", "file", loose)
		}
	}
	if err := m.startTelemetry(ctx, storeSystem(c)); err != nil {
		return err
	}
	store, where, err := openObservedStore(ctx, c, m.Metrics)
	if err != nil {
		return err
	}
	m.Store = store
	store = m.traced(store)
	if m.PageTokenKey, err = loadPageTokenKey(ctx, store); err != nil {
		return fmt.Errorf("page token key: %w", err)
	}

	ln, err := net.Listen("tcp", c.Listen)
	if err != nil {
		return err
	}
	m.ln = ln
	m.URL = "http://" + ln.Addr().String()
	publicURL := c.PublicURL
	if publicURL == "" {
		publicURL = m.URL
	}
	svc := &rollcall.Service{
		Store:         store,
		Passwords:     password.Argon2id{Time: uint32(c.Argon2Time), Memory: uint32(c.Argon2Memory), Threads: 1},
		Strength:      password.Strength{},
		HashSlots:     c.hashSlots(),
		HashWait:      c.Argon2Wait,
		PublicURL:     publicURL,
		InvitationTTL: c.InvitationTTL,
		Policies:      auth.PolicyParser{},

		IdempotencyRetention: c.IdempotencyRetention,
	}
	m.Service = svc
	m.traceMail(svc)
	tokens := token.New(svc, operator.TokenAttrs)
	tokens.AccessTokenTTL = c.AccessTokenTTL
	m.Invite = invite.New(svc, chimesvc.Invitations, workdocssvc.Invitations, alexa.Invitations, business.Invitations)
	m.Operator = operator.New(svc)
	m.Invite.Accepted = m.Metrics.InvitationAcceptance
	m.watchState(svc, m.Operator, m.Store)
	if c.NoDevDefaults {
		if err := tokens.RevokeDevDefaults(ctx); err != nil {
			return fmt.Errorf("revoke dev defaults: %w", err)
		}
	} else if err := m.Operator.Apply(ctx, operator.DevSeed()); err != nil {
		return fmt.Errorf("dev defaults: %w", err)
	} else {
		m.Operator.Declared = append(m.Operator.Declared, operator.DevSeed())
	}
	if c.Init != "" {
		sd, err := loadSeed(c.Init)
		if err != nil {
			return err
		}
		if err := m.Operator.Apply(ctx, sd); err != nil {
			return fmt.Errorf("%s: %w", c.Init, err)
		}
		m.Operator.Declared = append(m.Operator.Declared, sd) // what a reset brings back
	}
	adminHash, adminToken, err := adminTokenHash(c.AdminToken, c.DataDir)
	if err != nil {
		return fmt.Errorf("admin token: %w", err)
	}

	if m.Faults, err = startFaults(ctx, store, log, m.Metrics); err != nil {
		return fmt.Errorf("fault rules: %w", err)
	}
	svc.OnStateReplaced(func() { // a reset or a restore: the rules now are the store's
		if err := m.Faults.Reload(context.Background()); err != nil {
			log.Warn("fault rules: cannot reload after a reset or a restore", "error", err)
		}
	})
	limits := ratelimit.New(c.RateLimits)
	svc.OnStateReplaced(limits.Reset) // a reset or a restore starts with full buckets
	businessFace := amazonbusiness.New(business.New(svc), token.BusinessAuthenticator{Tokens: tokens})
	businessFace.Limits = limits
	newAuth := func(service string, opts ...auth.AWSOption) *auth.AWS {
		return auth.NewAWS(svc, service, m.Now, append(opts, auth.Regions(c.Regions...))...)
	}
	chimeFace := chime.New(chimesvc.New(svc), newAuth("chime"))
	a4bFace := alexaforbusiness.New(alexa.New(svc), newAuth("a4b", auth.MustSign(alexaforbusiness.MustSign...)))
	workdocsFace := workdocs.New(workdocssvc.New(svc), newAuth("workdocs"), tokens)
	policies := auth.NewPolicies(svc, m.Now)
	guards := awsx.Guards{Limits: limits, Faults: m.Faults}
	if c.IAM != "off" {
		guards.IAM = policies
	}
	chimeFace.Guards, a4bFace.Guards, workdocsFace.Guards = guards, guards, guards
	businessFace.Faults = m.Faults
	pages := pagetoken.New(m.PageTokenKey) // shared by the replicas of one database
	chimeFace.Pages, a4bFace.Pages, workdocsFace.Markers = pages, pages, pages
	adminFace := admin.New(m.Operator, adminHash)
	adminFace.IAM, adminFace.Faults, adminFace.Pages, adminFace.AuditScan = policies, m.Faults, pages, m.AuditScan
	webFace := web.New(m.Invite, m.Operator, adminHash, m.PageTokenKey)
	webFace.Faults = m.Faults
	if c.Audit {
		m.Trail = trail.New(store, trail.Options{Reads: c.AuditReads, Now: m.Now, Log: log})
	}
	handler := httpx.Middleware(log, m.observe(m.Trail.Middleware(frontdoor.Limit(httpx.Router(
		adminFace,
		webFace,
		&httpx.Sites{Allowed: c.CORSOrigins, Faces: []httpx.Face{
			businessFace,
			loginwithamazon.New(tokens),
			a4bFace,
			chimeFace,
			workdocsFace,
		}},
	)))))
	if m.Now != nil {
		handler = withDate(m.Now, handler)
	}
	m.server = &http.Server{
		Handler:           handler,
		MaxHeaderBytes:    frontdoor.MaxHeaderBytes,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if err := m.startMail(svc, publicURL, log); err != nil {
		return err
	}
	m.startPurge(m.Operator, log)
	if err := m.serveMetrics(log); err != nil {
		return err
	}
	m.done = make(chan error, 1)
	go func() { m.done <- m.server.Serve(frontdoor.Listener(ln)) }()
	log.Info("listening", "url", m.URL, "store", where)
	if !c.Quiet {
		printQuickstart(m.Stdout, m.URL, where, !c.NoDevDefaults, adminToken)
	}
	return nil
}

// Close stops accepting requests, lets in-flight ones finish, and closes the store.
func (m *Main) Close() error {
	m.closeOnce.Do(func() { m.closeErr = m.close() })
	return m.closeErr
}

func (m *Main) close() error {
	errs := []error{m.stopMetrics()}
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := m.server.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
		if err := <-m.done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	} else if m.ln != nil {
		m.ln.Close()
	}
	if m.stopPurge != nil {
		m.stopPurge()
	}
	if m.Faults != nil {
		m.Faults.Close()
	}
	if m.Trail != nil { // after the server: in-flight calls have queued their events
		errs = append(errs, m.Trail.Close())
	}
	if m.Mail != nil { // before the store: it records the message it is sending
		errs = append(errs, m.Mail.Close())
	}
	if m.Store != nil {
		errs = append(errs, m.Store.Close())
	}
	errs = append(errs, m.flushTraces()) // last: the spans of the shutdown go out too
	return errors.Join(errs...)
}

// operations are the metrics' face and operation labels: every face's Operations.
func operations() map[string][]string {
	return map[string][]string{
		chime.Name: chime.Operations, workdocs.Name: workdocs.Operations,
		alexaforbusiness.Name: alexaforbusiness.Operations, amazonbusiness.Name: amazonbusiness.Operations,
		loginwithamazon.Name: loginwithamazon.Operations, admin.Name: admin.Operations, web.Name: web.Operations,
	}
}

// openStore opens the configured store and says where it is, for the quickstart.
func openStore(ctx context.Context, c *Config) (rollcall.Store, string, error) {
	return openObservedStore(ctx, c, nil)
}

// openObservedStore is openStore with the store's hooks reporting to met, if not nil.
func openObservedStore(ctx context.Context, c *Config, met *metrics.Metrics) (rollcall.Store, string, error) {
	switch {
	case strings.HasPrefix(c.Store, "postgres://"), strings.HasPrefix(c.Store, "postgresql://"):
		s, err := postgres.Open(ctx, c.Store, postgresHooks(met)...)
		return s, "postgres " + redactDSN(c.Store), err
	case c.Store == "" || strings.HasPrefix(c.Store, "sqlite:"):
		path, _ := sqlitePath(c)
		s, err := sqlite.Open(path, sqliteHooks(met)...)
		return s, "sqlite " + path, err
	default:
		return nil, "", fmt.Errorf("--store %q: want sqlite:PATH or postgres://...", c.Store)
	}
}

// sqlitePath is the SQLite database file the configuration names, if it names one.
func sqlitePath(c *Config) (string, bool) {
	if c.Store != "" && !strings.HasPrefix(c.Store, "sqlite:") {
		return "", false
	}
	if path := strings.TrimPrefix(c.Store, "sqlite:"); path != "" {
		return path, true
	}
	return filepath.Join(c.DataDir, "rollcall.db"), true
}

// redactDSN hides a connection URL's password, for the quickstart and the log.
var dsnPassword = regexp.MustCompile(`(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)`)

func redactDSN(dsn string) string {
	if !strings.Contains(dsn, "://") {
		// A keyword/value DSN (host=... password=...): hide the password's value.
		return dsnPassword.ReplaceAllString(dsn, "${1}xxxxx")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

func newLogger(c *Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// withDate sets each response's Date from now, as net/http does from time.Now: clients
// correct their clock skew from it.
func withDate(now func() time.Time, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", now().UTC().Format(http.TimeFormat))
		next.ServeHTTP(w, r)
	})
}
