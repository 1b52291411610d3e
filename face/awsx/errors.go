package awsx

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/validate"
)

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

// VerifierMessage is the verifier's own words for an authentication failure (the
// message of err's rollcall.Error), unless there are none or they would echo one of r's
// secrets: then AuthFallback's.
func VerifierMessage(r *http.Request, err error, service string) string {
	var e *rollcall.Error
	msg := ""
	if errors.As(err, &e) {
		msg = e.Message
	}
	if msg == "" || LeaksSecret(r, msg) {
		return AuthFallback(rollcall.ErrorReason(err), service)
	}
	return msg
}

// RequestErrors names the error shapes a face answers the failures of reading and
// checking a request with, which come before the core's rules.
type RequestErrors struct {
	Unreadable  string // 400: the body could not be read (ErrUnreadable)
	TooLarge    string // 413: the body is over httpx.MaxBodyBytes
	Invalid     string // 400: a member fails its constraints (validate.Error)
	Undecodable string // 400: the body does not decode (httpx.DecodeError)
	// DecodeMessage rewrites a decode error's message; nil keeps it.
	DecodeMessage func(string) string
}

// Failure returns err in wire terms when it is a Failure already or one of the request's
// failures; nil for anything else (the core's errors, which the face's table words).
func (re RequestErrors) Failure(err error) *Failure {
	var f *Failure
	var ve *validate.Error
	var de *httpx.DecodeError
	var ue *ErrUnreadable
	switch {
	case errors.As(err, &f):
		return f
	case errors.As(err, &ue):
		// The client went away or sent a broken chunked body.
		return &Failure{Status: http.StatusBadRequest, Shape: re.Unreadable, Message: "The request body could not be read."}
	case errors.Is(err, httpx.ErrTooLarge):
		return &Failure{Status: http.StatusRequestEntityTooLarge, Shape: re.TooLarge,
			Message: "The request body must not be larger than " + strconv.Itoa(httpx.MaxBodyBytes) + " bytes."}
	case errors.As(err, &ve):
		return &Failure{Status: http.StatusBadRequest, Shape: re.Invalid, Message: ve.Message}
	case errors.As(err, &de):
		msg := de.Message
		if re.DecodeMessage != nil {
			msg = re.DecodeMessage(msg)
		}
		return &Failure{Status: http.StatusBadRequest, Shape: re.Undecodable, Message: msg}
	}
	return nil
}
