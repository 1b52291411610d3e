package metrics_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/rollcall/rollcall/metrics"
	"github.com/rollcall/rollcall/metrics/metricstest"
)

var ops = map[string][]string{
	"chime":          {"CreateUser", "ListUsers", "InviteUsers"},
	"workdocs":       {"CreateUser", "DescribeUsers"},
	"amazonbusiness": {"createBusinessUserAccount"},
	"admin":          {"ListTenants"},
}

var clock = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func mustNew(tb testing.TB, cfg metrics.Config) *metrics.Metrics {
	tb.Helper()
	if cfg.Operations == nil {
		cfg.Operations = ops
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return clock }
	}
	m, err := metrics.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// scrape GETs /metrics from m's handler over HTTP and parses it with Prometheus's text
// parser.
func scrape(tb testing.TB, m *metrics.Metrics) map[string]*dto.MetricFamily {
	tb.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	return metricstest.Scrape(tb, srv.URL+"/metrics")
}

// find returns the series of family name whose labels are exactly want, or nil.
var find = metricstest.Find

// value is a counter's or gauge's value, or a histogram's count.
func value(tb testing.TB, fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	tb.Helper()
	v, ok := metricstest.Value(fams, name, labels...)
	if !ok {
		tb.Fatalf("no series %s%v", name, labels)
	}
	return v
}

func TestScrapeCountsKnownTraffic(t *testing.T) {
	m := mustNew(t, metrics.Config{})
	for range 3 {
		m.ObserveRequest("chime", "CreateUser", 201, 4*time.Millisecond)
	}
	m.ObserveRequest("chime", "CreateUser", 409, 30*time.Millisecond)
	m.ObserveRequest("workdocs", "CreateUser", 201, 60*time.Millisecond)
	m.ObserveRequest("workdocs", "CreateUser", 201, 70*time.Millisecond)
	m.ObserveRequest("admin", "ListTenants", 200, time.Millisecond)
	m.AuthFailure("chime", metrics.SchemeSigV4, "signature-mismatch")
	m.AuthFailure("chime", metrics.SchemeSigV4, "signature-mismatch")
	m.AuthFailure("workdocs", metrics.SchemeToken, "expired-token")
	m.RateLimited("amazonbusiness", "createBusinessUserAccount")
	m.FaultInjected("chime", "CreateUser", "throttle")
	m.FaultInjected("chime", "CreateUser", "throttle")
	m.FaultInjected("workdocs", "CreateUser", "lose-response")
	m.ObserveCommit(8, 2*time.Millisecond)
	m.ObserveCommit(1, time.Millisecond)
	m.ObserveCheckpoint(20 * time.Millisecond)
	m.SerializationRetry()
	m.SerializationRetry()
	m.ObserveSend(metrics.SendSent, 80*time.Millisecond)
	m.ObserveSend(metrics.SendRetry, 2*time.Second)
	m.InvitationAcceptance(metrics.AcceptAccepted)
	m.InvitationAcceptance(metrics.AcceptAccepted)
	m.InvitationAcceptance(metrics.AcceptExpired)
	m.WatchOutbox(func(context.Context) (metrics.OutboxState, error) {
		return metrics.OutboxState{Queued: 3, Sent: 5, Failed: 1, OldestQueued: clock.Add(-90 * time.Second)}, nil
	})
	m.WatchWriterQueue(func() int { return 4 })
	m.WatchHashQueue(func() (int, int) { return 2, 3 })

	fams := scrape(t, m)
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"rollcall_request_duration_seconds", []string{"face", "chime", "operation", "CreateUser", "code", "201"}, 3},
		{"rollcall_request_duration_seconds", []string{"face", "chime", "operation", "CreateUser", "code", "409"}, 1},
		{"rollcall_request_duration_seconds", []string{"face", "workdocs", "operation", "CreateUser", "code", "201"}, 2},
		{"rollcall_request_duration_seconds", []string{"face", "admin", "operation", "ListTenants", "code", "200"}, 1},
		{"rollcall_auth_failures_total", []string{"face", "chime", "scheme", "sigv4", "reason", "signature-mismatch"}, 2},
		{"rollcall_auth_failures_total", []string{"face", "workdocs", "scheme", "token", "reason", "expired-token"}, 1},
		{"rollcall_rate_limited_total", []string{"face", "amazonbusiness", "operation", "createBusinessUserAccount"}, 1},
		{"rollcall_faults_injected_total", []string{"face", "chime", "operation", "CreateUser", "action", "throttle"}, 2},
		{"rollcall_faults_injected_total", []string{"face", "workdocs", "operation", "CreateUser", "action", "lose-response"}, 1},
		{"rollcall_store_commit_requests", nil, 2},
		{"rollcall_store_commit_duration_seconds", nil, 2},
		{"rollcall_store_checkpoint_duration_seconds", nil, 1},
		{"rollcall_store_serialization_retries_total", nil, 2},
		{"rollcall_store_writer_queue_depth", nil, 4},
		{"rollcall_outbox_send_duration_seconds", []string{"outcome", "sent"}, 1},
		{"rollcall_outbox_send_duration_seconds", []string{"outcome", "retry"}, 1},
		{"rollcall_outbox_messages", []string{"status", "queued"}, 3},
		{"rollcall_outbox_messages", []string{"status", "sent"}, 5},
		{"rollcall_outbox_messages", []string{"status", "failed"}, 1},
		{"rollcall_outbox_oldest_queued_age_seconds", nil, 90},
		{"rollcall_invitation_acceptances_total", []string{"result", "accepted"}, 2},
		{"rollcall_invitation_acceptances_total", []string{"result", "invitation-expired"}, 1},
		{"rollcall_password_hash_waiting", nil, 2},
		{"rollcall_password_hash_running", nil, 3},
	}
	for _, c := range checks {
		if got := value(t, fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	// Exactly the series that happened: nothing is pre-made for every label combination.
	if n := len(fams["rollcall_request_duration_seconds"].Metric); n != 4 {
		t.Errorf("request series = %d, want 4", n)
	}

	// Latencies land in the right buckets and sum.
	h := find(fams, "rollcall_request_duration_seconds", "face", "workdocs", "operation", "CreateUser", "code", "201").Histogram
	if got := h.GetSampleSum(); got < 0.1299 || got > 0.1301 {
		t.Errorf("workdocs CreateUser latency sum = %v, want 0.13", got)
	}
	for _, b := range h.Bucket {
		want := uint64(0)
		if b.GetUpperBound() >= 0.1 {
			want = 2
		}
		if b.GetUpperBound() == 0.05 && b.GetCumulativeCount() != 0 || b.GetUpperBound() >= 0.1 && b.GetCumulativeCount() != want {
			t.Errorf("bucket le=%v holds %d", b.GetUpperBound(), b.GetCumulativeCount())
		}
	}
	commits := find(fams, "rollcall_store_commit_requests").Histogram
	if commits.GetSampleSum() != 9 {
		t.Errorf("commit requests sum = %v, want 9", commits.GetSampleSum())
	}

	// The Go runtime and process collectors are there.
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_cpu_seconds_total"} {
		if fams[name] == nil {
			t.Errorf("no %s", name)
		}
	}
}

