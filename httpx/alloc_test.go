// The race detector allocates on its own, so these counts hold only without it.

//go:build !race

package httpx_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/httpx"
)

// TestMiddlewareAllocations: with its log line off, Middleware allocates for the request
// ID, its header, the Info and the context that carries it, and no more.
func TestMiddlewareAllocations(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := httpx.Middleware(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	r := httptest.NewRequest("POST", "/accounts", nil)
	w := httptest.NewRecorder()
	n := testing.AllocsPerRun(100, func() {
		clear(w.Header())
		h.ServeHTTP(w, r)
	})
	// the ID string, the header's []string, Info with the statusWriter, the context
	// value and the request's shallow copy
	if n > 5 {
		t.Errorf("Middleware allocates %v times per request, want at most 5", n)
	}
}

// TestReadBodyAllocations: a body of a declared length is read into one buffer.
func TestReadBodyAllocations(t *testing.T) {
	body := strings.Repeat("x", 700)
	r := httptest.NewRequest("POST", "/", nil)
	rd := strings.NewReader(body)
	r.Body, r.ContentLength = io.NopCloser(rd), int64(len(body))
	n := testing.AllocsPerRun(100, func() {
		rd.Reset(body)
		if _, err := httpx.ReadBody(r, httpx.MaxBodyBytes); err != nil {
			t.Fatal(err)
		}
	})
	if n != 1 {
		t.Errorf("ReadBody allocates %v times for a body of a known length, want 1", n)
	}
}
