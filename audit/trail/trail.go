package trail

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit"
)

// Trail records calls. Its zero value is not usable: call New.
type Trail struct {
	store rollcall.Store
	reads bool
	now   func() time.Time
	log   *slog.Logger

	queue     chan item
	done      chan struct{}
	closeOnce sync.Once
}

// Options configure a Trail.
type Options struct {
	// Reads records calls that change nothing (--audit-reads).
	Reads bool
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Log receives the errors of writing queued events (slog.Default when nil).
	Log *slog.Logger
	// Queue is how many answered calls may wait for the background writer (default
	// 4096); when it is full, Finish waits: a call is never answered unrecorded.
	Queue int
}

// Batch is the most events the background writer Puts in one transaction.
const Batch = 512

// Linger is how long the background writer waits for more events after the first of a
// batch, unless Flush or Close is waiting: queued events are stored within about that
// long of the answer.
const Linger = 20 * time.Millisecond

// New returns a Trail that stores events in store and starts its background writer;
// Close stops it.
func New(store rollcall.Store, o Options) *Trail {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Queue <= 0 {
		o.Queue = 4096
	}
	t := &Trail{store: store, reads: o.Reads, now: o.Now, log: o.Log,
		queue: make(chan item, o.Queue), done: make(chan struct{})}
	go t.write()
	return t
}

// Close writes the events still queued and stops the background writer. Calls must not
// Finish after Close.
func (t *Trail) Close() error {
	t.closeOnce.Do(func() { close(t.queue) })
	<-t.done
	return nil
}

// item is a queued event, or a Flush's marker (flushed set).
type item struct {
	event   rollcall.AuditEvent
	flushed chan struct{}
}

// Flush returns once every event queued before it is written (or failed to be).
func (t *Trail) Flush() {
	done := make(chan struct{})
	t.queue <- item{flushed: done}
	<-done
}

func (t *Trail) write() {
	defer close(t.done)
	batch := make([]rollcall.AuditEvent, 0, Batch)
	var flushed []chan struct{}
	add := func(it item) {
		if it.flushed != nil {
			flushed = append(flushed, it.flushed)
		} else {
			batch = append(batch, it.event)
		}
	}
	linger := time.NewTimer(Linger)
	for it := range t.queue {
		batch, flushed = batch[:0], flushed[:0]
		add(it)
		// Wait up to Linger for more, unless a Flush waits: each batch is a transaction
		// (and, when the store is idle, a commit of its own), so fewer and fuller batches
		// cost the writer less.
		linger.Reset(Linger)
	more:
		for len(batch) < Batch && len(flushed) == 0 {
			select {
			case it, ok := <-t.queue:
				if !ok {
					break more
				}
				add(it)
			case <-linger.C:
				break more
			}
		}
		linger.Stop()
		t.put(batch)
		for _, f := range flushed {
			close(f)
		}
	}
}

