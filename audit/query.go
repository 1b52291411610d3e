package audit

import (
	"errors"
	"fmt"
	"regexp"
	"time"
	"unicode"
)

// Query selects stored events: one tenant's, newest first (time, then event ID, both
// descending), optionally of one event name, one user (Event.User: the principalId),
// within [Since, Until), failures only, at most Limit, continuing After a cursor. A store
// answers it from an index on (tenant, time, event ID) and the narrower ones the filters
// need, by keyset: a page costs the same at any depth and at 10M events.
type Query struct {
	Tenant     string
	EventName  string
	User       string
	Since      time.Time // inclusive; zero: no lower bound
	Until      time.Time // exclusive; zero: no upper bound
	ErrorsOnly bool
	Limit      int     // 0 means DefaultLimit
	After      *Cursor // the last event of the previous page
}

// Cursor is a position in a Query's order: the time and ID of an event. The admin face
// seals it into its page token (pagetoken) together with the query's filters.
type Cursor struct {
	Time    time.Time `json:"t"`
	EventID string    `json:"id"`
}

// Limits of a Query.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// ErrInvalidQuery is what every Validate error Is.
var ErrInvalidQuery = errors.New("invalid audit query")

var eventNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,127}$`)

// Validate checks q and sets its default Limit.
func (q *Query) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidQuery, fmt.Sprintf(format, a...))
	}
	switch {
	case q.Tenant == "":
		return bad("a tenant is required")
	case !printable(q.Tenant, 256):
		return bad("tenant must be 1 to 256 printable characters")
	case q.EventName != "" && !eventNamePattern.MatchString(q.EventName):
		return bad("event name %q is not an operation name (a letter, then letters and digits, at most 128)", q.EventName)
	case !printable(q.User, 512):
		return bad("user must be at most 512 printable characters")
	case !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since):
		return bad("the end of the time range must be after its start")
	case q.Limit < 0 || q.Limit > MaxLimit:
		return bad("limit must be between 1 and %d", MaxLimit)
	case q.After != nil && (q.After.Time.IsZero() || q.After.EventID == ""):
		return bad("a cursor needs a time and an event ID")
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	return nil
}

func printable(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// Matches reports whether e is one of q's events, the cursor aside from the order: the
// meaning of each filter, for a store's conformance tests.
func (q *Query) Matches(e *Event) bool {
	return e.Tenant == q.Tenant &&
		(q.EventName == "" || e.Record.EventName == q.EventName) &&
		(q.User == "" || e.User == q.User) &&
		(q.Since.IsZero() || !e.Time.Before(q.Since)) &&
		(q.Until.IsZero() || e.Time.Before(q.Until)) &&
		(!q.ErrorsOnly || e.Failed) &&
		(q.After == nil || Newer(q.After.Time, q.After.EventID, e.Time, e.Record.EventID))
}

// Newer reports whether the event (t1, id1) comes before (t2, id2) in a Query's order:
// it is later, or as late with a greater ID.
func Newer(t1 time.Time, id1 string, t2 time.Time, id2 string) bool {
	if !t1.Equal(t2) {
		return t1.After(t2)
	}
	return id1 > id2
}

// CursorOf is the cursor that continues a page after e.
func CursorOf(e *Event) *Cursor { return &Cursor{Time: e.Time, EventID: e.Record.EventID} }

// DefaultRetention is how long events are kept (--audit-retention).
const DefaultRetention = 90 * 24 * time.Hour

// PurgeBefore is the time before which events are purged at now under retention: a
// store deletes events with Time before it, oldest first, in bounded batches.
func PurgeBefore(now time.Time, retention time.Duration) time.Time {
	if retention <= 0 {
		retention = DefaultRetention
	}
	return now.Add(-retention).Truncate(time.Millisecond)
}
