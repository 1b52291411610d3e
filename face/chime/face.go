package chime

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/pagetoken"
	"github.com/rollcall/rollcall/ratelimit"
)

// Name is the face's name in the request log.
const Name = "chime"

// Operations are the operation names the face gives the request log (and the metrics'
// operation label), the name it answers an unmatched request with included.
var Operations = []string{
	"CreateAccount", "ListAccounts", "GetAccount", "UpdateAccount", "DeleteAccount",
	"AssociateSigninDelegateGroupsWithAccount", "DisassociateSigninDelegateGroupsFromAccount",
	"GetAccountSettings", "UpdateAccountSettings",
	"CreateUser", "ListUsers", "GetUser", "UpdateUser", "InviteUsers",
	"BatchSuspendUser", "BatchUnsuspendUser", "BatchUpdateUser",
	"ResetPersonalPIN", "LogoutUser", "GetUserSettings", "UpdateUserSettings",
	"Unknown",
}

// Face serves the Amazon Chime API.
type Face struct {
	svc *chime.Service
	// Pages seals pagination tokens (NextToken). Replicas that share a database must
	// share its key; New sets a random one.
	Pages *pagetoken.Sealer
	// Limits throttles per tenant and operation ("chime.CreateUser"); nil = no limits.
	Limits *ratelimit.Limiter
	// IAM evaluates the IAM policies of the caller's access key (auth.Policies); nil =
	// none are evaluated.
	IAM awsx.Subjects
	// Faults injects the fault rules that match a request (package fault); nil = none.
	Faults awsx.Injector
	auth   httpx.Authenticator
}

// New returns the face; auth verifies SigV4 signatures for the service "chime".
func New(svc *chime.Service, auth httpx.Authenticator) *Face {
	return &Face{svc: svc, auth: auth, Pages: pagetoken.NewRandom()}
}

// pipeline is the AWS request pipeline with this face's authenticator, limits and
// error table.
func (f *Face) pipeline() *awsx.Pipeline {
	return &awsx.Pipeline{Name: Name, Auth: f.auth, Limits: f.Limits, Faults: f.Faults, Errors: toWire, ContentType: "application/json", IAM: f.IAM, Now: f.svc.Core.Time,
		Ready: func(r *http.Request, _ rollcall.Caller) error { return singleValued(r.URL.Query()) }}
}

// Match claims /accounts and everything below it.
func (f *Face) Match(r *http.Request) bool {
	p := r.URL.EscapedPath()
	return p == "/accounts" || strings.HasPrefix(p, "/accounts/")
}

// handler serves one operation once the caller is authenticated.
type handler func(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error)

// route is a request's operation and the URI parameters it carries.
type route struct {
	op        string
	accountID string
	userID    string
	h         handler
}

// route dispatches on method, raw path and query, as the SDKs build them.
func (f *Face) route(r *http.Request) (route, bool) {
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	ids := make([]string, len(segs))
	for i := 1; i < len(segs); i += 2 {
		var err error
		if ids[i], err = url.PathUnescape(segs[i]); err != nil {
			return route{}, false
		}
	}
	account, user := ids[min(1, len(ids)-1)], ids[len(ids)-1]
	op := r.URL.Query().Get("operation")
	get, post, del := r.Method == http.MethodGet, r.Method == http.MethodPost, r.Method == http.MethodDelete
	switch len(segs) {
	case 1:
		switch {
		case post:
			return route{op: "CreateAccount", h: f.createAccount}, true
		case get:
			return route{op: "ListAccounts", h: f.listAccounts}, true
		}
	case 2:
		switch {
		case get:
			return route{op: "GetAccount", accountID: account, h: f.getAccount}, true
		case post && op == "associate-signin-delegate-groups":
			return route{op: "AssociateSigninDelegateGroupsWithAccount", accountID: account, h: f.associateSigninDelegateGroups}, true
		case post && op == "disassociate-signin-delegate-groups":
			return route{op: "DisassociateSigninDelegateGroupsFromAccount", accountID: account, h: f.disassociateSigninDelegateGroups}, true
		case post:
			return route{op: "UpdateAccount", accountID: account, h: f.updateAccount}, true
		case del:
			return route{op: "DeleteAccount", accountID: account, h: f.deleteAccount}, true
		}
	case 3:
		if segs[2] == "settings" {
			switch {
			case get:
				return route{op: "GetAccountSettings", accountID: account, h: f.getAccountSettings}, true
			case r.Method == http.MethodPut:
				return route{op: "UpdateAccountSettings", accountID: account, h: f.updateAccountSettings}, true
			}
			break
		}
		if segs[2] != "users" {
			break
		}
		switch {
		case get:
			return route{op: "ListUsers", accountID: account, h: f.listUsers}, true
		case post && op == "create":
			return route{op: "CreateUser", accountID: account, h: f.createUser}, true
		case post && op == "add":
			return route{op: "InviteUsers", accountID: account, h: f.inviteUsers}, true
		case post && op == "suspend":
			return route{op: "BatchSuspendUser", accountID: account, h: f.batchSuspend(true)}, true
		case post && op == "unsuspend":
			return route{op: "BatchUnsuspendUser", accountID: account, h: f.batchSuspend(false)}, true
		case post && !r.URL.Query().Has("operation"):
			return route{op: "BatchUpdateUser", accountID: account, h: f.batchUpdateUser}, true
		}
	case 4:
		if segs[2] != "users" {
			break
		}
		rt := route{accountID: account, userID: user}
		switch {
		case get:
			rt.op, rt.h = "GetUser", f.getUser
		case post && op == "reset-personal-pin":
			rt.op, rt.h = "ResetPersonalPIN", f.resetPersonalPIN
		case post && op == "logout":
			rt.op, rt.h = "LogoutUser", f.logoutUser
		case post && !r.URL.Query().Has("operation"):
			rt.op, rt.h = "UpdateUser", f.updateUser
		default:
			return route{}, false
		}
		return rt, true
	case 5:
		if segs[2] != "users" || segs[4] != "settings" {
			break
		}
		user, err := url.PathUnescape(segs[3])
		if err != nil {
			return route{}, false
		}
		switch {
		case get:
			return route{op: "GetUserSettings", accountID: account, userID: user, h: f.getUserSettings}, true
		case r.Method == http.MethodPut:
			return route{op: "UpdateUserSettings", accountID: account, userID: user, h: f.updateUserSettings}, true
		}
	}
	return route{}, false
}

func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := f.pipeline()
	rt, ok := f.route(r)
	if !ok {
		p.Unknown(w, r, "Unknown", &wireError{status: http.StatusNotFound, shape: "NotFoundException", code: "NotFound",
			message: "No Amazon Chime operation matches " + r.Method + " " + r.URL.EscapedPath() + "."})
		return
	}
	p.Serve(w, r, rt.op, func(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
		return rt.h(r, c, rt, body)
	})
}

// queryKeys are the query parameters Chime's operations read, each a single value.
var queryKeys = []string{"operation", "name", "user-email", "user-type", "max-results", "next-token"}

// singleValued refuses a query parameter given twice: the face would read one value
// while the signature covers both, so a client's intent is not what would run.
func singleValued(q url.Values) error {
	for _, k := range queryKeys {
		if len(q[k]) > 1 {
			return badRequest("The query parameter '" + k + "' is given more than once.")
		}
	}
	return nil
}