// put writes a batch in one transaction: events, and the responses of events that
// writes stored (Record nil).
func (t *Trail) put(batch []rollcall.AuditEvent) {
	if len(batch) == 0 {
		return
	}
	// Detached: no client waits on this Update to send its next request, which a
	// store's batching should not wait for (SQLite's gather).
	err := t.store.Update(rollcall.Detached(context.Background()), func(tx rollcall.Tx) error {
		for i := range batch {
			put := tx.PutAuditEvent
			if batch[i].Record == nil {
				put = tx.PutAuditResponse
			}
			if err := put(&batch[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.log.Error("audit: writing events", "events", len(batch), "err", err)
	}
}

// request is a request's place for its call: Middleware puts one in the request's
// context, as its rollcall.WriteHooker, and Begin sets call. So the request is copied
// for a new context once (here), not a second time for Begin's write hook.
type request struct {
	t    *Trail
	call *Call
}

// WriteHook is the call's write hook (hook), or nil before Begin.
func (q *request) WriteHook() func(rollcall.Tx) error {
	if q.call == nil {
		return nil
	}
	return q.call.hook()
}

// Middleware makes t the Trail of every request next serves; a nil Trail records nothing.
func (t *Trail) Middleware(next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(rollcall.WithWriteHooker(r.Context(), &request{t: t})))
	})
}

// Call is one call being served. A nil *Call (no Trail) records nothing.
type Call struct {
	t       *Trail
	call    audit.Call
	written atomic.Bool // a transaction of the call wrote its event
	// request is the request parameters as the write's event holds them, scrubbed
	// once (set by the hook, before written); stored is that event.
	request audit.Scrubbed
	stored  *rollcall.AuditEvent
	// declared is the response the call answers if its write commits (Declare);
	// carried is declared as the stored event holds it (set with stored), nil when the
	// event holds no response.
	declared, carried []byte
	// op and params, when set, name the operation and give the request parameters once
	// they are known (Handler).
	op     func() string
	params func() any
}

// current is the call as known now.
func (c *Call) current() audit.Call {
	call := c.call
	if c.op != nil {
		call.Operation = c.op()
		call.ReadOnly = ReadOnly(call.Operation)
	}
	if c.params != nil {
		call.Request = c.params()
	}
	return call
}

// Begin starts recording the call r makes to face's operation op, if r's context has a
// Trail (else it returns r and nil). The returned request carries the write hook: serve
// the call with it. (It is r: Middleware's context has the place Begin sets the hook in.)
func Begin(r *http.Request, face, op, requestID string) (*http.Request, *Call) {
	q, _ := rollcall.WriteHookerFrom(r.Context()).(*request)
	if q == nil {
		return r, nil
	}
	t := q.t
	id := audit.RandomUUID()
	ip := r.RemoteAddr
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	c := &Call{t: t, call: audit.Call{
		Face: face, Operation: op, SourceIP: ip, UserAgent: r.UserAgent(), RequestID: requestID,
		EventID: id, Time: t.now(), ReadOnly: ReadOnly(op), TLS: audit.TLSFrom(r.TLS, r.Host),
	}}
	q.call = c
	return r, c
}

// ReadOnly reports whether the operation op changes nothing, by the AWS naming
// convention its APIs follow: Get, List, Describe and Search operations only read.
func ReadOnly(op string) bool {
	for _, p := range []string{"Get", "List", "Describe", "Search"} {
		if strings.HasPrefix(op, p) {
			return true
		}
	}
	return false
}

// Identify records who the caller is, once auth has accepted its credential.
func (c *Call) Identify(rc rollcall.Caller) {
	if c == nil {
		return
	}
	c.call.Tenant, c.call.Region = rc.TenantID, rc.Region
	id := audit.Identity{AccountID: rc.TenantID, AccessKeyID: rc.AccessKeyID}
	switch rc.Credential {
	case rollcall.CredentialAccessKey:
		id.Kind = audit.AccessKey
	case rollcall.CredentialBusinessToken:
		id.Kind, id.Business, id.TokenKind = audit.BusinessToken, rc.DirectoryID, rollcall.TokenAccess
	case rollcall.CredentialWorkDocsToken:
		id.Kind, id.UserID, id.Directory = audit.WorkDocsToken, rc.UserID, rc.DirectoryID
	}
	c.call.Caller = id
}

// Refused makes the call what auth's refusal of its credential leaves: no caller, no
// request, no write event. face/awsx calls it when a caller it served from a cache,
// unconfirmed, turns out refused: an Update's write hook may have built the event in
// a transaction that did not commit.
func (c *Call) Refused() {
	if c == nil {
		return
	}
	c.call.Tenant, c.call.Region, c.call.Caller = "", "", audit.Identity{}
	c.call.Request, c.call.Sensitive = nil, nil
	c.request, c.stored, c.carried = nil, nil, nil
	c.written.Store(false)
}

// IdentifyAdmin records that the caller holds the admin token.
func (c *Call) IdentifyAdmin() {
	if c != nil {
		c.call.Caller = audit.Identity{Kind: audit.Admin}
	}
}

// SetTenant names the tenant the call acted on, when the caller's credential does not
// (the admin API).
func (c *Call) SetTenant(tenant string) {
	if c != nil {
		c.call.Tenant = tenant
	}
}

// SetRequest sets the request parameters: JSON bytes or a value encoding/json marshals.
// sensitive names members to hide beyond those audit.Scrub always hides.
func (c *Call) SetRequest(v any, sensitive ...string) {
	if c != nil {
		c.call.Request, c.call.Sensitive = v, sensitive
	}
}

// Declare says, before the call's write, what the call answers if the write commits:
// response, the body FinishEncoded will be given (Amazon Business's
// createBusinessUserAccount answers `{}` whatever it wrote; Alexa for Business's
// CreateUser, the ARN of the user it is about to write). The write's event then
// carries it, scrubbed as Finish scrubs a response, in the write's own transaction,
// and Finish stores nothing more when the answer is those bytes: no response row
// after the answer. When the answer differs, or the call fails,
// Finish stores the event again, whole, with what was answered (as a call that wrote
// and then failed is stored).
//
// So if the process dies between the commit and the answer, the record says the call
// succeeded with the declared response, which the client may never have received.
// That is what the record of a committed write says without Declare too: its event
// commits with the write, and a failure to answer is recorded only when Finish runs;
// the response itself is what the committed write answers, so the record tells what
// happened to the store, as CloudTrail's responseElements do. (Without Declare, such a
// record has a null responseElements, as has one whose queued response the crash lost
// after the answer was sent.)
func (c *Call) Declare(response []byte) {
	if c != nil && len(response) > 0 {
		c.declared = response
	}
}

// CallFrom is the call being served with ctx (Begin's), or nil: no Trail, or a write
// hook nearer in ctx that hides the call's (face/awsx's for a caller not yet confirmed).
func CallFrom(ctx context.Context) *Call {
	if q, _ := rollcall.WriteHookerFrom(ctx).(*request); q != nil {
		return q.call
	}
	return nil
}

// hook is the call's rollcall.WriteHook: it builds the call's write event on the
// caller's goroutine (not on the store's writer) and returns what writes it inside a
// transaction of the call. The event holds the declared response, if any (Declare).
func (c *Call) hook() func(rollcall.Tx) error {
	call := c.current()
	call.ReadOnly = false
	declared := c.declared
	if declared != nil {
		call.Response = audit.Encoded(declared)
	}
	e, err := audit.Build(call)
	if err != nil {
		return func(rollcall.Tx) error { return err }
	}
	ev := stored(e)
	request := audit.Scrubbed(e.Record.RequestParameters)
	return func(tx rollcall.Tx) error {
		if err := tx.PutAuditEvent(ev); err != nil {
			return err
		}
		if !c.written.Load() {
			c.request, c.stored, c.carried = request, ev, declared
			c.written.Store(true)
		}
		return nil
	}
}

// Finish records the answer: response (JSON bytes, or nil) on success, or the error
// name and message the client was sent. The event is queued for the background
// writer, unless the call is a read that succeeded and reads are off.
func (c *Call) Finish(response []byte, errCode, errMessage string) {
	if c == nil {
		return
	}
	c.finish(response, false, errCode, errMessage)
}

// FinishEncoded is Finish of a success whose response encoding/json wrote (the AWS
// faces'): it is scrubbed without being checked for JSON first.
func (c *Call) FinishEncoded(response []byte) {
	if c == nil {
		return
	}
	c.finish(response, true, "", "")
}

// finish records the answer; encoded says encoding/json wrote response. It is kept
// as bytes until it must be a Call's Response: a write's is scrubbed from the bytes.
// A write whose event carries a declared response (Declare) that is not the answer
// is stored again whole, as a write that failed is.
func (c *Call) finish(response []byte, encoded bool, errCode, errMessage string) {
	written := c.written.Load()
	if written && errCode == "" {
		switch {
		case c.carried == nil:
			// The write's transaction stored the event: only its response is left to
			// store, as a row of its own (PutAuditResponse), not a second copy of the event.
			c.queueResponse(response, encoded)
			return
		case bytes.Equal(response, c.carried):
			return // the write's event holds the response (Declare)
		}
		// Not the declared answer: the event is stored again whole, below.
	}
	call := c.current()
	if written {
		call.ReadOnly = false
		call.Request = c.request // scrubbed once, by the hook
	}
	if call.ReadOnly && errCode == "" && !c.t.reads {
		return
	}
	if !call.ReadOnly && len(response) > 0 {
		call.Response = response // CloudTrail omits a read's responseElements
		if encoded {
			call.Response = audit.Encoded(response)
		}
	}
	call.ErrorCode, call.ErrorMessage = errCode, errMessage
	if call.Tenant == "" && call.Face != "admin" {
		call.Caller.Kind = audit.Unauthenticated
	}
	e, err := audit.Build(call)
	if err != nil {
		c.t.log.Error("audit: building an event", "face", call.Face, "operation", call.Operation, "err", err)
		return
	}
	c.t.queue <- item{event: *stored(e)}
}

// queueResponse queues a written call's response, scrubbed, as a row of its own for
// the background writer; an empty response stores nothing.
func (c *Call) queueResponse(response []byte, encoded bool) {
	if len(response) == 0 {
		return
	}
	var el audit.Scrubbed
	if encoded {
		el = audit.EncodedElement(response, c.call.Sensitive...)
	} else {
		var err error
		if el, err = audit.Element(response, c.call.Sensitive...); err != nil && !errors.Is(err, audit.ErrOmitted) {
			c.t.log.Error("audit: building a response", "face", c.call.Face, "operation", c.call.Operation, "err", err)
			return
		}
	}
	e := *c.stored
	e.Record, e.Response = nil, el
	c.t.queue <- item{event: e}
}

func stored(e audit.Event) *rollcall.AuditEvent {
	return &rollcall.AuditEvent{
		TenantID: e.Tenant, Time: e.Time, ID: e.Record.EventID, Name: e.Record.EventName,
		Principal: e.User, Failed: e.Failed, ReadOnly: e.Record.ReadOnly, Record: e.Stored,
	}
}
