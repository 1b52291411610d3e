package alexaforbusiness

import (
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/iam"
	"github.com/rollcall/rollcall/pagetoken"
)

// Name is the face's name in the request log.
const Name = "alexaforbusiness"

// Operations are the operation names the face gives the request log (and the metrics'
// operation label): those of its rows in the IAM table (every operation it routes has
// one), and the name it answers an unmatched request with.
var Operations = append(iam.Names(iam.FaceAlexaForBusiness), "UnknownOperation")

// TargetPrefix is how every X-Amz-Target of this API starts.
const TargetPrefix = "AlexaForBusiness."

// MustSign are the headers a request's signature must cover (auth.MustSign): the
// operation is routed on X-Amz-Target and the protocol read from Content-Type, so a
// signature that leaves them out could be replayed as another operation.
var MustSign = []string{"x-amz-target", "content-type"}

// Face serves the Alexa for Business API.
type Face struct {
	awsx.Guards // limits ("alexaforbusiness.CreateUser"), IAM, faults

	// Pages seals pagination tokens (NextToken of SearchUsers and ListTags). Replicas that
	// share a database must share its key; New sets a random one.
	Pages *pagetoken.Sealer

	svc  *alexa.Service
	auth httpx.Authenticator
	ops  map[string]handler
	// svc.Core.Time and f.target as func values, made once rather than per request
	now    func() time.Time
	target awsx.TargetFunc
}

// handler serves one operation; body has been read and the caller authenticated.
type handler = awsx.Handler

// New returns the face. auth verifies SigV4 signatures for the service "a4b".
func New(svc *alexa.Service, auth httpx.Authenticator) *Face {
	f := &Face{svc: svc, auth: auth, Pages: pagetoken.NewRandom()}
	f.now, f.target = func() time.Time { return f.svc.Core.Time() }, f.targetOf
	f.ops = map[string]handler{
		"CreateUser":    f.createUser,
		"SearchUsers":   f.searchUsers,
		"DeleteUser":    resourceOp(f, (*userEnrollmentRequest).validate, (*alexa.Service).DeleteUser),
		"TagResource":   resourceOp(f, (*tagResourceRequest).validate, (*alexa.Service).TagResource),
		"UntagResource": resourceOp(f, (*untagResourceRequest).validate, (*alexa.Service).UntagResource),
		"ListTags":      f.listTags,

		"SendInvitation":             f.sendInvitation,
		"RevokeInvitation":           resourceOp(f, (*userEnrollmentRequest).validate, (*alexa.Service).RevokeInvitation),
		"PutInvitationConfiguration": f.putInvitationConfiguration,
		"GetInvitationConfiguration": f.getInvitationConfiguration,
	}
	return f
}

// Match claims POST / requests whose X-Amz-Target names an Alexa for Business operation.
// The query string is ignored, as the real endpoint ignores it.
func (f *Face) Match(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.EscapedPath() == "/" &&
		strings.HasPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
}

// ServeHTTP runs the operation behind the AWS pipeline: content type, body,
// authentication, tenant, throttle. Every failure goes through toWire.
func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := &awsx.Pipeline{Name: Name, Auth: f.auth, Limits: f.Limits, Faults: f.Faults, Errors: toWire, ContentType: httpx.AWSJSONContentType,
		Check: checkContentType, IAM: f.IAM, Target: f.target, Now: f.now}
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
	h, known := f.ops[op]
	if !known {
		p.Unknown(w, r, "UnknownOperation", errUnknownOperation(op))
		return
	}
	p.Serve(w, r, op, h)
}

func checkContentType(r *http.Request) error {
	if !isAWSJSON(r.Header.Get("Content-Type")) {
		return errContentType
	}
	return nil
}

// isAWSJSON reports whether ct is application/x-amz-json-1.1, with any parameters
// (charset) and in any case.
func isAWSJSON(ct string) bool {
	if ct == httpx.AWSJSONContentType {
		return true // as every SDK sends it: nothing to parse
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == httpx.AWSJSONContentType
}
