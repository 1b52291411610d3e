package tracing_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/rollcall/rollcall/tracing"
)

// A middleware starts the request span before routing and names and ends it after, with
// what the handler reported; the store wrapper makes the transaction's span below it.
func ExampleTracer_StartRequest() {
	exp := tracetest.NewInMemoryExporter()
	tr, _ := tracing.Setup(context.Background(), tracing.Config{Exporter: exp}) // in cmd: Config{Endpoint: flag}
	defer tr.Shutdown(context.Background())

	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, tx := tr.StartStoreTx(r.Context(), "Update") // in the store wrapper
		tx.Finish("")
		w.WriteHeader(http.StatusConflict)
	})
	middleware := func(w http.ResponseWriter, r *http.Request) {
		r, span := tr.StartRequest(r, "", "")
		handler.ServeHTTP(w, r)
		span.SetOperation("workdocs", "CreateUser") // what routing annotated
		span.End(http.StatusConflict, "conflict")   // the status written, the error's kind
	}
	middleware(httptest.NewRecorder(), httptest.NewRequest("POST", "/api/v1/users", nil))

	for _, s := range exp.GetSpans() {
		fmt.Println(s.Name, s.SpanKind)
	}
	// Output:
	// store.Update internal
	// workdocs.CreateUser server
}
