package postgres

import (
	"strings"
	"time"
)

// Times are timestamptz(3). The store truncates a time to the millisecond before it
// writes it (the server would round) and reads it back in UTC, as the Service's clock
// already keeps it. The zero time.Time round-trips as itself (timestamptz reaches back
// to 4713 BC). Where zero means "never" (AccessKey.ExpiresAt, AccessToken.ExpiresAt) it
// is stored as NULL, as a nil *time.Time is. Times inside the attrs documents are the
// products' to write (package internal/attrjson does the same).

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
