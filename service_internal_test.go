package rollcall

import (
	"regexp"
	"testing"
	"time"
)

// TestNewUUIDVersion7: IDs are version 7 UUIDs whose first 48 bits are the creation
// time, so IDs made in later milliseconds sort after earlier ones.
func TestNewUUIDVersion7(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	s := &Service{Now: func() time.Time { return now }}
	prev := ""
	for i := range 100 {
		id := s.newUUID()
		if !shape.MatchString(id) {
			t.Fatalf("%q is not a version 7 UUID", id)
		}
		if got, want := id[:8]+id[9:13], "01a22be5a500"; got != want && i == 0 {
			t.Fatalf("time bits %s, want %s (%d ms)", got, want, now.UnixMilli())
		}
		if id <= prev {
			t.Fatalf("%s made after %s sorts before it", id, prev)
		}
		prev = id
		now = now.Add(time.Millisecond)
	}
}
