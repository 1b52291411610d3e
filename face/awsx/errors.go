package awsx

import "github.com/rollcall/rollcall"

// Failure is an error a face raises itself, already in its wire terms: status, error
// shape and message. The cause is for the log only.
type Failure struct {
	Status  int
	Shape   string
	Message string
	Cause   error
}

func (e *Failure) Error() string {
	if e.Cause != nil {
		return e.Shape + ": " + e.Message + ": " + e.Cause.Error()
	}
	return e.Shape + ": " + e.Message
}

func (e *Failure) Unwrap() error { return e.Cause }

// The words of AWS's common authentication errors, as every AWS service answers them.
const (
	MsgSignatureMismatch          = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	MsgSecurityTokenInvalid       = "The security token included in the request is invalid."
	MsgSecurityTokenExpired       = "The security token included in the request is expired"
	MsgMissingAuthenticationToken = "Request is missing Authentication Token"
)

// AuthFallback is the message for an authentication failure whose verifier gave none,
// or one that would echo a secret, for a request signed for service ("workdocs").
func AuthFallback(reason, service string) string {
	switch reason {
	case rollcall.ReasonRequestExpired:
		return "Signature expired."
	case rollcall.ReasonMalformedAuth:
		return "The Authorization header is malformed."
	case rollcall.ReasonWrongScope:
		return "Credential should be scoped to correct service: '" + service + "'."
	case rollcall.ReasonUnsupportedAlgo:
		return "Unsupported AWS 'algorithm'; use AWS4-HMAC-SHA256."
	}
	return ""
}
