package tracing_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/rollcall/rollcall/tracing"
)

// collector is an OTLP/HTTP receiver: it keeps each request it gets.
type collector struct {
	mu   sync.Mutex
	got  []received
	srv  *httptest.Server
	errs []error
}

type received struct {
	method, path, contentType, header string
	body                              *coltracepb.ExportTraceServiceRequest
}

func newCollector(t *testing.T) *collector {
	c := &collector{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(r.Body)
		req := &coltracepb.ExportTraceServiceRequest{}
		if err == nil {
			err = proto.Unmarshal(raw, req)
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if err != nil {
			c.errs = append(c.errs, err)
		}
		c.got = append(c.got, received{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("X-Rollcall-Test"), req})
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Write(out)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *collector) requests(t *testing.T) []received {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, err := range c.errs {
		t.Errorf("collector could not decode an export: %v", err)
	}
	return append([]received(nil), c.got...)
}

// exportVia starts a collector, sets the OTEL_* environment to env (name, value pairs;
// "{url}" in a value is the collector's URL; every other variable unset), and with it a
// Tracer that records a request span with a store span under it and shuts down, which
// must flush them. It returns the collector.
func exportVia(t *testing.T, cfg tracing.Config, env ...string) *collector {
	t.Helper()
	c := newCollector(t)
	cleanEnv(t)
	for i := 0; i+1 < len(env); i += 2 {
		t.Setenv(env[i], strings.ReplaceAll(env[i+1], "{url}", c.srv.URL))
	}
	tr, err := tracing.Setup(context.Background(), cfg)
	if err != nil || tr == nil {
		t.Fatalf("Setup = %v, %v; want on", tr, err)
	}
	r, sp := tr.StartRequest(httptest.NewRequest("POST", "/api/v1/users", nil), "workdocs", "CreateUser")
	_, tx := tr.StartStoreTx(r.Context(), "Update")
	tx.Finish("")
	sp.End(201, "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tr.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	return c
}

func TestExportsOverOTLPHTTP(t *testing.T) {
	c := exportVia(t, tracing.Config{ServiceVersion: "v9.9.9"}, "OTEL_EXPORTER_OTLP_ENDPOINT", "{url}",
		"OTEL_EXPORTER_OTLP_HEADERS", "x-rollcall-test=from-env", "OTEL_SERVICE_NAME", "rollcall-test")

	got := c.requests(t)
	if len(got) == 0 {
		t.Fatal("the collector received nothing: Shutdown did not flush")
	}
	names := map[string]bool{}
	for _, g := range got {
		if g.method != "POST" || g.path != "/v1/traces" || g.contentType != "application/x-protobuf" {
			t.Errorf("export %s %s (%s), want POST /v1/traces (application/x-protobuf)", g.method, g.path, g.contentType)
		}
		if g.header != "from-env" {
			t.Errorf("OTEL_EXPORTER_OTLP_HEADERS not sent: X-Rollcall-Test = %q", g.header)
		}
		for _, rs := range g.body.GetResourceSpans() {
			res := map[string]string{}
			for _, kv := range rs.GetResource().GetAttributes() {
				res[kv.GetKey()] = kv.GetValue().GetStringValue()
			}
			if res["service.name"] != "rollcall-test" || res["service.version"] != "v9.9.9" {
				t.Errorf("resource %v: want OTEL_SERVICE_NAME's service.name and the version", res)
			}
			for _, ss := range rs.GetScopeSpans() {
				for _, s := range ss.GetSpans() {
					names[s.GetName()] = true
				}
			}
		}
	}
	if !names["workdocs.CreateUser"] || !names["store.Update"] {
		t.Errorf("exported spans %v, want workdocs.CreateUser and store.Update", names)
	}
}

// The flag's endpoint is a base URL, like OTEL_EXPORTER_OTLP_ENDPOINT, and wins over the
// environment's; the service name defaults to rollcall.
func TestFlagEndpointWinsOverEnvironment(t *testing.T) {
	flag := newCollector(t)
	env := exportVia(t, tracing.Config{Endpoint: flag.srv.URL + "/otel/"}, "OTEL_EXPORTER_OTLP_ENDPOINT", "{url}")

	if got := env.requests(t); len(got) != 0 {
		t.Errorf("the environment's endpoint got %d exports", len(got))
	}
	got := flag.requests(t)
	if len(got) == 0 {
		t.Fatal("the flag's endpoint received nothing")
	}
	for _, g := range got {
		if g.path != "/otel/v1/traces" {
			t.Errorf("export to %s, want /otel/v1/traces", g.path)
		}
		for _, rs := range g.body.GetResourceSpans() {
			for _, kv := range rs.GetResource().GetAttributes() {
				if kv.GetKey() == "service.name" && kv.GetValue().GetStringValue() != tracing.ServiceName {
					t.Errorf("service.name %q, want %q", kv.GetValue().GetStringValue(), tracing.ServiceName)
				}
			}
		}
	}
}

// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT alone turns tracing on, and is used as it is.
func TestTracesEndpointIsUsedAsIs(t *testing.T) {
	c := exportVia(t, tracing.Config{}, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "{url}/custom/traces")
	got := c.requests(t)
	if len(got) == 0 || got[0].path != "/custom/traces" {
		t.Fatalf("exports %v, want one to /custom/traces", got)
	}
}

// OTEL_TRACES_SAMPLER is the SDK's: always_off records nothing, so nothing is sent.
func TestSamplerFromEnvironment(t *testing.T) {
	c := exportVia(t, tracing.Config{}, "OTEL_EXPORTER_OTLP_ENDPOINT", "{url}", "OTEL_TRACES_SAMPLER", "always_off")
	for _, g := range c.requests(t) {
		if n := len(g.body.GetResourceSpans()); n != 0 {
			t.Errorf("always_off exported %d resource spans", n)
		}
	}
}
