package tracing_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rollcall/rollcall/tracing"
)

// benchRequest is what the pipeline will do per request: a request span, a store
// transaction under it, and the outcome.
func benchRequest(b *testing.B, tr *tracing.Tracer) {
	r := httptest.NewRequest("POST", "/accounts/acct/users?operation=create", nil)
	r.Header.Set("traceparent", callerParent)
	b.ReportAllocs()
	for b.Loop() {
		r2, sp := tr.StartRequest(r, "chime", "CreateUser")
		sp.SetRequestID("4c1d5a2e-0000-4000-8000-000000000000")
		_, tx := tr.StartStoreTx(r2.Context(), "Update")
		tx.Finish("")
		sp.End(201, "")
	}
}

// BenchmarkRequestOff is the cost when tracing is off (Setup returned nil).
func BenchmarkRequestOff(b *testing.B) {
	benchRequest(b, nil)
}

// BenchmarkRequestOn is the cost when every request is sampled, exporting to nothing:
// what the SDK adds before the exporter's network time.
func BenchmarkRequestOn(b *testing.B) {
	benchRequest(b, mustSetup(b, tracing.Config{Exporter: tracetest.NewNoopExporter()}))
}

// BenchmarkQueueAndSend is what tracing adds to a message: its trace context formatted
// as the request queues it, and the send's span started from it later.
func BenchmarkQueueAndSend(b *testing.B) {
	tr := mustSetup(b, tracing.Config{Exporter: tracetest.NewNoopExporter()})
	r := httptest.NewRequest("POST", "/accounts/acct/users?operation=invite", nil)
	r.Header.Set("traceparent", callerParent)
	r, sp := tr.StartRequest(r, "chime", "InviteUsers")
	defer sp.End(201, "")
	b.ReportAllocs()
	for b.Loop() {
		parent, state := tr.TraceContext(r.Context())
		_, send := tr.StartMailSend(context.Background(), parent, state, 1)
		send.Finish("")
	}
}
