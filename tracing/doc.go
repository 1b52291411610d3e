// Package tracing sets up OpenTelemetry tracing for rollcall and holds the spans the
// request pipeline makes: one per request, named after its face and operation and
// continuing the caller's W3C traceparent, with child spans for the store transaction
// and for each mail send: a send the outbox dispatcher makes later is the child of the
// request that queued the message, through the trace context kept with it
// (TraceContext, StartMailSend).
//
// (It is named tracing, not trace, so that nobody reads it as runtime/trace or as
// go.opentelemetry.io/otel/trace.)
//
// Setup is off unless an OTLP endpoint is given, by Config.Endpoint (a flag) or by
// OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; OTEL_SDK_DISABLED=true
// and OTEL_TRACES_EXPORTER=none turn it off too. When on, it exports over OTLP/HTTP and
// leaves every other standard variable to the SDK, which reads them itself: the headers,
// timeout, compression and TLS of the exporter (OTEL_EXPORTER_OTLP_*), the sampler
// (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG), the batching (OTEL_BSP_*) and the
// resource (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES; the service name is "rollcall"
// unless they say otherwise).
//
// Off, Setup returns a nil *Tracer, and a nil *Tracer and a zero Span are valid no-ops
// that cost a nil check: call sites need no ifs.
//
// Spans carry names, kinds, status codes and error kinds, never a request body, an email
// address, a password, a token or an error's message (causes may quote user input).
//
// It imports the standard library and OpenTelemetry only: no face, no storage, no core
// package. cmd sets it up and hands the *Tracer to the pipeline, the store wrapper and
// the mail dispatcher.
package tracing
