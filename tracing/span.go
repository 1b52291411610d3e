package tracing

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Span is one of rollcall's spans. The zero Span (what a nil *Tracer hands out, or a
// child of nothing being recorded) is a no-op.
type Span struct{ s trace.Span }

// StartRequest starts the span of an API request, continuing the trace of its W3C
// traceparent header when it has a valid one (a new trace otherwise), and returns r with
// the span in its context, for the handler and the store below it. face and op name the
// span "face.op"; with op "" (not routed yet: a middleware) it is named after the
// method until SetOperation names it. End it with End. Off, it returns r itself and a
// zero Span.
func (t *Tracer) StartRequest(r *http.Request, face, op string) (*http.Request, Span) {
	if t == nil {
		return r, Span{}
	}
	ctx := t.prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	name := spanName(face, op)
	if op == "" {
		name = r.Method // not routed yet: OpenTelemetry's name for an HTTP span without a route
	}
	ctx, s := t.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(
			attribute.String("http.request.method", r.Method),
			attribute.String("rpc.service", face),
			attribute.String("rpc.method", op),
		))
	return r.WithContext(ctx), Span{s}
}

func spanName(face, op string) string {
	if face == "" {
		return op
	}
	return face + "." + op
}

// SetOperation names the request span after the face and operation that routing found.
func (s Span) SetOperation(face, op string) {
	if s.s == nil || !s.s.IsRecording() {
		return
	}
	s.s.SetName(spanName(face, op))
	s.s.SetAttributes(attribute.String("rpc.service", face), attribute.String("rpc.method", op))
}

// SetRequestID records the x-amzn-RequestId the response carries, so that a trace and
// the request log's line can be found from each other.
func (s Span) SetRequestID(id string) {
	if s.s == nil || !s.s.IsRecording() {
		return
	}
	s.s.SetAttributes(attribute.String("aws.request_id", id))
}

// End ends a request span with the status code the request was answered with and, when
// it failed, the kind of error ("invalid", "not found", "throttled": the core's kind,
// never a message). As OpenTelemetry's HTTP conventions say for a server, only a 5xx
// marks the span as an error; a 4xx is the client's and keeps its error kind as
// error.type.
func (s Span) End(code int, errKind string) {
	if s.s == nil {
		return
	}
	if s.s.IsRecording() {
		s.s.SetAttributes(attribute.Int("http.response.status_code", code))
		if errKind != "" {
			s.s.SetAttributes(attribute.String("error.type", errKind))
		}
		if code >= 500 {
			s.s.SetStatus(codes.Error, errKind)
		}
	}
	s.s.End()
}

// Finish ends a store-transaction or mail-send span: errKind is "" when it succeeded,
// else the kind of its error (never the message), and marks the span as an error.
func (s Span) Finish(errKind string) {
	if s.s == nil {
		return
	}
	if errKind != "" && s.s.IsRecording() {
		s.s.SetAttributes(attribute.String("error.type", errKind))
		s.s.SetStatus(codes.Error, errKind)
	}
	s.s.End()
}

// StartStoreTx starts the span of a store transaction (op: "Update", "View", or a finer
// name) as a child of the span in ctx. With no recorded span in ctx (tracing off, an
// unsampled request, a background job) it makes none and returns ctx and a zero Span.
func (t *Tracer) StartStoreTx(ctx context.Context, op string) (context.Context, Span) {
	if t == nil || !trace.SpanFromContext(ctx).IsRecording() {
		return ctx, Span{}
	}
	attrs := []attribute.KeyValue{attribute.String("db.operation.name", op)}
	if t.db.Valid() {
		attrs = append(attrs, t.db)
	}
	ctx, s := t.tracer.Start(ctx, "store."+op, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
	return ctx, Span{s}
}

// StartMailSend starts the span of one attempt to hand an outbox message to the mail
// relay. Inside a recorded span (a send made while serving a request) it is that span's
// child. Otherwise (the dispatcher, after the request that queued the message has
// ended) traceparent and tracestate are the trace context kept with the message when it
// was queued (TraceContext; "" for none), and the span is the child of the span they
// name, in its trace, and links to it. OpenTelemetry's messaging conventions ask for
// the link (a process span links to the message's creation context) and allow the
// parent when one span handles one message, as a send does: so a trace shows the
// request and the mail it caused, though the send may come after the request span has
// ended. The sampled flag kept decides, as for any child: a send of an unsampled request
// is not recorded either. A traceparent that does not parse starts a trace of its own.
func (t *Tracer) StartMailSend(ctx context.Context, traceparent, tracestate string, attempt int) (context.Context, Span) {
	if t == nil {
		return ctx, Span{}
	}
	opts := []trace.SpanStartOption{
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.Int("rollcall.mail.attempt", attempt)),
	}
	if !trace.SpanFromContext(ctx).SpanContext().IsValid() && traceparent != "" {
		carrier := propagation.MapCarrier{"traceparent": traceparent}
		if tracestate != "" {
			carrier["tracestate"] = tracestate
		}
		queued := t.prop.Extract(ctx, carrier)
		if sc := trace.SpanContextFromContext(queued); sc.IsValid() {
			ctx = queued
			opts = append(opts, trace.WithLinks(trace.Link{SpanContext: sc}))
		}
	}
	ctx, s := t.tracer.Start(ctx, "mail.send", opts...)
	return ctx, Span{s}
}

// TraceContext returns the W3C traceparent and tracestate of the span in ctx, to keep
// with work done later for it (an outbox message), or "" when there is none. Off, it
// formats nothing.
func (t *Tracer) TraceContext(ctx context.Context) (traceparent, tracestate string) {
	if t == nil || !trace.SpanContextFromContext(ctx).IsValid() {
		return "", ""
	}
	c := propagation.MapCarrier{}
	t.prop.Inject(ctx, c)
	return c["traceparent"], c["tracestate"]
}
