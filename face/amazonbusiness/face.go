package amazonbusiness

import (
	"mime"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/ratelimit"
)

// Name is the face's name in the request log.
const Name = "amazonbusiness"

// Operations are the operation names the face gives the request log (and the metrics'
// operation label), the name it answers an unmatched request with included.
var Operations = []string{"createBusinessUserAccount", "unknown"}

// Prefix is the path prefix the face claims.
const Prefix = "/businessAccounts/"

// CreatePath is the path of createBusinessUserAccount.
const CreatePath = "/businessAccounts/2021-08-30/businessUserAccount"

// DefaultRateLimit is the documented limit of createBusinessUserAccount: 1 request per
// second (with a burst of 5), as x-amzn-RateLimit-Limit spells it.
const DefaultRateLimit = "1.0"

// Face serves the Amazon Business User Management API.
type Face struct {
	svc  *business.Service
	auth httpx.Authenticator

	// RateLimit is the value of the x-amzn-RateLimit-Limit header: the caller's limit for
	// the operation in requests per second, as a decimal string. "" means DefaultRateLimit.
	RateLimit string
	// Limits throttles per business and operation (OpCreate); nil = no limits. When it
	// limits OpCreate, x-amzn-RateLimit-Limit reports that limit.
	Limits *ratelimit.Limiter
	// Faults injects the fault rules that match a request (package fault); nil = none.
	Faults awsx.Injector

	limitHeader atomic.Pointer[limitHeader] // withRateLimitHeader's, for its last value

	// The pipeline's func values, made once in New: as method values made in ServeHTTP
	// they were an allocation each per request, and took the pipeline to the heap.
	errors awsx.ErrorTable
	create awsx.Handler
}

// OpCreate names createBusinessUserAccount for rate limits.
const OpCreate = Name + ".createBusinessUserAccount"

// New returns the face. auth authenticates Amazon Business access tokens
// (x-amz-access-token).
func New(svc *business.Service, auth httpx.Authenticator) *Face {
	f := &Face{svc: svc, auth: auth, RateLimit: DefaultRateLimit}
	f.errors, f.create = f.toWire, f.createBusinessUserAccount
	return f
}

// Match claims every path under /businessAccounts/, whatever the method, so that other
// methods and unknown paths there are answered in this API's error format.
func (f *Face) Match(r *http.Request) bool {
	return strings.HasPrefix(httpx.PlainPath(r.URL), Prefix)
}

// ServeHTTP dispatches on method and raw path and runs the operation behind the AWS
// pipeline: the access token (it does not cover the body, so it comes first), throttle,
// content type, body. Every failure goes through toWire.
func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := &awsx.Pipeline{Name: Name, Auth: f.auth, AuthBeforeBody: true, Limits: f.Limits, Faults: f.Faults, Errors: f.errors,
		ContentType: "application/json", Check: checkRequestContentType}
	switch {
	case httpx.PlainPath(r.URL) != CreatePath:
		p.Unknown(w, r, "unknown", errNoSuchPath(r.Method, r.URL.EscapedPath()))
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		p.Unknown(w, r, "unknown", errMethodNotAllowed(r.Method))
	default:
		p.ServeDeclared(w, r, "createBusinessUserAccount", createdBody, f.create)
	}
}

// checkRequestContentType is the pipeline's Check: r's Content-Type, by checkContentType.
func checkRequestContentType(r *http.Request) error {
	return checkContentType(r.Header.Get("Content-Type"))
}

// checkContentType accepts application/json with an optional UTF-8 charset. The
// usual value, application/json alone, is told without parsing (mime.ParseMediaType
// allocates its parameters' map).
func checkContentType(v string) error {
	if v == "application/json" {
		return nil
	}
	if v == "" {
		return &unsupportedMediaType{message: "The request has no Content-Type; the body must be application/json."}
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil || mt != "application/json" {
		return &unsupportedMediaType{message: "Unsupported Content-Type: '" + truncate(v) + "'. The body must be application/json."}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return &unsupportedMediaType{message: "Unsupported charset: '" + truncate(cs) + "'. The body must be UTF-8 encoded JSON."}
	}
	return nil
}

// rateLimit returns the value of x-amzn-RateLimit-Limit.
func (f *Face) rateLimit() string {
	if lim := f.Limits.Limit(OpCreate); lim.Enabled() {
		return lim.Header()
	}
	if f.RateLimit == "" {
		return DefaultRateLimit
	}
	return f.RateLimit
}

// withRateLimit reports whether a response of this status carries x-amzn-RateLimit-Limit:
// the reference page lists it for 201, 400 and 404.
func withRateLimit(status int) bool {
	return status == http.StatusCreated || status == http.StatusBadRequest || status == http.StatusNotFound
}

// withRateLimitHeader adds x-amzn-RateLimit-Limit to h where the page lists it for
// status. For h nil (every answer but the errors that carry headers of their own) it
// returns a header made once per value, which the pipeline copies and nothing changes.
func (f *Face) withRateLimitHeader(h http.Header, status int) http.Header {
	if !withRateLimit(status) {
		return h
	}
	v := f.rateLimit()
	if h != nil {
		h.Set(rateLimitHeader, v)
		return h
	}
	if c := f.limitHeader.Load(); c != nil && c.value == v {
		return c.h
	}
	c := &limitHeader{value: v, h: http.Header{rateLimitHeader: {v}}}
	f.limitHeader.Store(c)
	return c.h
}

// rateLimitHeader is x-amzn-RateLimit-Limit, canonical.
var rateLimitHeader = http.CanonicalHeaderKey("x-amzn-RateLimit-Limit")

// limitHeader is a header that holds x-amzn-RateLimit-Limit: value alone.
type limitHeader struct {
	value string
	h     http.Header
}