// allowed are the values each label may take for the series recorded through ops.
func allowed() map[string]map[string]bool {
	a := map[string]map[string]bool{
		"face": {"other": true}, "operation": {"other": true}, "code": {"other": true},
		"scheme": {"other": true}, "reason": {"other": true}, "outcome": {"other": true},
		"result": {"other": true}, "status": {"queued": true, "sent": true, "failed": true},
		"action": {"other": true},
	}
	for _, act := range metrics.FaultActions {
		a["action"][act] = true
	}
	for face, names := range ops {
		a["face"][face] = true
		for _, op := range names {
			a["operation"][op] = true
		}
	}
	for c := 100; c < 600; c++ {
		if http.StatusText(c) != "" {
			a["code"][strconv.Itoa(c)] = true
		}
	}
	for _, c := range []string{"1xx", "2xx", "3xx", "4xx", "5xx"} {
		a["code"][c] = true
	}
	for _, s := range []string{metrics.SchemeSigV4, metrics.SchemeToken, metrics.SchemeAdmin, metrics.SchemeSession, metrics.SchemeClient} {
		a["scheme"][s] = true
	}
	for _, r := range metrics.DefaultAuthReasons {
		a["reason"][r] = true
	}
	for _, o := range []string{metrics.SendSent, metrics.SendRetry, metrics.SendFailed} {
		a["outcome"][o] = true
	}
	for _, r := range []string{metrics.AcceptAccepted, metrics.AcceptUsed, metrics.AcceptExpired, metrics.AcceptRevoked, metrics.AcceptWithdrawn, metrics.AcceptNotFound} {
		a["result"][r] = true
	}
	return a
}

