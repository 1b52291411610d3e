package postgres

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
)

// Times are timestamptz(3). The store truncates a time to the millisecond before it
// writes it (the server would round) and reads it back in UTC, as the Service's clock
// already keeps it. The zero time.Time round-trips as itself (timestamptz reaches back
// to 4713 BC). Where zero means "never" (AccessKey.ExpiresAt, AccessToken.ExpiresAt) it
// is stored as NULL, as a nil *time.Time is. Times inside the JSON attrs get the same
// treatment, so every time a Store returns has the same precision and zone.

func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// tsOrNull stores the zero time as NULL.
func tsOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// normTime gives a time in attrs the precision and zone of a time in a column, on a
// copy: the caller's value is never changed.
func normTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := ts(*t)
	return &n
}

// fromNull reads NULL as the zero time.
func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func fromNullPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Attrs are jsonb written by encoding/json with the core's field tags. Every field of
// the attrs structs has omitempty, so an empty slice is not written and reads back as
// nil: the Store treats nil and empty slices as the same value and returns nil.

func directoryAttrsJSON(a rollcall.DirectoryAttrs) ([]byte, error) { return json.Marshal(a) }

func userAttrsJSON(a rollcall.UserAttrs) ([]byte, error) {
	a.InvitedOn, a.RegisteredOn = normTime(a.InvitedOn), normTime(a.RegisteredOn)
	return json.Marshal(a)
}

func decodeAttrs(raw []byte, v any) error {
	if len(raw) == 0 || string(raw) == "{}" {
		return nil
	}
	return json.Unmarshal(raw, v)
}

func decodeUserAttrs(raw []byte, a *rollcall.UserAttrs) error {
	if err := decodeAttrs(raw, a); err != nil {
		return err
	}
	a.InvitedOn, a.RegisteredOn = fromNullPtr(a.InvitedOn), fromNullPtr(a.RegisteredOn)
	return nil
}

// nullIfEmpty stores "" as NULL, for columns whose unique constraint must ignore empty
// values (a group's tag): UNIQUE never compares NULLs.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// emailLower is what the email filter compares: Go's lower case, which folds all of
// Unicode, where lower() in the database depends on its locale.
func emailLower(email string) string { return strings.ToLower(email) }
