package sqlite

import (
	"database/sql"
	"time"
)

// Times are stored as INTEGER milliseconds since the Unix epoch and read back in UTC: a
// time keeps its millisecond (anything finer is truncated) and forgets its zone, as the
// Service's clock already does. The zero time.Time round-trips as itself. Where zero
// means "never" (AccessKey.ExpiresAt, AccessToken.ExpiresAt) it is stored as NULL, as a
// nil *time.Time is. Times inside the attrs
// documents are the products' to write (package internal/attrjson does the same).

func millis(t time.Time) int64 { return t.UnixMilli() }

// millisOrNull stores the zero time as NULL.
func millisOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func millisPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func fromMillis(v int64) time.Time { return time.UnixMilli(v).UTC() }

// fromNullMillis reads NULL as the zero time.
func fromNullMillis(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMillis(v.Int64)
}

func fromNullMillisPtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMillis(v.Int64)
	return &t
}

// nullIfEmpty stores "" as NULL, for columns whose unique index must ignore empty
// values (a group's tag).
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// noLimit turns the core's "0 = no limit" into SQLite's LIMIT -1.
func noLimit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}
