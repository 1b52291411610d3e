package tracing_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/rollcall/rollcall/tracing"
)

// The example traceparent of the W3C Trace Context recommendation.
const (
	callerTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	callerSpan   = "00f067aa0ba902b7"
	callerParent = "00-" + callerTrace + "-" + callerSpan + "-01"
	callerState  = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
)

// otelVars are the variables Setup or the SDK read; each test starts with none set.
var otelVars = []string{
	"OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
	"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL",
	"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS",
	"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_COMPRESSION",
	"OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
}

func cleanEnv(t *testing.T) {
	t.Helper()
	for _, v := range otelVars {
		t.Setenv(v, "")
	}
}

func memTracer(t *testing.T) (*tracing.Tracer, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	return mustSetup(t, tracing.Config{Exporter: exp, StoreSystem: "sqlite"}), exp
}

// mustSetup is the Tracer cfg sets up, which must have an exporter; it shuts down when
// tb ends.
func mustSetup(tb testing.TB, cfg tracing.Config) *tracing.Tracer {
	tb.Helper()
	tr, err := tracing.Setup(context.Background(), cfg)
	if err != nil || tr == nil {
		tb.Fatalf("Setup with an exporter: %v, %v", tr, err)
	}
	tb.Cleanup(func() { tr.Shutdown(context.Background()) })
	return tr
}

func attrs(s tracetest.SpanStub) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes {
		m[kv.Key] = kv.Value
	}
	return m
}

func byName(t *testing.T, spans tracetest.SpanStubs) map[string]tracetest.SpanStub {
	t.Helper()
	m := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		if _, dup := m[s.Name]; dup {
			t.Fatalf("two spans named %q", s.Name)
		}
		m[s.Name] = s
	}
	return m
}

// TestCreateUserSpanTree builds the spans of a Chime InviteUsers-like CreateUser as the
// pipeline will: the request span from the caller's traceparent (and tracestate), the
// store transaction under it, and the mail send the dispatcher makes later, from the
// trace context kept with the message: the request span's child, linked to it too.
func TestCreateUserSpanTree(t *testing.T) {
	cleanEnv(t)
	tr, exp := memTracer(t)

	r := httptest.NewRequest("POST", "/accounts/acct/users?operation=create", nil)
	r.Header.Set("traceparent", callerParent)
	r.Header.Set("tracestate", callerState)
	r, req := tr.StartRequest(r, "", "") // as a middleware does, before routing
	req.SetOperation("chime", "CreateUser")
	req.SetRequestID("req-1")
	_, tx := tr.StartStoreTx(r.Context(), "Update")
	tx.Finish("")
	parent, state := tr.TraceContext(r.Context()) // kept with the outbox message
	req.End(201, "")
	if state != callerState {
		t.Errorf("TraceContext's tracestate = %q, want the caller's %q", state, callerState)
	}

	// The dispatcher sends the message later, in a context of its own.
	_, send := tr.StartMailSend(context.Background(), parent, state, 1)
	send.Finish("")

	spans := byName(t, exp.GetSpans())
	if len(spans) != 3 {
		t.Fatalf("got %d spans, want 3: %v", len(spans), spans)
	}
	request, ok := spans["chime.CreateUser"]
	if !ok {
		t.Fatalf("no request span named chime.CreateUser: %v", spans)
	}
	if got := request.Parent; !got.IsRemote() || got.TraceID().String() != callerTrace || got.SpanID().String() != callerSpan {
		t.Errorf("request span's parent = %v, want the caller's remote span %s", got, callerParent)
	}
	if request.SpanContext.TraceID().String() != callerTrace {
		t.Errorf("request span in trace %s, want the caller's %s", request.SpanContext.TraceID(), callerTrace)
	}
	if request.SpanKind != trace.SpanKindServer {
		t.Errorf("request span kind %v", request.SpanKind)
	}
	a := attrs(request)
	for k, want := range map[attribute.Key]attribute.Value{
		"http.response.status_code": attribute.IntValue(201),
		"http.request.method":       attribute.StringValue("POST"),
		"rpc.service":               attribute.StringValue("chime"),
		"rpc.method":                attribute.StringValue("CreateUser"),
		"aws.request_id":            attribute.StringValue("req-1"),
	} {
		if a[k] != want {
			t.Errorf("request span %s = %v, want %v", k, a[k].Emit(), want.Emit())
		}
	}
	if _, has := a["error.type"]; has || request.Status.Code != codes.Unset {
		t.Errorf("a 201 has error.type %v, status %v", a["error.type"].Emit(), request.Status)
	}

	store := spans["store.Update"]
	if store.Parent.SpanID() != request.SpanContext.SpanID() || store.SpanContext.TraceID() != request.SpanContext.TraceID() {
		t.Errorf("store span's parent %v, want the request span %v", store.Parent.SpanID(), request.SpanContext.SpanID())
	}
	if sa := attrs(store); sa["db.operation.name"].AsString() != "Update" || sa["db.system.name"].AsString() != "sqlite" {
		t.Errorf("store span attributes %v", store.Attributes)
	}

	mail := spans["mail.send"]
	if mail.Parent.SpanID() != request.SpanContext.SpanID() || mail.SpanContext.TraceID() != request.SpanContext.TraceID() {
		t.Errorf("dispatcher's mail span has parent %v in trace %v, want the request span %v", mail.Parent.SpanID(),
			mail.SpanContext.TraceID(), request.SpanContext.SpanID())
	}
	if got := mail.SpanContext.TraceState().String(); got != callerState {
		t.Errorf("mail span's tracestate = %q, want the caller's %q", got, callerState)
	}
	if len(mail.Links) != 1 || mail.Links[0].SpanContext.SpanID() != request.SpanContext.SpanID() ||
		mail.Links[0].SpanContext.TraceID() != request.SpanContext.TraceID() {
		t.Errorf("mail span links %v, want the request span %v", mail.Links, request.SpanContext.SpanID())
	}
	if mail.SpanKind != trace.SpanKindClient || attrs(mail)["rollcall.mail.attempt"].AsInt64() != 1 {
		t.Errorf("mail span kind %v, attributes %v", mail.SpanKind, mail.Attributes)
	}
}

