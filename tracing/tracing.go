package tracing

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// ServiceName is the service.name of rollcall's spans unless OTEL_SERVICE_NAME or
// OTEL_RESOURCE_ATTRIBUTES names another.
const ServiceName = "rollcall"

// instrumentation is the name of the tracer rollcall's spans come from.
const instrumentation = "github.com/rollcall/rollcall/tracing"

// Config is what the command line adds to the OTEL_* environment.
type Config struct {
	// Endpoint is the OTLP/HTTP base URL given by a flag, read like
	// OTEL_EXPORTER_OTLP_ENDPOINT: spans go to Endpoint + "/v1/traces". It wins over the
	// environment's endpoints. Empty: the environment decides.
	Endpoint string
	// ServiceVersion is the service.version resource attribute (rollcall's version).
	ServiceVersion string
	// StoreSystem names the store's database in store spans' db.system.name
	// ("sqlite", "postgresql"); empty leaves it out.
	StoreSystem string
	// Exporter, for tests, receives every span as it ends, instead of OTLP; tracing is on
	// with it whatever the environment says.
	Exporter sdktrace.SpanExporter
}

// Tracer makes rollcall's spans. A nil *Tracer is tracing turned off: every method is a
// no-op.
type Tracer struct {
	tp     *sdktrace.TracerProvider
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
	db     attribute.KeyValue
}

// Setup returns the Tracer cfg and the OTEL_* environment ask for, or nil (and no error)
// when tracing is off: no endpoint, OTEL_SDK_DISABLED=true, or OTEL_TRACES_EXPORTER=none.
// It refuses what it cannot honour: another OTEL_TRACES_EXPORTER than otlp, the grpc
// protocol, an endpoint that is not a URL. Spans are batched and sent in the background;
// Shutdown flushes them.
func Setup(ctx context.Context, cfg Config) (*Tracer, error) {
	exp := cfg.Exporter
	if exp == nil {
		on, err := enabled(cfg)
		if !on || err != nil {
			return nil, err
		}
		var opts []otlptracehttp.Option
		if cfg.Endpoint != "" {
			u, err := tracesURL(cfg.Endpoint)
			if err != nil {
				return nil, err
			}
			opts = append(opts, otlptracehttp.WithEndpointURL(u))
		}
		// The exporter reads OTEL_EXPORTER_OTLP_* itself; opts win over it.
		if exp, err = otlptracehttp.New(ctx, opts...); err != nil {
			return nil, fmt.Errorf("tracing: OTLP exporter: %w", err)
		}
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", ServiceName)),
		resource.WithFromEnv(), // OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES: after, so they win
		resource.WithTelemetrySDK(),
		resource.WithHost(),
	)
	if err != nil && res == nil {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	if cfg.ServiceVersion != "" {
		res, _ = resource.Merge(res, resource.NewSchemaless(attribute.String("service.version", cfg.ServiceVersion)))
	}
	process := sdktrace.WithBatcher(exp) // OTEL_BSP_* tune it
	if cfg.Exporter != nil {
		process = sdktrace.WithSyncer(exp)
	}
	// No WithSampler: the SDK reads OTEL_TRACES_SAMPLER and its argument, and defaults to
	// parentbased_always_on, so a caller's sampled flag decides.
	tp := sdktrace.NewTracerProvider(process, sdktrace.WithResource(res))
	t := &Tracer{tp: tp, tracer: tp.Tracer(instrumentation), prop: propagation.TraceContext{}}
	if cfg.StoreSystem != "" {
		t.db = attribute.String("db.system.name", cfg.StoreSystem)
	}
	return t, nil
}

// enabled says whether the environment and cfg turn OTLP tracing on.
func enabled(cfg Config) (bool, error) {
	if strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED")), "true") {
		return false, nil
	}
	switch exp := strings.TrimSpace(os.Getenv("OTEL_TRACES_EXPORTER")); exp {
	case "", "otlp":
	case "none":
		return false, nil
	default:
		return false, fmt.Errorf("tracing: OTEL_TRACES_EXPORTER=%q: rollcall exports traces over OTLP only (otlp or none)", exp)
	}
	if cfg.Endpoint == "" && os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return false, nil
	}
	for _, name := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		switch p := os.Getenv(name); p {
		case "", "http/protobuf", "http/json":
		default:
			return false, fmt.Errorf("tracing: %s=%q: rollcall exports over OTLP/HTTP (http/protobuf or http/json)", name, p)
		}
	}
	return true, nil
}

// tracesURL is base with /v1/traces appended, as the OTLP spec says for
// OTEL_EXPORTER_OTLP_ENDPOINT.
func tracesURL(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("tracing: endpoint %q is not an http:// or https:// URL", base)
	}
	u.Path = path.Join("/", u.Path, "v1/traces")
	return u.String(), nil
}

// Shutdown sends the spans not yet exported, waiting at most until ctx ends, and stops
// the exporter. Spans started after it are dropped. Nil-safe.
func (t *Tracer) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	if err := t.tp.Shutdown(ctx); err != nil {
		return fmt.Errorf("tracing: shutdown: %w", err)
	}
	return nil
}
