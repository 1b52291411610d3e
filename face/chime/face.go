package chime

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/iam"
	"github.com/rollcall/rollcall/pagetoken"
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
	Pages       *pagetoken.Sealer
	awsx.Guards // limits ("chime.CreateUser"), IAM, faults
	auth        httpx.Authenticator
	now         func() time.Time // svc.Core.Time as a func value, made once rather than per request
}

// New returns the face; auth verifies SigV4 signatures for the service "chime".
func New(svc *chime.Service, auth httpx.Authenticator) *Face {
	f := &Face{svc: svc, auth: auth, Pages: pagetoken.NewRandom()}
	f.now = func() time.Time { return f.svc.Core.Time() }
	return f
}

// pipeline is the AWS request pipeline with this face's authenticator, limits and
// error table. Once the caller is known, ServeHTTP has it check the request's URI (ready).
func (f *Face) pipeline() *awsx.Pipeline {
	return &awsx.Pipeline{Name: Name, Auth: f.auth, Limits: f.Limits, Faults: f.Faults, Errors: toWire, ContentType: "application/json", IAM: f.IAM, Now: f.now}
}

// ready checks the request's URI for rt: the query parameters, then the path's labels.
func (rt *route) ready(*http.Request, rollcall.Caller) error {
	if err := singleValued(&rt.query); err != nil {
		return err
	}
	return rt.checkPath()
}

// Match claims /accounts and everything below it.
func (f *Face) Match(r *http.Request) bool {
	p := httpx.PlainPath(r.URL)
	return p == "/accounts" || strings.HasPrefix(p, "/accounts/")
}

// route is a request's operation, the URI labels its path carries and its query.
type route struct {
	op        string
	accountID string
	userID    string
	labels    int             // how many of accountId, userId the path carries, in that order
	o         *operationRoute // the routing table's row; nil when none matches
	query     uriQuery        // what the face reads of r.URL.RawQuery, parsed once
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
	var buf [maxRouteSegs]string
	segs := splitPath(buf[:0], strings.TrimPrefix(r.URL.EscapedPath(), "/"))
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
	rt.query = parseQuery(r.URL.RawQuery)
	if rt.o = operation(r.Method, segs, &rt.query); rt.o != nil {
		rt.op = rt.o.name
	}
	return rt, rt.o != nil
}

// maxRouteSegs is the most segments a routed path has (routeTable's longest, with room):
// route splits a path into an array of this many on its stack, where strings.Split made
// a slice on the heap for every request.
const maxRouteSegs = 8

// splitPath appends to segs the segments of p between its slashes, as strings.Split(p,
// "/") returns them (one empty segment for an empty p); past cap(segs), append grows it.
func splitPath(segs []string, p string) []string {
	for {
		i := strings.IndexByte(p, '/')
		if i < 0 {
			return append(segs, p)
		}
		segs, p = append(segs, p[:i]), p[i+1:]
	}
}

// anyOperation, as a route's operation, matches any operation query parameter, or none.
const anyOperation = "*"

// operationRoute is a row of the routing table, in the model's terms: the operation name
// is served for its method and requestUri path, whose {labels} match any one segment,
// when the query's operation parameter has the value operation (anyOperation: any
// value, or none; "": none).
type operationRoute struct {
	method, path, operation, name string
	serve                         func(*Face, *http.Request, rollcall.Caller, route, []byte) (awsx.Response, error)
}

// matches reports whether the row serves a request with this method, path segments and
// query; pattern is the row's path split into segments (routeSegs).
func (o *operationRoute) matches(pattern []string, method string, segs []string, q *uriQuery) bool {
	if o.method != method || len(pattern) != len(segs) {
		return false
	}
	for i, want := range pattern {
		if !strings.HasPrefix(want, "{") && want != segs[i] {
			return false
		}
	}
	switch o.operation {
	case anyOperation:
		return true
	case "":
		return q.n[opParam] == 0
	}
	return q.first[opParam] == o.operation
}