func TestMailSendDuringARequestIsItsChild(t *testing.T) {
	cleanEnv(t)
	tr, exp := memTracer(t)
	r, req := tr.StartRequest(httptest.NewRequest("POST", "/", nil), "alexaforbusiness", "SendInvitation")
	_, send := tr.StartMailSend(r.Context(), "00-"+callerTrace+"-"+callerSpan+"-01", "", 2)
	send.Finish("unavailable")
	req.End(200, "")
	spans := byName(t, exp.GetSpans())
	request, mail := spans["alexaforbusiness.SendInvitation"], spans["mail.send"]
	if request.Parent.IsValid() {
		t.Errorf("request without traceparent has parent %v", request.Parent)
	}
	if mail.Parent.SpanID() != request.SpanContext.SpanID() || len(mail.Links) != 0 {
		t.Errorf("mail span parent %v links %v, want the request span's child", mail.Parent, mail.Links)
	}
	if mail.Status.Code != codes.Error || attrs(mail)["error.type"].AsString() != "unavailable" {
		t.Errorf("failed send: status %v, attributes %v", mail.Status, mail.Attributes)
	}
}

func TestRequestOutcome(t *testing.T) {
	cleanEnv(t)
	for _, c := range []struct {
		code   int
		kind   string
		status codes.Code
	}{
		{200, "", codes.Unset},
		{404, "not found", codes.Unset}, // the client's error: not the server's
		{429, "throttled", codes.Unset},
		{500, "internal", codes.Error},
		{503, "unavailable", codes.Error},
	} {
		tr, exp := memTracer(t)
		_, sp := tr.StartRequest(httptest.NewRequest("GET", "/api/v1/users", nil), "workdocs", "DescribeUsers")
		sp.End(c.code, c.kind)
		got := exp.GetSpans()
		if len(got) != 1 {
			t.Fatalf("%d: %d spans", c.code, len(got))
		}
		a := attrs(got[0])
		if a["http.response.status_code"].AsInt64() != int64(c.code) || a["error.type"].AsString() != c.kind || got[0].Status.Code != c.status {
			t.Errorf("%d %q: attributes %v, status %v", c.code, c.kind, got[0].Attributes, got[0].Status)
		}
	}
}

func TestBadTraceparentStartsANewTrace(t *testing.T) {
	cleanEnv(t)
	tr, exp := memTracer(t)
	for _, tp := range []string{"", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "ff-" + callerTrace + "-" + callerSpan + "-01"} {
		r := httptest.NewRequest("POST", "/", nil)
		if tp != "" {
			r.Header.Set("traceparent", tp)
		}
		_, sp := tr.StartRequest(r, "chime", "CreateUser")
		sp.End(201, "")
	}
	for _, s := range exp.GetSpans() {
		if s.Parent.IsValid() || s.SpanContext.TraceID().String() == callerTrace {
			t.Errorf("span continued an invalid traceparent: parent %v", s.Parent)
		}
	}
}

