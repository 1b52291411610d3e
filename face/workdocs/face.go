package workdocs

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/iam"
	"github.com/rollcall/rollcall/pagetoken"
	"github.com/rollcall/rollcall/workdocs"
)

// Name is the face's name in the request log.
const Name = "workdocs"

// Operations are the operation names the face gives the request log (and the metrics'
// operation label): those of its rows in the IAM table (every operation it routes has
// one), and the name it answers an unmatched request with.
var Operations = append(iam.Names(iam.FaceWorkDocs), "UnknownOperation")

// Paths of the WorkDocs API. Every WorkDocs operation lives under APIPrefix. rollcall
// implements CreateUser (POST UsersPath), DescribeUsers (GET UsersPath), GetCurrentUser
// (GET MePath), UpdateUser and DeleteUser (PATCH and DELETE UsersPath/{UserId}), and
// ActivateUser and DeactivateUser (POST and DELETE UsersPath/{UserId}/activation).
const (
	APIPrefix      = "/api/v1/"
	UsersPath      = "/api/v1/users"
	MePath         = "/api/v1/me"
	activationPath = "activation"
)

// AuthenticationHeader carries a WorkDocs user token (the model's AuthenticationToken).
const AuthenticationHeader = "Authentication"

// ContentType is the content type of every response.
const ContentType = "application/json"

// Face serves the WorkDocs API.
type Face struct {
	// Limits ("workdocs.CreateUser"), IAM and faults. IAM evaluates a SigV4 caller's
	// policies only: Authentication-token callers are WorkDocs users, not IAM ones.
	awsx.Guards

	// Markers seals DescribeUsers' Marker. New sets a random key; replicas that serve
	// the same clients must share one (set it from the shared key).
	Markers *pagetoken.Sealer

	svc    *workdocs.Service
	auth   httpx.Authenticator
	tokens Tokens
	// f.authenticate and svc.Core.Time as func values, made once rather than per request
	authFunc awsx.AuthFunc
	now      func() time.Time
}

// Tokens authenticates WorkDocs Authentication tokens (auth/token.Tokens).
type Tokens interface {
	WorkDocs(ctx context.Context, token string) (rollcall.Caller, error)
}

// handler serves one operation; body has been read and the caller authenticated.
type handler = awsx.Handler

// New returns the face. auth verifies SigV4 signatures for the service "workdocs";
// tokens checks the Authentication header.
func New(svc *workdocs.Service, auth httpx.Authenticator, tokens Tokens) *Face {
	f := &Face{svc: svc, auth: auth, tokens: tokens, Markers: pagetoken.NewRandom()}
	f.authFunc, f.now = f.authenticate, func() time.Time { return f.svc.Core.Time() }
	return f
}

// Match claims every request under /api/v1/, the WorkDocs API's prefix, so that an
// operation rollcall does not implement is answered in WorkDocs' error format. It looks
// at the raw path: an unclean one ("//api/v1/users") is not WorkDocs'.
func (f *Face) Match(r *http.Request) bool {
	return strings.HasPrefix(httpx.PlainPath(r.URL), APIPrefix)
}

// ServeHTTP routes on method and raw path (not the query string: DescribeUsers reads its
// members there, and every operation ignores parameters it does not define, as the
// service does), then runs the operation behind the AWS pipeline: body, authentication
// (SigV4 or the Authentication token), tenant, throttle. Every failure goes through
// toWire.
func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := &awsx.Pipeline{Name: Name, Auth: f.authFunc, Limits: f.Limits, Faults: f.Faults, Errors: toWire, ContentType: ContentType, IAM: f.IAM, Now: f.now}
	op, h := f.route(r)
	if h == nil {
		p.Unknown(w, r, "UnknownOperation", errUnknownOperation(r))
		return
	}
	p.Serve(w, r, op, h)
}

// route picks the operation. The UserId label is one raw path segment (the SDK escapes
// it); withUserID decodes it for the handler.
func (f *Face) route(r *http.Request) (string, handler) {
	path := r.URL.EscapedPath()
	switch {
	case path == UsersPath && r.Method == http.MethodPost:
		return "CreateUser", f.createUser
	case path == UsersPath && r.Method == http.MethodGet:
		return "DescribeUsers", f.describeUsers
	case path == MePath && r.Method == http.MethodGet:
		return "GetCurrentUser", f.getCurrentUser
	}
	id, sub, ok := userPath(path)
	switch {
	case !ok:
	case sub == "" && r.Method == http.MethodPatch:
		return "UpdateUser", withUserID(id, f.updateUser)
	case sub == "" && r.Method == http.MethodDelete:
		return "DeleteUser", withUserID(id, userOnly(f.deleteUser))
	case sub == activationPath && r.Method == http.MethodPost:
		return "ActivateUser", withUserID(id, userOnly(f.activateUser))
	case sub == activationPath && r.Method == http.MethodDelete:
		return "DeactivateUser", withUserID(id, userOnly(f.deactivateUser))
	}
	return "", nil
}

// userPath splits UsersPath/{UserId}[/sub] into the raw UserId segment and sub. An empty
// segment is an empty UserId: the operation's, which its handler refuses as it refuses
// any UserId that breaks the model's constraints (length 1 to 256, the IdType pattern):
// ValidationException 400, once the caller is authenticated. The SDKs refuse an empty
// label before sending; one that comes anyway names the operation, as in Chime.
func userPath(path string) (id, sub string, ok bool) {
	rest, ok := strings.CutPrefix(path, UsersPath+"/")
	if !ok {
		return "", "", false
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 1:
		return parts[0], "", true
	case len(parts) == 2 && parts[1] == activationPath:
		return parts[0], activationPath, true
	}
	return "", "", false
}

// authenticate identifies the caller: by SigV4 signature when the request carries one,
// else by the Authentication header (a WorkDocs user token, which acts as that user: only
// an organization's ADMIN may create or manage users with one).
func (f *Face) authenticate(r *http.Request, body []byte) (rollcall.Caller, error) {
	if !hasSigV4(r) {
		if token, ok := authenticationToken(r); ok {
			// The token's own constraint comes first, as for any member.
			if err := validateToken(token); err != nil {
				return rollcall.Caller{}, err
			}
			return f.tokens.WorkDocs(r.Context(), *token)
		}
	}
	return f.auth.Authenticate(r, body)
}

// hasSigV4 reports whether r carries a SigV4 signature, in the Authorization header or in
// the query string (a presigned URL).
func hasSigV4(r *http.Request) bool {
	if _, ok := r.Header["Authorization"]; ok {
		return true
	}
	q := r.URL.Query()
	return q.Has("X-Amz-Signature") || q.Has("X-Amz-Algorithm")
}

// authenticationToken returns the Authentication header, and whether it is there at all
// (an empty header is there, and too short).
func authenticationToken(r *http.Request) (*string, bool) {
	v, ok := r.Header[http.CanonicalHeaderKey(AuthenticationHeader)]
	if !ok {
		return nil, false
	}
	token := strings.Join(v, ",")
	return &token, true
}
