package chime

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/ratelimit"
)

// Name is the face's name in the request log.
const Name = "chime"

// Face serves the Amazon Chime API.
type Face struct {
	svc  *rollcall.Service
	auth httpx.Authenticator
	// TokenKey signs pagination tokens so they are tamper-evident. Replicas that share a
	// database must share it; New sets a random one.
	TokenKey []byte
	// Limits throttles per tenant and operation ("chime.CreateUser"); nil = no limits.
	Limits *ratelimit.Limiter
}

// New returns the face; auth verifies SigV4 signatures for the service "chime".
func New(svc *rollcall.Service, auth httpx.Authenticator) *Face {
	key := make([]byte, 32)
	rand.Read(key)
	return &Face{svc: svc, auth: auth, TokenKey: key}
}

// Match claims /accounts and everything below it.
func (f *Face) Match(r *http.Request) bool {
	p := r.URL.EscapedPath()
	return p == "/accounts" || strings.HasPrefix(p, "/accounts/")
}

// handler serves one operation once the caller is authenticated.
type handler func(w http.ResponseWriter, r *http.Request, c rollcall.Caller, rt route, body []byte) error

// route is a request's operation and the URI parameters it carries.
type route struct {
	op        string
	accountID string
	h         handler
}

// route dispatches on method, raw path and query, as the SDKs build them.
func (f *Face) route(r *http.Request) (route, bool) {
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	account := ""
	if len(segs) > 1 {
		var err error
		if account, err = url.PathUnescape(segs[1]); err != nil {
			return route{}, false
		}
	}
	switch {
	case len(segs) == 1 && r.Method == http.MethodPost:
		return route{op: "CreateAccount", h: f.createAccount}, true
	case len(segs) == 1 && r.Method == http.MethodGet:
		return route{op: "ListAccounts", h: f.listAccounts}, true
	case len(segs) == 2 && r.Method == http.MethodGet:
		return route{op: "GetAccount", accountID: account, h: f.getAccount}, true
	case len(segs) == 2 && r.Method == http.MethodDelete:
		return route{op: "DeleteAccount", accountID: account, h: f.deleteAccount}, true
	case len(segs) == 3 && segs[2] == "users" && r.Method == http.MethodPost && r.URL.Query().Get("operation") == "create":
		return route{op: "CreateUser", accountID: account, h: f.createUser}, true
	}
	return route{}, false
}

func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, ok := f.route(r)
	if !ok {
		httpx.Annotate(r, Name, "Unknown")
		writeError(w, r, &wireError{status: http.StatusNotFound, shape: "NotFoundException", code: "NotFound",
			message: "No Amazon Chime operation matches " + r.Method + " " + r.URL.EscapedPath() + "."})
		return
	}
	httpx.Annotate(r, Name, rt.op)
	if err := f.serve(w, r, rt); err != nil {
		writeError(w, r, err)
	}
}

func (f *Face) serve(w http.ResponseWriter, r *http.Request, rt route) error {
	body, err := httpx.ReadBody(r, httpx.MaxBodyBytes)
	if err != nil {
		if !errors.Is(err, httpx.ErrTooLarge) {
			err = &wireError{status: http.StatusBadRequest, shape: "BadRequestException", code: "BadRequest", message: "The request body could not be read.", cause: err}
		}
		return err
	}
	c, err := f.auth.Authenticate(r, body)
	if err != nil {
		return err
	}
	httpx.SetTenant(r, c.TenantID)
	if err := f.Limits.Check(c.TenantID, Name+"."+rt.op); err != nil {
		return err
	}
	return rt.h(w, r, c, rt, body)
}
