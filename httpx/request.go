package httpx

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"time"

	"github.com/rollcall/rollcall"
)

// RequestIDHeader is the header every response carries.
const RequestIDHeader = "x-amzn-RequestId"

// Info is what a face tells the request log about a request. Faces fill it in through
// Annotate; nothing sensitive (bodies, tokens, signatures) belongs here.
type Info struct {
	RequestID string
	Face      string
	Operation string
	Tenant    string
	Err       error  // the cause of an error response, for the log only
	Fault     string // the fault rule injected into the request (package fault), if any

	AuthFailure *AuthFailure // its credentials did not authenticate (AuthFailed)
	RateLimited bool         // a per-tenant rate limit refused it (RateLimited)
}

type infoKey struct{}

// InfoFrom returns the request's Info; a throwaway one outside Middleware.
func InfoFrom(ctx context.Context) *Info {
	if in, ok := ctx.Value(infoKey{}).(*Info); ok {
		return in
	}
	return &Info{}
}

// served is what Middleware keeps of one request, in one allocation: the request's
// context (which answers InfoFrom with its Info; context.WithValue would be a second
// allocation), the status writer and the request-ID header's value.
type served struct {
	context.Context
	in    Info
	sw    statusWriter
	id    [1]string
	start time.Time
}

type servedKey struct{}

// Value answers infoKey with the request's Info (servedKey: itself, for Observe); other
// keys, as the parent does. Done, Err and Deadline are the parent's, so the contexts
// derived from it still find the server's cancelation without a goroutine of their own.
func (s *served) Value(key any) any {
	switch key {
	case infoKey{}:
		return &s.in
	case servedKey{}:
		return s
	}
	return s.Context.Value(key)
}

// Annotate records the face and operation of the request for the log.
func Annotate(r *http.Request, face, op string) {
	in := InfoFrom(r.Context())
	in.Face, in.Operation = face, op
}

// NewRequestID returns a random UUID, the form AWS request IDs take.
func NewRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return rollcall.FormatUUID(&b)
}

// requestIDKey is RequestIDHeader as net/http keeps it in a Header (canonical), so
// Middleware sets it without canonicalizing it again on every request.
var requestIDKey = http.CanonicalHeaderKey(RequestIDHeader)

// Middleware gives every request an ID (header x-amzn-RequestId) and writes one log line
// per request: id, face, operation, tenant, status and duration.
func Middleware(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &served{Context: r.Context(), in: Info{RequestID: NewRequestID()}, sw: statusWriter{ResponseWriter: w, status: http.StatusOK}, start: start}
		in, sw := &st.in, &st.sw
		st.id[0] = in.RequestID
		w.Header()[requestIDKey] = st.id[:]
		next.ServeHTTP(sw, r.WithContext(st))
		level := slog.LevelInfo
		if in.Err != nil && sw.status >= 500 {
			level = slog.LevelError
		}
		if !log.Enabled(r.Context(), level) {
			return // the line would be dropped: build none of it
		}
		attrs := []slog.Attr{
			slog.String("id", in.RequestID),
			slog.String("method", r.Method),
			slog.String("face", in.Face),
			slog.String("op", in.Operation),
			slog.String("tenant", in.Tenant),
			slog.Int("status", sw.status),
			slog.Duration("duration", time.Since(start)),
		}
		if in.Fault != "" {
			attrs = append(attrs, slog.String("fault", in.Fault))
		}
		if in.Err != nil {
			attrs = append(attrs, slog.String("error", in.Err.Error()))
		}
		log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
