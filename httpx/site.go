package httpx

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/rollcall/rollcall"
)

// The API faces are called by SDKs and the CLI, which send neither Sec-Fetch-Site nor
// Origin. A browser sends them, and may send a presigned POST (a "simple" request, with
// no CORS preflight) on behalf of any page it shows: with the public dev key, any web
// page could write to a local rollcall. So a request that carries a browser's cross-site
// markers is refused unless its origin was allowed (--cors-origins).

// Sites is the browsers' front door of the API faces: it answers CORS preflights and
// adds CORS headers for the allowed origins, and tells the faces (CheckSite) which
// origins those are. Put it after the faces that serve browsers themselves (the console,
// the invitation pages), which keep their own rules.
type Sites struct {
	Allowed []string // origins, e.g. "http://localhost:3000", as a browser spells them
	Faces   []Face
}

type allowedOrigins struct{}

// Match claims what its faces claim, and every CORS preflight.
func (s *Sites) Match(r *http.Request) bool {
	return isPreflight(r) || slices.ContainsFunc(s.Faces, func(f Face) bool { return f.Match(r) })
}

func (s *Sites) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.ServeMatch(w, r) }

// ServeMatch serves r and returns true if Match would claim it, else writes nothing and
// returns false: Router asks its faces once, not once to match and again to serve.
func (s *Sites) ServeMatch(w http.ResponseWriter, r *http.Request) bool {
	preflight := isPreflight(r)
	var face Face
	if !preflight {
		i := slices.IndexFunc(s.Faces, func(f Face) bool { return f.Match(r) })
		if i < 0 {
			return false
		}
		face = s.Faces[i]
	}
	origin := first(r.Header, "Origin")
	allowed := origin != "" && slices.Contains(s.Allowed, origin)
	h := w.Header()
	if preflight {
		InfoFrom(r.Context()).Operation = "preflight"
		if !allowed {
			http.Error(w, "Cross-origin requests to this API are not allowed from this origin.", http.StatusForbidden)
			return true
		}
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
		if hs := r.Header.Get("Access-Control-Request-Headers"); hs != "" {
			h.Set("Access-Control-Allow-Headers", hs)
		}
		h.Set("Access-Control-Max-Age", "600")
		h.Add("Vary", "Origin")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	if allowed {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-RateLimit-Limit, Date")
		h.Add("Vary", "Origin")
	}
	if len(s.Allowed) > 0 { // none allowed is what CheckSite assumes without the value
		r = r.WithContext(context.WithValue(r.Context(), allowedOrigins{}, s.Allowed))
	}
	face.ServeHTTP(w, r)
	return true
}

// isPreflight reports whether r is a CORS preflight.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// first is h.Get(key) for a key already canonical: Get checks that it is on every call.
func first(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// CheckSite refuses (Forbidden, rollcall.ReasonCrossSite) a request that a browser sent
// for a page of another site: Sec-Fetch-Site cross-site or same-site, or an Origin other
// than the server's own, unless Sites allowed that origin. Every API face calls it first.
func CheckSite(r *http.Request) error {
	site := first(r.Header, "Sec-Fetch-Site")
	crossSite := site == "cross-site" || site == "same-site"
	origins, hasOrigin := r.Header["Origin"]
	if !crossSite && !hasOrigin {
		return nil // not a browser, or a page of this server
	}
	origin := strings.Join(origins, ",")
	if !crossSite && (origin == "http://"+r.Host || origin == "https://"+r.Host) {
		return nil
	}
	if allowed, _ := r.Context().Value(allowedOrigins{}).([]string); origin != "" && slices.Contains(allowed, origin) {
		return nil
	}
	return &rollcall.Error{Kind: rollcall.Forbidden, Op: "CheckSite", Reason: rollcall.ReasonCrossSite,
		Message: "A web page of another site may not call this API: the request carries a browser's cross-site markers (Sec-Fetch-Site or Origin). Allow the page's origin with --cors-origins."}
}