// routeTable is the face's routing table; the first row that matches a request wins.
var routeTable = []operationRoute{
	{"POST", "/accounts", anyOperation, "CreateAccount", (*Face).createAccount},
	{"GET", "/accounts", anyOperation, "ListAccounts", (*Face).listAccounts},
	{"GET", "/accounts/{accountId}", anyOperation, "GetAccount", (*Face).getAccount},
	{"POST", "/accounts/{accountId}", "associate-signin-delegate-groups", "AssociateSigninDelegateGroupsWithAccount", (*Face).associateSigninDelegateGroups},
	{"POST", "/accounts/{accountId}", "disassociate-signin-delegate-groups", "DisassociateSigninDelegateGroupsFromAccount", (*Face).disassociateSigninDelegateGroups},
	{"POST", "/accounts/{accountId}", anyOperation, "UpdateAccount", (*Face).updateAccount},
	{"DELETE", "/accounts/{accountId}", anyOperation, "DeleteAccount", (*Face).deleteAccount},
	{"GET", "/accounts/{accountId}/settings", anyOperation, "GetAccountSettings", (*Face).getAccountSettings},
	{"PUT", "/accounts/{accountId}/settings", anyOperation, "UpdateAccountSettings", (*Face).updateAccountSettings},
	{"GET", "/accounts/{accountId}/users", anyOperation, "ListUsers", (*Face).listUsers},
	{"POST", "/accounts/{accountId}/users", "create", "CreateUser", (*Face).createUser},
	{"POST", "/accounts/{accountId}/users", "add", "InviteUsers", (*Face).inviteUsers},
	{"POST", "/accounts/{accountId}/users", "suspend", "BatchSuspendUser", (*Face).batchSuspendUser},
	{"POST", "/accounts/{accountId}/users", "unsuspend", "BatchUnsuspendUser", (*Face).batchUnsuspendUser},
	{"POST", "/accounts/{accountId}/users", "", "BatchUpdateUser", (*Face).batchUpdateUser},
	{"GET", "/accounts/{accountId}/users/{userId}", anyOperation, "GetUser", (*Face).getUser},
	{"POST", "/accounts/{accountId}/users/{userId}", "reset-personal-pin", "ResetPersonalPIN", (*Face).resetPersonalPIN},
	{"POST", "/accounts/{accountId}/users/{userId}", "logout", "LogoutUser", (*Face).logoutUser},
	{"POST", "/accounts/{accountId}/users/{userId}", "", "UpdateUser", (*Face).updateUser},
	{"GET", "/accounts/{accountId}/users/{userId}/settings", anyOperation, "GetUserSettings", (*Face).getUserSettings},
	{"PUT", "/accounts/{accountId}/users/{userId}/settings", anyOperation, "UpdateUserSettings", (*Face).updateUserSettings},
}

// routeSegs is each row's path split into segments, once rather than per request.
var routeSegs = func() [][]string {
	segs := make([][]string, len(routeTable))
	for i, o := range routeTable {
		segs[i] = strings.Split(strings.TrimPrefix(o.path, "/"), "/")
	}
	return segs
}()

// operation is the routing table's row for a request with this method, path segments
// and query; nil when there is none.
func operation(method string, segs []string, q *uriQuery) *operationRoute {
	for i := range routeTable {
		if o := &routeTable[i]; o.matches(routeSegs[i], method, segs, q) {
			return o
		}
	}
	return nil
}

func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, ok := f.route(r)
	p := f.pipeline()
	if !ok {
		p.Unknown(w, r, "Unknown", &wireError{status: http.StatusNotFound, shape: "NotFoundException", code: "NotFound",
			message: "No Amazon Chime operation matches " + r.Method + " " + r.URL.EscapedPath() + "."})
		return
	}
	p.ServeReady(w, r, rt.op, rt.ready, func(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
		return rt.o.serve(f, r, c, rt, body)
	})
}