// hostile are label values an attacker or a bug could hand in: IDs, emails, tenants,
// invalid UTF-8, label syntax, and the empty string.
var hostile = []string{
	"", "ada@example.com", "111122223333", "d-0000000000", "5f0e2c1a-8c7b-4b1e-9a4e-2f8e1c3d7b6a",
	"\xff\xfe", `x"} 1` + "\n" + `evil{a="b`, "CreateUser ", "createuser", "CHIME", "../admin",
	strings.Repeat("A", 10000),
}

func TestCardinalityBoundedUnderHostileLabels(t *testing.T) {
	m := mustNew(t, metrics.Config{})
	codes := []int{-1, 0, 1, 99, 600, 999, 1 << 40, 299, 418, 499, 599, 200}
	recorded := 0
	for i := range 2000 {
		v := hostile[i%len(hostile)] + strconv.Itoa(i) // every call a new string
		face := []string{v, "chime", "workdocs"}[i%3]
		m.ObserveRequest(face, v, codes[(i/3)%len(codes)], time.Millisecond)
		recorded++
		m.AuthFailure(face, v, v)
		m.RateLimited(v, v)
		m.FaultInjected(face, v, v)
		m.ObserveSend(v, time.Millisecond)
		m.InvitationAcceptance(v)
	}
	fams := scrape(t, m)
	ok := allowed()
	total := 0.0
	for name, f := range fams {
		if !strings.HasPrefix(name, "rollcall_") {
			continue
		}
		for _, s := range f.Metric {
			for _, l := range s.Label {
				if vals, known := ok[l.GetName()]; !known || !vals[l.GetValue()] {
					t.Errorf("%s has label %s=%.40q", name, l.GetName(), l.GetValue())
				}
			}
		}
		if name == "rollcall_request_duration_seconds" {
			for _, s := range f.Metric {
				total += float64(s.Histogram.GetSampleCount())
			}
			// faces other, chime, workdocs, each with operation other, times the
			// distinct code labels the codes above fall on.
			var seen []string
			for _, s := range f.Metric {
				seen = append(seen, s.String())
			}
			if len(f.Metric) > 3*7 {
				sort.Strings(seen)
				t.Errorf("%d request series from hostile labels:\n%s", len(f.Metric), strings.Join(seen, "\n"))
			}
		}
	}
	if total != float64(recorded) {
		t.Errorf("requests counted %v, want %d: none may be dropped", total, recorded)
	}
	if got := value(t, fams, "rollcall_request_duration_seconds", "face", "other", "operation", "other", "code", "other"); got == 0 {
		t.Error("hostile face with an out-of-range code not counted as other/other/other")
	}
	if got := value(t, fams, "rollcall_request_duration_seconds", "face", "chime", "operation", "other", "code", "4xx"); got == 0 {
		t.Error("code 499 on an unknown chime operation not counted as chime/other/4xx")
	}
	if got := value(t, fams, "rollcall_auth_failures_total", "face", "other", "scheme", "other", "reason", "other"); got == 0 {
		t.Error("hostile auth failure not counted as other")
	}
	if got := value(t, fams, "rollcall_faults_injected_total", "face", "other", "operation", "other", "action", "other"); got == 0 {
		t.Error("hostile fault not counted as other/other/other")
	}
	if got := value(t, fams, "rollcall_invitation_acceptances_total", "result", "other"); got != 2000 {
		t.Errorf("hostile acceptances = %v, want 2000", got)
	}
}

func TestNilMetricsIsANoOp(t *testing.T) {
	var m *metrics.Metrics
	m.ObserveRequest("chime", "CreateUser", 201, time.Millisecond)
	m.AuthFailure("chime", metrics.SchemeSigV4, "unknown-key")
	m.RateLimited("chime", "InviteUsers")
	m.ObserveCommit(3, time.Millisecond)
	m.ObserveCheckpoint(time.Millisecond)
	m.SerializationRetry()
	m.ObserveSend(metrics.SendSent, time.Millisecond)
	m.InvitationAcceptance(metrics.AcceptAccepted)
	m.WatchOutbox(nil)
	m.WatchWriterQueue(func() int { return 1 })
	m.WatchHashQueue(nil)
	if m.Registry() != nil {
		t.Error("nil Metrics has a registry")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("nil Metrics handler: %d, want 404", rec.Code)
	}
}

