package rollcall

import (
	"context"
	"time"
)

// AuditEvent is one stored audit record: opaque bytes (the encoded record) with the
// columns a store indexes it by. The core knows nothing of its format.
type AuditEvent struct {
	TenantID  string    // whose event it is; never ""
	Time      time.Time // to the millisecond
	ID        string    // unique within (TenantID, Time)
	Name      string    // the operation
	Principal string    // who made the call
	Failed    bool
	ReadOnly  bool
	Record    []byte
	// Response is what PutAuditResponse stored for the event after its Record (nil:
	// nothing): a write's event is put in the write's transaction, before its response
	// exists, and the response follows in a later one, as a row of its own rather than
	// a rewrite of the record. The writer of both (audit) puts them together again.
	Response []byte
	// Mark is set only on the last event of a page whose walk stopped on
	// AuditFilter.Scan before the page was full: it carries only TenantID, Time and ID,
	// the position the next page continues after, and is not one of the filter's events.
	Mark bool
}

// AuditFilter selects one tenant's events, newest first (Time, then ID, both
// descending): of one Name and one Principal when set, with Time in [Since, Until)
// (zero: unbounded), failed only, at most Limit (0: no limit), past the cursor
// (AfterTime, AfterID) when AfterID is set. A store answers it by walking the tenant's
// (Time, ID) key range backwards from the cursor and testing the other filters on each
// event, so with Scan set a page costs the same at any depth and any selectivity.
type AuditFilter struct {
	TenantID     string
	Name         string
	Principal    string
	Since, Until time.Time
	FailedOnly   bool
	Limit        int
	AfterTime    time.Time
	AfterID      string
	// Scan bounds the events a page with a name, principal or failed filter examines
	// (0: no bound; a page without one examines only its own events). When the walk
	// examines Scan events before it finds Limit, the page ends with a Mark at the last
	// event examined; it may hold no event of the filter's at all.
	Scan int
}

// AuditScan is the bound the admin API and CLI put on a page's walk: about a few
// milliseconds of key reads on either store, so a narrow filter over a deep trail
// answers promptly with a token rather than reading the whole trail at once.
const AuditScan = 10000

// RowFiltered reports whether f tests events one by one (a name, principal or
// failure), rather than only bounding the key range.
func (f AuditFilter) RowFiltered() bool {
	return f.Name != "" || f.Principal != "" || f.FailedOnly
}

// Walk is how many events of the key range a page examines (0: no bound): Scan when
// the page tests events one by one, else the page itself, Limit.
func (f AuditFilter) Walk() int {
	if f.RowFiltered() {
		return f.Scan
	}
	return f.Limit
}

// NeedsMark reports whether a page that found n events may have to end with a Mark:
// its walk was bounded by Scan and the page is not full. The store then looks for the
// walk's last event (the range's event at offset Scan-1); none means the walk reached
// the end of the range, and the page ends without one.
func (f AuditFilter) NeedsMark(n int) bool {
	return f.Scan > 0 && f.RowFiltered() && (f.Limit <= 0 || n < f.Limit)
}

// MarkAt is the Mark of a walk whose last event examined is (at, id).
func (f AuditFilter) MarkAt(at time.Time, id string) *AuditEvent {
	return &AuditEvent{TenantID: f.TenantID, Time: at, ID: id, Mark: true}
}

// Matches reports whether e is one of f's events (the order and Limit aside): the
// meaning of each filter, for conformance tests.
func (f AuditFilter) Matches(e *AuditEvent) bool {
	return e.TenantID == f.TenantID &&
		(f.Name == "" || e.Name == f.Name) &&
		(f.Principal == "" || e.Principal == f.Principal) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since)) &&
		(f.Until.IsZero() || e.Time.Before(f.Until)) &&
		(!f.FailedOnly || e.Failed) &&
		(f.AfterID == "" || e.Time.Before(f.AfterTime) || (e.Time.Equal(f.AfterTime) && e.ID < f.AfterID))
}

// A WriteHook adds writes to every Update made with its context. Update calls it once,
// on the caller's goroutine before the transaction (so that preparing the writes, an
// audit event's encoding say, does not hold the single writer), and runs the function
// it returns inside the transaction, after fn succeeded and before the commit: what that
// writes commits with fn's writes or not at all. The request pipeline puts one in a
// call's context to write the call's audit event in the same transaction as the call's
// writes. The function may run more than once (an Update retried, or a call that makes
// several Updates), so it must write idempotently (PutAuditEvent).
type WriteHook func() func(Tx) error

type writeHookKey struct{}

// WithWriteHook returns ctx carrying h.
func WithWriteHook(ctx context.Context, h WriteHook) context.Context {
	return context.WithValue(ctx, writeHookKey{}, h)
}

// A WriteHooker is a WriteHook that can be put in a context before the hook is known
// (WithWriteHooker): the audit trail's middleware puts one in every request's context,
// and the call's start sets it, without copying the request a second time for a
// context of its own. WriteHook is the WriteHook's call, or nil for no hook.
type WriteHooker interface {
	WriteHook() func(Tx) error
}

// WithWriteHooker returns ctx carrying h, in the place of a WriteHook.
func WithWriteHooker(ctx context.Context, h WriteHooker) context.Context {
	return context.WithValue(ctx, writeHookKey{}, h)
}

// WriteHookerFrom is the WriteHooker ctx carries, or nil (none, or a WriteHook nearer).
func WriteHookerFrom(ctx context.Context) WriteHooker {
	h, _ := ctx.Value(writeHookKey{}).(WriteHooker)
	return h
}

// Hooked is fn followed by the WriteHook (or WriteHooker) ctx carries, if any. Every
// Store's Update runs Hooked(ctx, fn) in place of fn.
func Hooked(ctx context.Context, fn func(Tx) error) func(Tx) error {
	var write func(Tx) error
	switch h := ctx.Value(writeHookKey{}).(type) {
	case WriteHook:
		if h != nil {
			write = h()
		}
	case WriteHooker:
		write = h.WriteHook()
	}
	if write == nil {
		return fn
	}
	return func(tx Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return write(tx)
	}
}
