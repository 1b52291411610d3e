package audit_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/audit"
)

func TestQueryValidate(t *testing.T) {
	now := time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC)
	ok := audit.Query{Tenant: "000000000000"}
	if err := ok.Validate(); err != nil || ok.Limit != audit.DefaultLimit {
		t.Fatalf("minimal query: %v, limit %d", err, ok.Limit)
	}
	full := audit.Query{Tenant: "000000000000", EventName: "CreateUser", User: "000000000000", Since: now.Add(-time.Hour), Until: now,
		ErrorsOnly: true, Limit: audit.MaxLimit, After: &audit.Cursor{Time: now.Add(-time.Minute), EventID: "e"}}
	if err := full.Validate(); err != nil || full.Limit != audit.MaxLimit {
		t.Fatalf("full query: %v", err)
	}
	for name, q := range map[string]audit.Query{
		"no tenant":              {},
		"tenant with a newline":  {Tenant: "a\nb"},
		"long tenant":            {Tenant: strings.Repeat("a", 257)},
		"event name with spaces": {Tenant: "t", EventName: "Create User"},
		"event name with a dot":  {Tenant: "t", EventName: "chime.CreateUser"},
		"long event name":        {Tenant: "t", EventName: strings.Repeat("A", 129)},
		"user with control":      {Tenant: "t", User: "a\x00"},
		"empty range":            {Tenant: "t", Since: now, Until: now},
		"reversed range":         {Tenant: "t", Since: now, Until: now.Add(-time.Second)},
		"negative limit":         {Tenant: "t", Limit: -1},
		"limit too large":        {Tenant: "t", Limit: audit.MaxLimit + 1},
		"cursor without ID":      {Tenant: "t", After: &audit.Cursor{Time: now}},
		"cursor without time":    {Tenant: "t", After: &audit.Cursor{EventID: "e"}},
	} {
		if err := q.Validate(); !errors.Is(err, audit.ErrInvalidQuery) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestQueryPages runs the model a store must agree with: filter with Matches, order with
// Newer, page with CursorOf. Every event is listed once, in order, across pages of two,
// including events that share a second.
func TestQueryPages(t *testing.T) {
	base := time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC)
	var events []audit.Event
	for i := range 9 {
		c := createUserCall()
		c.EventID = fmt.Sprintf("e%d", i)
		c.Time = base.Add(time.Duration(i/3) * time.Second) // three per second
		if i%2 == 0 {
			c.ErrorCode = "ConflictException"
		}
		if i == 4 {
			c.Tenant = "111122223333"
		}
		events = append(events, mustBuild(t, c))
	}
	q := audit.Query{Tenant: "000000000000", ErrorsOnly: true, Limit: 2, Since: base}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for pages := 0; ; pages++ {
		var page []*audit.Event
		for i := range events {
			if q.Matches(&events[i]) {
				page = append(page, &events[i])
			}
		}
		slices.SortFunc(page, func(a, b *audit.Event) int {
			if audit.Newer(a.Time, a.Record.EventID, b.Time, b.Record.EventID) {
				return -1
			}
			return 1
		})
		if len(page) > q.Limit {
			page = page[:q.Limit]
		}
		for _, e := range page {
			got = append(got, e.Record.EventID)
		}
		if len(page) < q.Limit || pages > 10 {
			break
		}
		q.After = audit.CursorOf(page[len(page)-1])
	}
	if want := []string{"e8", "e6", "e2", "e0"}; !slices.Equal(got, want) {
		t.Errorf("pages listed %v, want %v", got, want)
	}
}

func TestPurgeBefore(t *testing.T) {
	now := time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC)
	if got := audit.PurgeBefore(now, 0); !got.Equal(now.AddDate(0, 0, -90)) {
		t.Errorf("default retention: %v", got)
	}
	if got := audit.PurgeBefore(now, 24*time.Hour); !got.Equal(now.AddDate(0, 0, -1)) {
		t.Errorf("a day: %v", got)
	}
}
