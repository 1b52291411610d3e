package httpx

import (
	"net/http"
	"net/url"

	"github.com/rollcall/rollcall"
)

// Face is one API that rollcall speaks. The server offers each request to its faces in
// turn; the first whose Match claims it serves it. Matching looks at method, raw path,
// query and headers only: Go's ServeMux would answer unclean paths ("//", "..") with a
// redirect, which breaks a signed POST.
type Face interface {
	Match(r *http.Request) bool
	http.Handler
}

// Authenticator authenticates a request whose body has already been read. Failures are
// *rollcall.Error values of kind Unauthorized or Forbidden whose Reason (the
// rollcall.Reason* constants) tells the face which of its error shapes to use.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte) (rollcall.Caller, error)
}

// matchServer is a Face that matches and serves in one pass: ServeMatch serves r and
// returns true if it claims r, else returns false. Sites is one: its Match and its
// ServeHTTP would each ask its faces in turn.
type matchServer interface {
	ServeMatch(w http.ResponseWriter, r *http.Request) bool
}

// Router serves each request with the first face that claims it, and answers 404 when
// none does.
func Router(faces ...Face) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, f := range faces {
			if ms, ok := f.(matchServer); ok {
				if ms.ServeMatch(w, r) {
					return
				}
				continue
			}
			if f.Match(r) {
				f.ServeHTTP(w, r)
				return
			}
		}
		InfoFrom(r.Context()).Operation = "unknown"
		WriteRESTJSONError(w, http.StatusNotFound, "UnknownOperationException",
			"No operation matches "+r.Method+" "+r.URL.EscapedPath()+".", nil)
	})
}

// PlainPath is u.EscapedPath() for comparing with a path that escaping leaves as it is
// ("/accounts/", a face's prefix): without a RawPath, EscapedPath escapes Path anew,
// byte by byte, on every call (and each API face's Match is asked of every API
// request), and the escaped form begins with such a path, or equals it, just when Path
// does (an escaped byte begins with '%', which no such path holds).
func PlainPath(u *url.URL) string {
	if u.RawPath == "" {
		return u.Path
	}
	return u.EscapedPath()
}

// SetTenant records the caller's tenant for the request log.
func SetTenant(r *http.Request, tenant string) { InfoFrom(r.Context()).Tenant = tenant }

// LogError records the cause of an error response for the request log.
func LogError(r *http.Request, err error) { InfoFrom(r.Context()).Err = err }
