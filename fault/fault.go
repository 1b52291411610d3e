package fault

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
)

// DefaultEvery is how often an Engine looks for rules changed on another replica.
const DefaultEvery = 250 * time.Millisecond

// Counter counts injected faults, for a metrics package (plain strings: package metrics
// imports no rollcall package); Engine.Counter nil counts in the Engine only (Injected).
type Counter interface {
	FaultInjected(face, op, action string)
}

// Engine keeps the fault rules and injects them. Set the fields before Start.
type Engine struct {
	Store rollcall.Store
	// Catalog lists, by face name, the operations a rule may name.
	Catalog map[string][]string
	Now     func() time.Time // nil: time.Now
	Rand    func() float64   // in [0, 1); nil: math/rand/v2
	NewID   func() string    // nil: a random "f-" ID
	Every   time.Duration    // 0: DefaultEvery
	Counter Counter
	Log     *slog.Logger // nil: slog.Default

	rules    atomic.Pointer[snapshot]
	injected atomic.Int64
	mu       sync.Mutex // serializes loads
	stop     func()
	stopped  chan struct{}
}

type snapshot struct {
	version int64
	rules   []*rule
}

// rule is a cached rollcall.Fault; spent is set once the store has refused to fire it.
type rule struct {
	rollcall.Fault
	spent atomic.Bool
}

var _ awsx.Injector = (*Engine)(nil)

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Engine) random() float64 {
	if e.Rand != nil {
		return e.Rand()
	}
	return rand.Float64()
}

func (e *Engine) log() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}

// Start loads the rules and keeps them fresh until Close.
func (e *Engine) Start(ctx context.Context) error {
	if err := e.Reload(ctx); err != nil {
		return err
	}
	every := e.Every
	if every <= 0 {
		every = DefaultEvery
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e.stop, e.stopped = cancel, make(chan struct{})
	go func() {
		defer close(e.stopped)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := e.refresh(ctx); err != nil && ctx.Err() == nil {
					e.log().Warn("fault rules: cannot read the store; keeping the cached rules", "error", err)
				}
			}
		}
	}()
	return nil
}

// Close stops the refresh loop.
func (e *Engine) Close() {
	if e.stop != nil {
		e.stop()
		<-e.stopped
	}
}

// refresh reloads the rules when the store's version differs from the cached one.
func (e *Engine) refresh(ctx context.Context) error {
	var v int64
	if err := e.Store.View(ctx, func(tx rollcall.Tx) (err error) { v, err = tx.FaultsVersion(); return err }); err != nil {
		return err
	}
	if s := e.rules.Load(); s != nil && s.version == v {
		return nil
	}
	return e.Reload(ctx)
}

// Reload reads every rule from the store now.
func (e *Engine) Reload(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var s snapshot
	err := e.Store.View(ctx, func(tx rollcall.Tx) error {
		v, err := tx.FaultsVersion()
		if err != nil {
			return err
		}
		fs, err := tx.Faults()
		if err != nil {
			return err
		}
		s = snapshot{version: v}
		for _, f := range fs {
			s.rules = append(s.rules, &rule{Fault: *f})
		}
		return nil
	})
	if err != nil {
		return err
	}
	e.rules.Store(&s)
	return nil
}

// Injected is how many faults this replica has injected since it started.
func (e *Engine) Injected() int64 { return e.injected.Load() }

// Armed reports whether any rule is loaded (awsx.ArmedInjector): with none, Inject
// does nothing.
func (e *Engine) Armed() bool {
	s := e.rules.Load()
	return s != nil && len(s.rules) > 0
}

// Inject answers whether a rule fires for r, to face's operation op from caller c: the
// first live matching rule whose probability draw succeeds and whose firing the store
// counts.
func (e *Engine) Inject(r *http.Request, face, op string, c rollcall.Caller) awsx.Injection {
	s := e.rules.Load()
	if s == nil || len(s.rules) == 0 {
		return awsx.Injection{}
	}
	now := e.now()
	for _, ru := range s.rules {
		if ru.spent.Load() || !ru.Live(now) || !ru.matches(r, face, op, c) {
			continue
		}
		if ru.Probability < 1 && e.random() >= ru.Probability {
			continue
		}
		var fired bool
		err := e.Store.Update(r.Context(), func(tx rollcall.Tx) (err error) {
			fired, err = tx.FireFault(ru.ID)
			return err
		})
		if err != nil {
			e.log().Warn("fault rules: cannot count a firing; not injecting", "rule", ru.ID, "error", err)
			continue
		}
		if !fired {
			ru.spent.Store(true)
			continue
		}
		e.injected.Add(1)
		if e.Counter != nil {
			e.Counter.FaultInjected(face, op, string(ru.Action))
		}
		in := injection(&ru.Fault)
		in.Rule = ru.ID
		return in
	}
	return awsx.Injection{}
}

