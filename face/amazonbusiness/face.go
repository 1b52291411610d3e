package amazonbusiness

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/ratelimit"
)

// Name is the face's name in the request log.
const Name = "amazonbusiness"

// Prefix is the path prefix the face claims.
const Prefix = "/businessAccounts/"

// CreatePath is the path of createBusinessUserAccount.
const CreatePath = "/businessAccounts/2021-08-30/businessUserAccount"

// DefaultRateLimit is the documented limit of createBusinessUserAccount: 1 request per
// second (with a burst of 5), as x-amzn-RateLimit-Limit spells it.
const DefaultRateLimit = "1.0"

// Face serves the Amazon Business User Management API.
type Face struct {
	svc *rollcall.Service

	// RateLimit is the value of the x-amzn-RateLimit-Limit header: the caller's limit for
	// the operation in requests per second, as a decimal string. "" means DefaultRateLimit.
	RateLimit string
	// Limits throttles per business and operation (OpCreate); nil = no limits. When it
	// limits OpCreate, x-amzn-RateLimit-Limit reports that limit.
	Limits *ratelimit.Limiter
}

// OpCreate names createBusinessUserAccount for rate limits.
const OpCreate = Name + ".createBusinessUserAccount"

// New returns the face. Callers authenticate with access tokens that svc knows.
func New(svc *rollcall.Service) *Face {
	return &Face{svc: svc, RateLimit: DefaultRateLimit}
}

// Match claims every path under /businessAccounts/, whatever the method, so that other
// methods and unknown paths there are answered in this API's error format.
func (f *Face) Match(r *http.Request) bool {
	return strings.HasPrefix(r.URL.EscapedPath(), Prefix)
}

// ServeHTTP dispatches on method and raw path, and writes every failure through
// writeError.
func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	switch {
	case path != CreatePath:
		httpx.Annotate(r, Name, "unknown")
		f.writeError(w, r, errNoSuchPath(r.Method, path))
	case r.Method != http.MethodPost:
		httpx.Annotate(r, Name, "unknown")
		w.Header().Set("Allow", http.MethodPost)
		f.writeError(w, r, errMethodNotAllowed(r.Method))
	default:
		httpx.Annotate(r, Name, "createBusinessUserAccount")
		if err := f.createBusinessUserAccount(w, r); err != nil {
			f.writeError(w, r, err)
		}
	}
}

// authenticate turns the access token into the caller, and records the tenant.
func (f *Face) authenticate(r *http.Request) (rollcall.Caller, error) {
	c, err := f.svc.BusinessCaller(r.Context(), r.Header.Get("x-amz-access-token"))
	if err != nil {
		return rollcall.Caller{}, err
	}
	httpx.SetTenant(r, c.TenantID)
	return c, nil
}

// readJSONBody checks the content type and reads the body (at most httpx.MaxBodyBytes).
func readJSONBody(r *http.Request) ([]byte, error) {
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	body, err := httpx.ReadBody(r, httpx.MaxBodyBytes)
	if err != nil && !errors.Is(err, httpx.ErrTooLarge) {
		return nil, &unreadableBody{err}
	}
	return body, err
}

// checkContentType accepts application/json with an optional UTF-8 charset.
func checkContentType(v string) error {
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

// writeJSON writes a response of this face, with the rate-limit header where the page
// lists it.
func (f *Face) writeJSON(w http.ResponseWriter, status int, v any) {
	if withRateLimit(status) {
		w.Header().Set("x-amzn-RateLimit-Limit", f.rateLimit())
	}
	httpx.WriteJSON(w, status, "application/json", v)
}
