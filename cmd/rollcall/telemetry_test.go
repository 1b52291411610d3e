package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"
	dto "github.com/prometheus/client_model/go"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/mail/mailtest"
	"github.com/rollcall/rollcall/metrics/metricstest"
	"github.com/rollcall/rollcall/tools/loadgen/load"
)

// value is a series' value (metricstest.Value), or -1 when it is absent.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	if v, ok := metricstest.Value(fams, name, labels...); ok {
		return v
	}
	return -1
}

// statusOf is the HTTP status of an SDK v1 client's error (0 for none).
func statusOf(err error) int { return facetest.SDKErrorOf(err).Status }

// TestMetrics starts rollcall with --metrics-listen, makes known traffic with the
// official Chime SDK (creates that succeed, one refused signature, one invalid
// request, one throttled call, an invitation queued), an admin call and a console page
// without a token, a token request from an unknown client and an Amazon Business create
// with an unknown token, then scrapes GET /metrics and checks each count.
func TestMetrics(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--metrics-listen", "127.0.0.1:0", "--rate-limit", "chime.GetAccount=0.001/1")
	if !strings.HasPrefix(m.MetricsURL, "http://127.0.0.1:") {
		t.Fatalf("MetricsURL = %q", m.MetricsURL)
	}
	ch := devChime(t, m)
	acct := mustChimeAccount(t, ch, "Metrics")
	id := acct.AccountId
	if _, err := ch.CreateUser(&chime.CreateUserInput{AccountId: id, Email: aws.String("ada@example.com")}); err != nil {
		t.Fatal(err)
	}
	_, err := chime.New(sdkSession(t, m.URL, "test", "not-the-secret")).CreateUser(&chime.CreateUserInput{AccountId: id, Email: aws.String("bob@example.com")})
	refused := statusOf(err)
	if refused != http.StatusForbidden {
		t.Fatalf("a wrong secret: %v (status %d), want 403", err, refused)
	}
	if _, err = ch.CreateUser(&chime.CreateUserInput{AccountId: id, Email: aws.String("not an email")}); statusOf(err) != http.StatusBadRequest {
		t.Fatalf("an invalid email: %v, want 400", err)
	}
	for range 2 {
		_, err = ch.GetAccount(&chime.GetAccountInput{AccountId: id})
	}
	if statusOf(err) != http.StatusTooManyRequests {
		t.Fatalf("the second GetAccount: %v, want 429", err)
	}
	if _, err := ch.InviteUsers(&chime.InviteUsersInput{AccountId: id, UserEmailList: aws.StringSlice([]string{"grace@example.com"})}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(m.URL + "/_rollcall/tenants")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code, _ := tokenRequest(t, m, url.Values{"grant_type": {"client_credentials"}, "client_id": {"nobody"}, "client_secret": {"not-the-secret"}}); code != http.StatusUnauthorized {
		t.Fatalf("a token request from an unknown client: %d", code)
	}
	if code := businessCreate(t, m, "Atza|no-such-token", "ada@example.com"); code != http.StatusForbidden {
		t.Fatalf("an Amazon Business create with an unknown token: %d", code)
	}
	if resp, err = http.Get(m.URL + "/_rollcall/console/"); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	fams := metricstest.Scrape(t, m.MetricsURL)
	const req = "rollcall_request_duration_seconds"
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{req, []string{"face", "chime", "operation", "CreateAccount", "code", "201"}, 1},
		{req, []string{"face", "chime", "operation", "CreateUser", "code", "201"}, 1},
		{req, []string{"face", "chime", "operation", "CreateUser", "code", "403"}, 1},
		{req, []string{"face", "chime", "operation", "CreateUser", "code", "400"}, 1},
		{req, []string{"face", "chime", "operation", "GetAccount", "code", "200"}, 1},
		{req, []string{"face", "chime", "operation", "GetAccount", "code", "429"}, 1},
		{req, []string{"face", "chime", "operation", "InviteUsers", "code", "201"}, 1},
		{req, []string{"face", "admin", "operation", "Unauthorized", "code", "401"}, 1},
		{"rollcall_auth_failures_total", []string{"face", "chime", "scheme", "sigv4", "reason", "signature-mismatch"}, 1},
		{"rollcall_auth_failures_total", []string{"face", "admin", "scheme", "admin", "reason", "missing-authentication"}, 1},
		{"rollcall_auth_failures_total", []string{"face", "loginwithamazon", "scheme", "client", "reason", "invalid_client"}, 1},
		{"rollcall_auth_failures_total", []string{"face", "amazonbusiness", "scheme", "token", "reason", "invalid-token"}, 1},
		{"rollcall_auth_failures_total", []string{"face", "web", "scheme", "session", "reason", "missing-authentication"}, 1},
		{"rollcall_rate_limited_total", []string{"face", "chime", "operation", "GetAccount"}, 1},
		{"rollcall_outbox_messages", []string{"status", "queued"}, 1}, // no --smtp-url: it stays queued
		{"rollcall_outbox_messages", []string{"status", "sent"}, 0},
		{"rollcall_store_writer_queue_depth", nil, 0},
		{"rollcall_password_hash_waiting", nil, 0},
		{"rollcall_password_hash_running", nil, 0},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	for _, s := range fams[req].GetMetric() {
		for _, l := range s.Label {
			if l.GetValue() == "other" {
				t.Errorf("a request series labelled other: %v", s.Label)
			}
		}
	}
	if n := len(fams["rollcall_auth_failures_total"].GetMetric()); n != 5 {
		t.Errorf("%d auth-failure series, want the 5 above", n)
	}
	if got := value(fams, "rollcall_outbox_oldest_queued_age_seconds"); got < 0 || got > 60 {
		t.Errorf("oldest queued age = %v s, want the age of the invitation just queued", got)
	}
	// Writes: the dev seed, the account, the user, the invitation; each a commit of at
	// least one request.
	if got := value(fams, "rollcall_store_commit_requests"); got < 3 {
		t.Errorf("%v commits observed, want at least 3", got)
	}
	if value(fams, "rollcall_store_commit_duration_seconds") < 3 || value(fams, "go_goroutines") <= 0 {
		t.Errorf("commit latency or Go runtime series missing")
	}
}

// TestMetricsOff: without --metrics-listen nothing listens, and Main has no Metrics.
func TestMetricsOff(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	if m.Metrics != nil || m.MetricsURL != "" {
		t.Fatalf("metrics on without --metrics-listen: %v %q", m.Metrics, m.MetricsURL)
	}
	if m.Tracer != nil {
		t.Fatal("tracing on without an endpoint")
	}
	if m.Service.TraceContext != nil {
		t.Fatal("tracing off, yet queueing mail would format a trace context")
	}
}

// TestTraces: a Chime CreateUser sent with a W3C traceparent yields a request span that
// continues the caller's trace, named after the operation, with the store transactions
// as its children. An InviteUsers (Chime's create that mails an invitation), traced
// too, queues its mail with its trace context: the dispatcher's send through the SMTP
// relay, after the request has ended, is the request span's child, in its trace.
func TestTraces(t *testing.T) {
	for _, v := range []string{"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_TRACES_SAMPLER"} {
		t.Setenv(v, "")
	}
	exp := tracetest.NewInMemoryExporter()
	relay := mailtest.Start(t, mailtest.Options{})
	m := mustRunMainWith(t, t.TempDir(), func(m *Main) { m.TraceExporter = exp }, "--smtp-url", relay.URL())
	if m.Tracer == nil {
		t.Fatal("tracing off with an exporter")
	}
	ch := devChime(t, m)
	acct := mustChimeAccount(t, ch, "Traces")
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	in := &chime.CreateUserInput{AccountId: acct.AccountId, Email: aws.String("ada@example.com")}
	r, _ := ch.CreateUserRequest(in)
	r.HTTPRequest.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	if err := r.Send(); err != nil {
		t.Fatal(err)
	}
	const inviteTrace = "0af7651916cd43dd8448eb211c80319c"
	ir, _ := ch.InviteUsersRequest(&chime.InviteUsersInput{AccountId: acct.AccountId, UserEmailList: aws.StringSlice([]string{"grace@example.com"})})
	ir.HTTPRequest.Header.Set("traceparent", "00-"+inviteTrace+"-b7ad6b7169203331-01")
	ir.HTTPRequest.Header.Set("tracestate", "rojo=00f067aa0ba902b7")
	if err := ir.Send(); err != nil {
		t.Fatal(err)
	}
	relay.Wait(t, 1, 30*time.Second)

	var spans tracetest.SpanStubs
	deadline := time.Now().Add(30 * time.Second)
	for {
		spans = exp.GetSpans()
		if hasSpan(spans, "mail.send") || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	req := spanNamed(spans, "chime.CreateUser")
	if req == nil {
		t.Fatalf("no chime.CreateUser span among %v", names(spans))
	}
	if got := req.SpanContext.TraceID().String(); got != traceID || req.Parent.SpanID().String() != parentID || !req.Parent.IsRemote() {
		t.Fatalf("the request span is in trace %s under %s, want the caller's %s under %s", got, req.Parent.SpanID(), traceID, parentID)
	}
	attrs := map[string]string{}
	for _, kv := range req.Attributes {
		attrs[string(kv.Key)] = kv.Value.Emit()
	}
	if attrs["http.response.status_code"] != "201" || attrs["rpc.method"] != "CreateUser" || attrs["aws.request_id"] == "" {
		t.Errorf("request span attributes %v", attrs)
	}
	var children []string
	for _, s := range spans {
		if s.Parent.SpanID() == req.SpanContext.SpanID() {
			children = append(children, s.Name)
			if s.SpanContext.TraceID() != req.SpanContext.TraceID() {
				t.Errorf("child %s in another trace", s.Name)
			}
		}
	}
	if !slices.Contains(children, "store.Update") {
		t.Errorf("the request span's children are %v, want a store.Update", children)
	}
	invite, send := spanNamed(spans, "chime.InviteUsers"), spanNamed(spans, "mail.send")
	if invite == nil || send == nil {
		t.Fatalf("no chime.InviteUsers or mail.send span among %v", names(spans))
	}
	if got := send.SpanContext.TraceID().String(); got != inviteTrace || send.Parent.SpanID() != invite.SpanContext.SpanID() {
		t.Errorf("the send is in trace %s under %s, want the InviteUsers span's child in %s", got, send.Parent.SpanID(), inviteTrace)
	}
	if len(send.Links) != 1 || send.Links[0].SpanContext.SpanID() != invite.SpanContext.SpanID() {
		t.Errorf("the send links %v, want the InviteUsers span", send.Links)
	}
	if got := send.SpanContext.TraceState().String(); got != "rojo=00f067aa0ba902b7" {
		t.Errorf("the send's tracestate = %q, want the caller's", got)
	}
}

func spanNamed(spans tracetest.SpanStubs, name string) *tracetest.SpanStub {
	for i := range spans {
		if spans[i].Name == name {
			return &spans[i]
		}
	}
	return nil
}

func hasSpan(spans tracetest.SpanStubs, name string) bool { return slices.Contains(names(spans), name) }

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

// TestTracesFlushedAtShutdown: with --otel-endpoint, the spans batched for export (the
// SDK waits 5s by default) reach the collector when rollcall shuts down.
func TestTracesFlushedAtShutdown(t *testing.T) {
	for _, v := range []string{"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_BSP_SCHEDULE_DELAY"} {
		t.Setenv(v, "")
	}
	posts := make(chan string, 16)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		posts <- r.Method + " " + r.URL.Path
	}))
	defer collector.Close()
	m := MustRunMain(t, t.TempDir(), "--otel-endpoint", collector.URL)
	if m.Tracer == nil {
		t.Fatal("tracing off with --otel-endpoint")
	}
	if _, err := devChime(t, m).ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-posts:
		t.Fatalf("%s before shutdown: the spans were not batched", p)
	default:
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-posts:
		if p != "POST /v1/traces" {
			t.Fatalf("the collector got %s", p)
		}
	default:
		t.Fatal("no spans exported by the time Close returned")
	}
}

// TestTracedStoreViewsOne: with tracing on, the store the services use still runs
// one-read Views as such (rollcall.OneReadViewer: an Amazon Business token's lookup,
// from SQLite's token cache), and an Amazon Business create works through it.
func TestTracedStoreViewsOne(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	m := mustRunMainWith(t, t.TempDir(), func(m *Main) { m.TraceExporter = exp })
	if _, ok := m.Service.Store.(rollcall.OneReadViewer); m.Tracer == nil || !ok {
		t.Fatalf("tracing on: %v; the traced store runs ViewOne: %v", m.Tracer != nil, ok)
	}
	mustCreate(t, load.New(m.URL, "business"))
}