func (ru *rule) matches(r *http.Request, face, op string, c rollcall.Caller) bool {
	return ru.Face == face &&
		(ru.Operation == rollcall.AllOperations || ru.Operation == op) &&
		(ru.TenantID == "" || ru.TenantID == c.TenantID) &&
		(ru.AccessKeyID == "" || ru.AccessKeyID == c.AccessKeyID) &&
		(ru.HeaderName == "" || slices.Contains(r.Header.Values(ru.HeaderName), ru.HeaderValue))
}

// injection is what a fired rule does. The errors are the core's kinds, so each face's
// error table words them as the service does (Chime's 429 ThrottledClientException,
// WorkDocs' and Alexa for Business's 400 ThrottlingException, Amazon Business's 429
// TOO_MANY_REQUESTS); their Op names the rule in the log.
func injection(f *rollcall.Fault) awsx.Injection {
	op := "injected by fault rule " + f.ID
	switch f.Action {
	case rollcall.FaultThrottle:
		return awsx.Injection{Err: &rollcall.Error{Kind: rollcall.Throttled, Op: op, Message: "Rate exceeded"}}
	case rollcall.FaultInternal:
		return awsx.Injection{Err: &rollcall.Error{Kind: rollcall.Internal, Op: op, Message: "internal error"}}
	case rollcall.FaultUnavailable:
		return awsx.Injection{Err: &rollcall.Error{Kind: rollcall.Unavailable, Op: op, Message: "Service is currently unavailable. Please try again."}}
	case rollcall.FaultLatency:
		return awsx.Injection{Delay: f.Latency}
	case rollcall.FaultReset:
		return awsx.Injection{Reset: true}
	case rollcall.FaultLoseResponse:
		return awsx.Injection{LoseResponse: true}
	}
	return awsx.Injection{}
}

// Rules lists the rules as the store holds them now (with their Fired counts), by ID.
func (e *Engine) Rules(ctx context.Context) ([]*rollcall.Fault, error) {
	var fs []*rollcall.Fault
	err := e.Store.View(ctx, func(tx rollcall.Tx) (err error) { fs, err = tx.Faults(); return err })
	return fs, err
}

// Create checks f against the catalog and the core's rules, gives it an ID and a
// creation time, stores it and reloads this replica's rules.
func (e *Engine) Create(ctx context.Context, f *rollcall.Fault) error {
	now := e.now()
	ops, ok := e.Catalog[f.Face]
	switch {
	case f.Face == "":
		return rollcall.Errorf(rollcall.Invalid, "face is required: one of %s", strings.Join(e.faces(), ", "))
	case !ok:
		return rollcall.Errorf(rollcall.Invalid, "face %q is not one of %s", f.Face, strings.Join(e.faces(), ", "))
	case f.Operation != rollcall.AllOperations && f.Operation != "" && !slices.Contains(ops, f.Operation):
		return rollcall.Errorf(rollcall.Invalid, "operation %q is not one of %s's: %s, or %q for all", f.Operation, f.Face, strings.Join(ops, ", "), rollcall.AllOperations)
	}
	if err := f.Check(now); err != nil {
		return err
	}
	f.ID, f.CreatedAt, f.Fired = e.newID(), now.UTC().Truncate(time.Millisecond), 0
	if err := e.Store.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertFault(f) }); err != nil {
		return err
	}
	return e.Reload(ctx)
}

// Delete removes rule id (NotFound when there is none) and reloads this replica's rules.
func (e *Engine) Delete(ctx context.Context, id string) error {
	if err := e.Store.Update(ctx, func(tx rollcall.Tx) error { return tx.DeleteFault(id) }); err != nil {
		if rollcall.IsKind(err, rollcall.NotFound) {
			return rollcall.Errorf(rollcall.NotFound, "there is no fault rule %q", id)
		}
		return err
	}
	return e.Reload(ctx)
}

func (e *Engine) faces() []string {
	out := make([]string, 0, len(e.Catalog))
	for f := range e.Catalog {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

const idChars = "abcdefghijklmnopqrstuvwxyz0123456789"

func (e *Engine) newID() string {
	if e.NewID != nil {
		return e.NewID()
	}
	b := []byte("f-")
	for range 12 {
		b = append(b, idChars[rand.IntN(len(idChars))])
	}
	return string(b)
}
