package chime

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/iam"
	"github.com/rollcall/rollcall/pagetoken"
	"github.com/rollcall/rollcall/ratelimit"
	"github.com/rollcall/rollcall/validate"
)

// Name is the face's name in the request log.
const Name = "chime"

// Operations are the operation names the face gives the request log (and the metrics'
// operation label): those of its rows in the IAM table (every operation it routes has
// one), and the name it answers an unmatched request with.
var Operations = append(iam.Names(iam.FaceChime), "Unknown")

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
// error table. Once the caller is known it checks the request's URI, for rt: the query
// parameters, then the path's labels.
func (f *Face) pipeline(rt route) *awsx.Pipeline {
	return &awsx.Pipeline{Name: Name, Auth: f.auth, Limits: f.Limits, Faults: f.Faults, Errors: toWire, ContentType: "application/json", IAM: f.IAM, Now: f.svc.Core.Time,
		Ready: func(r *http.Request, _ rollcall.Caller) error {
			if err := singleValued(r.URL.Query()); err != nil {
				return err
			}
			return rt.checkPath()
		}}
}

// Match claims /accounts and everything below it.
func (f *Face) Match(r *http.Request) bool {
	p := r.URL.EscapedPath()
	return p == "/accounts" || strings.HasPrefix(p, "/accounts/")
}

// handler serves one operation once the caller is authenticated.
type handler func(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error)

// route is a request's operation and the URI labels its path carries.
type route struct {
	op        string
	accountID string
	userID    string
	labels    int // how many of accountId, userId the path carries, in that order
	h         handler
}

// pathRules are the constraints of the URI labels, in path order: every operation's
// accountId and userId are the model's NonEmptyString. (GetUserSettings and
// UpdateUserSettings declare theirs plain Strings, but every SDK refuses an empty
// label, and the same ID names the same account or user whichever operation reads it.)
var pathRules = [...]validate.Rule{accountRules.AccountID, lifecycleRules.UserID}

// checkPath checks the route's URI labels: the one place any operation's are checked,
// before its handler runs.
func (rt route) checkPath() error {
	var errs validate.Errors
	labels := [...]*string{&rt.accountID, &rt.userID}
	for i := range rt.labels {
		errs.String(pathRules[i], labels[i])
	}
	return errs.Err()
}

// route dispatches on method, raw path and query, as the SDKs build them. The path's
// odd segments are its labels: /accounts/{accountId}/users/{userId}/settings.
func (f *Face) route(r *http.Request) (route, bool) {
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	var rt route
	for i, p := range []*string{&rt.accountID, &rt.userID} {
		if 2*i+1 >= len(segs) {
			break
		}
		var err error
		if *p, err = url.PathUnescape(segs[2*i+1]); err != nil {
			return route{}, false
		}
		rt.labels++
	}
	rt.op, rt.h = f.operation(r, segs)
	return rt, rt.h != nil
}

// operation names the operation of a request with the path segments segs, and its
// handler; nil when there is none.
func (f *Face) operation(r *http.Request, segs []string) (string, handler) {
	op := r.URL.Query().Get("operation")
	get, post, put, del := r.Method == http.MethodGet, r.Method == http.MethodPost, r.Method == http.MethodPut, r.Method == http.MethodDelete
	switch len(segs) {
	case 1:
		switch {
		case post:
			return "CreateAccount", f.createAccount
		case get:
			return "ListAccounts", f.listAccounts
		}
	case 2:
		switch {
		case get:
			return "GetAccount", f.getAccount
		case post && op == "associate-signin-delegate-groups":
			return "AssociateSigninDelegateGroupsWithAccount", f.associateSigninDelegateGroups
		case post && op == "disassociate-signin-delegate-groups":
			return "DisassociateSigninDelegateGroupsFromAccount", f.disassociateSigninDelegateGroups
		case post:
			return "UpdateAccount", f.updateAccount
		case del:
			return "DeleteAccount", f.deleteAccount
		}
	case 3:
		switch {
		case segs[2] == "settings" && get:
			return "GetAccountSettings", f.getAccountSettings
		case segs[2] == "settings" && put:
			return "UpdateAccountSettings", f.updateAccountSettings
		case segs[2] != "users":
		case get:
			return "ListUsers", f.listUsers
		case post && op == "create":
			return "CreateUser", f.createUser
		case post && op == "add":
			return "InviteUsers", f.inviteUsers
		case post && op == "suspend":
			return "BatchSuspendUser", f.batchSuspend(true)
		case post && op == "unsuspend":
			return "BatchUnsuspendUser", f.batchSuspend(false)
		case post && !r.URL.Query().Has("operation"):
			return "BatchUpdateUser", f.batchUpdateUser
		}
	case 4:
		switch {
		case segs[2] != "users":
		case get:
			return "GetUser", f.getUser
		case post && op == "reset-personal-pin":
			return "ResetPersonalPIN", f.resetPersonalPIN
		case post && op == "logout":
			return "LogoutUser", f.logoutUser
		case post && !r.URL.Query().Has("operation"):
			return "UpdateUser", f.updateUser
		}
	case 5:
		switch {
		case segs[2] != "users" || segs[4] != "settings":
		case get:
			return "GetUserSettings", f.getUserSettings
		case put:
			return "UpdateUserSettings", f.updateUserSettings
		}
	}
	return "", nil
}

func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, ok := f.route(r)
	p := f.pipeline(rt)
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
