package httpx

import (
	"errors"
	"net/http"
	"time"

	"github.com/rollcall/rollcall"
)

// Credential schemes, for AuthFailed: what kind of credential a request brought.
const (
	SchemeSigV4   = "sigv4"   // an AWS Signature Version 4 (header or presigned query)
	SchemeToken   = "token"   // a bearer token: WorkDocs Authentication, Amazon Business x-amz-access-token
	SchemeAdmin   = "admin"   // the admin API's token
	SchemeSession = "session" // the console's session cookie (or its sign-in form)
	SchemeClient  = "client"  // client credentials or a grant at the token endpoint
)

// AuthFailure is a request refused because its credentials did not authenticate.
type AuthFailure struct {
	Scheme string // Scheme*
	Reason string // rollcall.Reason*, an OAuth error code, or "" when none is known
}

// AuthFailed records, for the request's observers, that its credentials of scheme did
// not authenticate, and why (the Reason of err's *rollcall.Error, if any).
func AuthFailed(r *http.Request, scheme string, err error) {
	reason := ""
	if e, ok := errors.AsType[*rollcall.Error](err); ok {
		reason = e.Reason
	}
	AuthFailedFor(r, scheme, reason)
}

// AuthFailedFor is AuthFailed with the reason given.
func AuthFailedFor(r *http.Request, scheme, reason string) {
	InfoFrom(r.Context()).AuthFailure = &AuthFailure{Scheme: scheme, Reason: reason}
}

// RateLimited records, for the request's observers, that a per-tenant rate limit
// refused it.
func RateLimited(r *http.Request) { InfoFrom(r.Context()).RateLimited = true }

// Observer watches each request (metrics, traces). Begin runs before the request is
// routed and returns the request to serve (its context may carry a span); the function
// it returns runs once the response is written, with what the faces annotated (face,
// operation, tenant, error, auth failure), the status written and the time taken.
type Observer interface {
	Begin(r *http.Request) (*http.Request, func(in *Info, status int, d time.Duration))
}

// Observe serves next under obs. It goes inside Middleware, whose Info it reads; a nil
// obs returns next itself.
func Observe(obs Observer, next http.Handler) http.Handler {
	if obs == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st, ok := r.Context().Value(servedKey{}).(*served); ok {
			// Middleware's status writer sees every status written here: no second one
			// (an allocation per request), and no second clock reading.
			r, end := obs.Begin(r)
			next.ServeHTTP(w, r)
			end(&st.in, st.sw.status, time.Since(st.start))
			return
		}
		start := time.Now()
		r, end := obs.Begin(r)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		end(InfoFrom(r.Context()), sw.status, time.Since(start))
	})
}
