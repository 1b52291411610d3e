package trail_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/audit/trail"
	"github.com/rollcall/rollcall/store/sqlite"
)

var t0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func mustTrail(tb testing.TB, reads bool) (*trail.Trail, rollcall.Store) {
	tb.Helper()
	s, err := sqlite.Open(filepath.Join(tb.TempDir(), "rollcall.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tr := trail.New(s, trail.Options{Reads: reads, Now: func() time.Time { return t0 }})
	tb.Cleanup(func() { tr.Close(); s.Close() })
	return tr, s
}

// begin starts recording a call as the pipeline does: a request through the Trail's
// middleware.
func begin(tb testing.TB, tr *trail.Trail, op string) (*http.Request, *trail.Call) {
	tb.Helper()
	var r *http.Request
	var c *trail.Call
	tr.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) {
		r, c = trail.Begin(req, "chime", op, "req-1")
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/accounts/a/users", nil))
	c.Identify(rollcall.Caller{TenantID: "111122223333", Region: "us-east-1", Credential: rollcall.CredentialAccessKey, AccessKeyID: "AKIDEXAMPLE"})
	c.SetRequest(json.RawMessage(`{"Email":"ada@example.com","Password":"hunter2"}`))
	return r, c
}

// events reads the tenant's events back as CloudTrail records (with the response
// completed), each with "failed" added.
func events(tb testing.TB, s rollcall.Store) []map[string]any {
	tb.Helper()
	var out []map[string]any
	for _, e := range mustRaw(tb, s) {
		var m map[string]any
		if err := json.Unmarshal(audit.Complete(e.Record, e.Response), &m); err != nil {
			tb.Fatal(err)
		}
		m["failed"] = e.Failed
		out = append(out, m)
	}
	return out
}

// beginWrite begins a CreateUser call (begin) that commits a write: a tenant "T".
func beginWrite(tb testing.TB, tr *trail.Trail, s rollcall.Store) *trail.Call {
	tb.Helper()
	r, c := begin(tb, tr, "CreateUser")
	if err := s.Update(r.Context(), func(tx rollcall.Tx) error { return tx.PutTenant(&rollcall.Tenant{ID: "T"}) }); err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestWriteCommitsItsEvent(t *testing.T) {
	tr, s := mustTrail(t, true)
	c := beginWrite(t, tr, s)
	// Before the call is answered, the event is already there: it committed with the write.
	got := events(t, s)
	if len(got) != 1 || got[0]["eventName"] != "CreateUser" || got[0]["responseElements"] != nil ||
		got[0]["requestParameters"].(map[string]any)["Password"] != "HIDDEN_DUE_TO_SECURITY_REASONS" {
		t.Fatalf("events after the write = %v", got)
	}
	c.FinishEncoded([]byte(`{"User":{"UserId":"u1","Password":"hunter2"}}`))
	tr.Flush()
	got = events(t, s)
	want := map[string]any{"User": map[string]any{"UserId": "u1", "Password": "HIDDEN_DUE_TO_SECURITY_REASONS"}}
	if len(got) != 1 || !reflect.DeepEqual(got[0]["responseElements"], want) || got[0]["readOnly"] != false ||
		got[0]["requestParameters"].(map[string]any)["Password"] != "HIDDEN_DUE_TO_SECURITY_REASONS" {
		t.Fatalf("events after the answer = %v, want the one event with its response, scrubbed", got)
	}
	// The event its transaction wrote is not written again: the response is a row of
	// its own.
	raw := mustRaw(t, s)
	if len(raw) != 1 || !strings.Contains(string(audit.Complete(raw[0].Record, nil)), `"responseElements":null`) || len(raw[0].Response) == 0 {
		t.Fatalf("stored event = %s + %s, want the write's record and the response beside it", raw[0].Record, raw[0].Response)
	}
}

func mustRaw(tb testing.TB, s rollcall.Store) []*rollcall.AuditEvent {
	tb.Helper()
	return rawEvents(tb, s, "111122223333")
}

// A call that wrote and then failed is recorded as failed: its event is replaced by
// one with the error answered (and no response).
func TestWriteThenFailure(t *testing.T) {
	tr, s := mustTrail(t, true)
	c := beginWrite(t, tr, s)
	c.Finish(nil, "ServiceFailureException", "internal error")
	tr.Flush()
	got := events(t, s)
	if len(got) != 1 || got[0]["errorCode"] != "ServiceFailureException" || got[0]["failed"] != true ||
		got[0]["readOnly"] != false || got[0]["requestParameters"].(map[string]any)["Password"] != "HIDDEN_DUE_TO_SECURITY_REASONS" {
		t.Fatalf("events after the failure = %v", got)
	}
}

func TestRolledBackWriteLeavesNoEvent(t *testing.T) {
	tr, s := mustTrail(t, true)
	r, c := begin(t, tr, "CreateUser")
	injected := errors.New("injected after the write")
	err := s.Update(r.Context(), func(tx rollcall.Tx) error {
		if err := tx.PutTenant(&rollcall.Tenant{ID: "T"}); err != nil {
			return err
		}
		return injected
	})
	if !errors.Is(err, injected) {
		t.Fatal(err)
	}
	if got := events(t, s); len(got) != 0 {
		t.Fatalf("a rolled-back write left events: %v", got)
	}
	// The call failed: its event says so, and nothing says it wrote.
	c.Finish(nil, "ServiceFailureException", "internal error")
	tr.Flush()
	got := events(t, s)
	if len(got) != 1 || got[0]["errorCode"] != "ServiceFailureException" || got[0]["failed"] != true {
		t.Fatalf("events after the failure = %v", got)
	}
}

func TestReads(t *testing.T) {
	for _, reads := range []bool{true, false} {
		tr, s := mustTrail(t, reads)
		_, c := begin(t, tr, "ListUsers")
		c.Finish([]byte(`{"Users":[]}`), "", "")
		_, c = begin(t, tr, "GetUser")
		c.Finish(nil, "NotFoundException", "no such user")
		tr.Flush()
		got := events(t, s)
		want := 1 // a failed read is always recorded
		if reads {
			want = 2
		}
		if len(got) != want {
			t.Fatalf("reads %v: %d events, want %d: %v", reads, len(got), want, got)
		}
		for _, e := range got {
			if e["readOnly"] != true || e["responseElements"] != nil {
				t.Errorf("read event = %v, want readOnly and no responseElements", e)
			}
		}
	}
}

func TestNoTrailRecordsNothing(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r2, c := trail.Begin(r, "chime", "CreateUser", "")
	if c != nil || r2 != r {
		t.Fatal("Begin without a Trail started a call")
	}
	c.Identify(rollcall.Caller{})
	c.Finish(nil, "", "") // a nil Call is a no-op
}

// TestBeginAllocations: Begin, in a request through the Middleware, allocates the call
// and its event ID only: the write hook goes in the place Middleware's context holds,
// not in a context of its own on a second copy of the request (and a closure).
func TestBeginAllocations(t *testing.T) {
	tr, _ := mustTrail(t, true)
	var n float64
	tr.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) {
		n = testing.AllocsPerRun(100, func() {
			if r, c := trail.Begin(req, "chime", "CreateUser", "req-1"); c == nil || r != req {
				t.Fatal("Begin did not start a call on the request")
			}
		})
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/accounts/a/users", nil))
	if n > 2 {
		t.Errorf("Begin: %v allocations, want at most 2 (the call, its event ID)", n)
	}
}

// detachedStore records whether each Update's context is rollcall.Detached.
type detachedStore struct {
	rollcall.Store
	mu       sync.Mutex
	detached []bool
}

func (s *detachedStore) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	s.mu.Lock()
	s.detached = append(s.detached, rollcall.IsDetached(ctx))
	s.mu.Unlock()
	return s.Store.Update(ctx, fn)
}

// TestBackgroundWriterIsDetached: the background writer's Updates are marked
// rollcall.Detached (no client waits on them to send another request), so the
// store's writer does not wait for their caller to come back (SQLite's gather); the
// call's own write is not.
func TestBackgroundWriterIsDetached(t *testing.T) {
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "rollcall.db"))
	if err != nil {
		t.Fatal(err)
	}
	ds := &detachedStore{Store: s}
	tr := trail.New(ds, trail.Options{Now: func() time.Time { return t0 }})
	t.Cleanup(func() { tr.Close(); s.Close() })
	r, c := begin(t, tr, "CreateUser")
	if err := ds.Update(r.Context(), func(rollcall.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	c.FinishEncoded([]byte(`{"User":{"UserId":"u1"}}`)) // the response row, queued
	tr.Flush()
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if fmt.Sprint(ds.detached) != "[false true]" {
		t.Fatalf("Updates detached: %v, want [false true] (the call's write, then the background writer's response row)", ds.detached)
	}
}