func TestTwoMetricsDoNotShareSeries(t *testing.T) {
	a, b := mustNew(t, metrics.Config{}), mustNew(t, metrics.Config{})
	a.ObserveRequest("chime", "CreateUser", 201, time.Millisecond)
	a.ObserveRequest("chime", "CreateUser", 201, time.Millisecond)
	b.ObserveRequest("chime", "CreateUser", 201, time.Millisecond)
	if got := value(t, scrape(t, a), "rollcall_request_duration_seconds", "face", "chime", "operation", "CreateUser", "code", "201"); got != 2 {
		t.Errorf("a counted %v, want 2", got)
	}
	if got := value(t, scrape(t, b), "rollcall_request_duration_seconds", "face", "chime", "operation", "CreateUser", "code", "201"); got != 1 {
		t.Errorf("b counted %v, want 1", got)
	}
}

func TestOutboxCallbackFailureLeavesOutItsGauges(t *testing.T) {
	m := mustNew(t, metrics.Config{CallbackTimeout: 20 * time.Millisecond})
	m.WatchOutbox(func(ctx context.Context) (metrics.OutboxState, error) {
		<-ctx.Done() // a store that does not answer
		return metrics.OutboxState{}, ctx.Err()
	})
	m.WatchWriterQueue(func() int { return 7 })
	start := time.Now()
	fams := scrape(t, m)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("scrape took %v with a callback that never answers", d)
	}
	if fams["rollcall_outbox_messages"] != nil || fams["rollcall_outbox_oldest_queued_age_seconds"] != nil {
		t.Error("outbox gauges served from a failed callback")
	}
	if got := value(t, fams, "rollcall_store_writer_queue_depth"); got != 7 {
		t.Errorf("writer queue = %v, want 7: one failing callback hides the others", got)
	}
	// The error counter is collected beside the callbacks: the next scrape sees both.
	m.WatchOutbox(func(context.Context) (metrics.OutboxState, error) { return metrics.OutboxState{}, errors.New("down") })
	fams = scrape(t, m)
	if got := value(t, fams, "rollcall_metrics_callback_errors_total", "callback", "outbox"); got < 1 {
		t.Errorf("callback errors = %v, want >= 1", got)
	}
	// With nothing queued the age is 0, whatever OldestQueued says.
	m.WatchOutbox(func(context.Context) (metrics.OutboxState, error) {
		return metrics.OutboxState{Sent: 2, OldestQueued: clock.Add(-time.Hour)}, nil
	})
	if got := value(t, scrape(t, m), "rollcall_outbox_oldest_queued_age_seconds"); got != 0 {
		t.Errorf("age with nothing queued = %v, want 0", got)
	}
	// Messages queued but no time for the oldest: the age is unknown, not 0.
	m.WatchOutbox(func(context.Context) (metrics.OutboxState, error) { return metrics.OutboxState{Queued: 1}, nil })
	fams = scrape(t, m)
	if fams["rollcall_outbox_oldest_queued_age_seconds"] != nil || value(t, fams, "rollcall_outbox_messages", "status", "queued") != 1 {
		t.Error("unknown age reported, or the counts left out with it")
	}
	m.WatchOutbox(nil)
	if scrape(t, m)["rollcall_outbox_messages"] != nil {
		t.Error("outbox gauges served after WatchOutbox(nil)")
	}
}

func TestNewRefusesBadNames(t *testing.T) {
	for _, cfg := range []metrics.Config{
		{Operations: map[string][]string{"": {"CreateUser"}}},
		{Operations: map[string][]string{"chime": {""}}},
		{Operations: map[string][]string{"chime": {"other"}}},
		{Operations: map[string][]string{"other": {"CreateUser"}}},
		{Operations: map[string][]string{"chime": {"\xff"}}},
		{Operations: ops, AuthReasons: []string{"ok", ""}},
	} {
		if _, err := metrics.New(cfg); err == nil {
			t.Errorf("New(%q) took it", cfg.Operations)
		}
	}
}

func TestConcurrentRequestsAllCounted(t *testing.T) {
	m := mustNew(t, metrics.Config{})
	const goroutines, each = 8, 500
	done := make(chan struct{})
	for g := range goroutines {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				m.ObserveRequest("chime", "ListUsers", []int{200, 400}[(g+i)%2], time.Millisecond)
			}
		}()
	}
	for range goroutines {
		<-done
	}
	fams := scrape(t, m)
	ok := value(t, fams, "rollcall_request_duration_seconds", "face", "chime", "operation", "ListUsers", "code", "200")
	bad := value(t, fams, "rollcall_request_duration_seconds", "face", "chime", "operation", "ListUsers", "code", "400")
	if ok != goroutines*each/2 || bad != goroutines*each/2 {
		t.Errorf("counted 200: %v, 400: %v; want %d each", ok, bad, goroutines*each/2)
	}
}