func TestUnsampledCallerRecordsNothing(t *testing.T) {
	cleanEnv(t)
	tr, exp := memTracer(t)
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("traceparent", "00-"+callerTrace+"-"+callerSpan+"-00") // not sampled
	r, sp := tr.StartRequest(r, "chime", "CreateUser")
	_, tx := tr.StartStoreTx(r.Context(), "Update")
	tx.Finish("")
	sp.End(201, "")
	if got := exp.GetSpans(); len(got) != 0 {
		t.Errorf("parent-based sampling recorded %d spans of an unsampled caller", len(got))
	}
	// The trace still goes on downstream, in the caller's trace and still unsampled: the
	// mail it queued is not recorded either.
	got, _ := tr.TraceContext(r.Context())
	if !strings.HasPrefix(got, "00-"+callerTrace+"-") || !strings.HasSuffix(got, "-00") {
		t.Errorf("TraceContext = %q, want the caller's trace, unsampled", got)
	}
	_, send := tr.StartMailSend(context.Background(), got, "", 1)
	send.Finish("")
	if got := exp.GetSpans(); len(got) != 0 {
		t.Errorf("the send of an unsampled request's mail recorded %d spans", len(got))
	}
}

// A kept traceparent that does not parse (a row written by hand) starts a trace.
func TestMailSendWithABadTraceparentIsARoot(t *testing.T) {
	cleanEnv(t)
	tr, exp := memTracer(t)
	_, send := tr.StartMailSend(context.Background(), "00-not-a-trace", "", 1)
	send.Finish("")
	spans := exp.GetSpans()
	if len(spans) != 1 || spans[0].Parent.IsValid() || len(spans[0].Links) != 0 {
		t.Errorf("spans %v, want one root mail.send without links", spans)
	}
}

func TestStoreTxWithoutARequestMakesNoSpan(t *testing.T) {
	cleanEnv(t)
	tr, exp := memTracer(t)
	ctx, sp := tr.StartStoreTx(context.Background(), "Update") // a background purge
	sp.Finish("")
	if len(exp.GetSpans()) != 0 || trace.SpanFromContext(ctx).SpanContext().IsValid() {
		t.Error("a store transaction outside any request made a span")
	}
}

func TestOffIsNil(t *testing.T) {
	for _, env := range []map[string]string{
		{},
		{"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"},
		{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"},
	} {
		cleanEnv(t)
		for k, v := range env {
			t.Setenv(k, v)
		}
		tr, err := tracing.Setup(context.Background(), tracing.Config{})
		if err != nil || tr != nil {
			t.Errorf("%v: Setup = %v, %v; want off", env, tr, err)
		}
		// Off, everything is a no-op and the request is the caller's own.
		r := httptest.NewRequest("POST", "/", nil)
		r2, sp := tr.StartRequest(r, "chime", "CreateUser")
		if r2 != r {
			t.Error("off, StartRequest copied the request")
		}
		sp.SetOperation("chime", "CreateUser")
		sp.SetRequestID("x")
		_, tx := tr.StartStoreTx(r.Context(), "Update")
		tx.Finish("internal")
		_, ms := tr.StartMailSend(r.Context(), callerParent, callerState, 1)
		ms.Finish("")
		sp.End(500, "internal")
		if p, st := tr.TraceContext(r.Context()); p != "" || st != "" || tr.Shutdown(context.Background()) != nil {
			t.Error("off, TraceContext or Shutdown did something")
		}
	}
}

func TestSetupRefusesWhatItCannotHonour(t *testing.T) {
	for _, c := range []struct {
		env map[string]string
		cfg tracing.Config
	}{
		{env: map[string]string{"OTEL_TRACES_EXPORTER": "zipkin", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}},
		{env: map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317"}},
		{cfg: tracing.Config{Endpoint: "127.0.0.1:4318"}},
		{cfg: tracing.Config{Endpoint: "ftp://collector"}},
	} {
		cleanEnv(t)
		for k, v := range c.env {
			t.Setenv(k, v)
		}
		if tr, err := tracing.Setup(context.Background(), c.cfg); err == nil {
			tr.Shutdown(context.Background())
			t.Errorf("Setup(%v, %+v) took it", c.env, c.cfg)
		}
	}
}
