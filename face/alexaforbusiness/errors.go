package alexaforbusiness

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
)

// Error shapes this face answers with: the operations' modeled errors, then the common
// errors every AWS JSON 1.1 service may return.
const (
	ErrResourceInUse          = "ResourceInUseException"
	ErrLimitExceeded          = "LimitExceededException"          // modeled; the core has no limit to exceed yet
	ErrConcurrentModification = "ConcurrentModificationException" // modeled; the core serializes writes, so never
	ErrNotFound               = "NotFoundException"
	ErrInvalidUserStatus      = "InvalidUserStatusException" // SendInvitation: no email, or REGISTERED
	ErrValidation             = "ValidationException"
	ErrSerialization          = "SerializationException"
	ErrUnknownOperation       = "UnknownOperationException"
	ErrRequestEntityTooLarge  = "RequestEntityTooLargeException"
	ErrMissingAuthToken       = "MissingAuthenticationTokenException"
	ErrUnrecognizedClient     = "UnrecognizedClientException"
	ErrInvalidSignature       = "InvalidSignatureException"
	ErrIncompleteSignature    = "IncompleteSignatureException"
	ErrExpiredToken           = "ExpiredTokenException"
	ErrAccessDenied           = "AccessDeniedException"
	ErrThrottling             = "ThrottlingException"
	ErrServiceUnavailable     = "ServiceUnavailable"
	ErrInternalFailure        = "InternalFailure"
)

var errContentType = &awsx.Failure{Status: http.StatusBadRequest, Shape: ErrUnknownOperation,
	Message: "The request's Content-Type must be " + httpx.AWSJSONContentType + "."}

func errUnknownOperation(op string) error {
	return &awsx.Failure{Status: http.StatusBadRequest, Shape: ErrUnknownOperation,
		Message: "The operation " + strconv.Quote(op) + " is not supported by Alexa for Business here; rollcall implements CreateUser, SearchUsers, DeleteUser, TagResource, UntagResource, ListTags, " +
			"SendInvitation, RevokeInvitation, PutInvitationConfiguration and GetInvitationConfiguration."}
}

// tokenError carries the request's ClientRequestToken to the error table, which adds it
// to ResourceInUseException bodies as the model allows.
type tokenError struct {
	err   error
	token string
}

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

func withToken(err error, token string) error {
	if token == "" {
		return err
	}
	return &tokenError{err: err, token: token}
}

// authErrors maps the authenticator's Reasons to this protocol's errors. AWS JSON (Coral)
// services answer every authentication failure with 400, unlike REST services behind
// API Gateway (403). An empty message means "use the verifier's own words".
var authErrors = map[string]awsx.Failure{
	rollcall.ReasonMissingAuth:     {Status: http.StatusBadRequest, Shape: ErrMissingAuthToken, Message: awsx.MsgMissingAuthenticationToken},
	rollcall.ReasonUnknownKey:      {Status: http.StatusBadRequest, Shape: ErrUnrecognizedClient, Message: awsx.MsgSecurityTokenInvalid},
	rollcall.ReasonInvalidToken:    {Status: http.StatusBadRequest, Shape: ErrUnrecognizedClient, Message: awsx.MsgSecurityTokenInvalid},
	rollcall.ReasonBadSignature:    {Status: http.StatusBadRequest, Shape: ErrInvalidSignature, Message: awsx.MsgSignatureMismatch},
	rollcall.ReasonRequestExpired:  {Status: http.StatusBadRequest, Shape: ErrInvalidSignature},
	rollcall.ReasonExpiredToken:    {Status: http.StatusBadRequest, Shape: ErrExpiredToken, Message: awsx.MsgSecurityTokenExpired},
	rollcall.ReasonMalformedAuth:   {Status: http.StatusBadRequest, Shape: ErrIncompleteSignature},
	rollcall.ReasonWrongScope:      {Status: http.StatusBadRequest, Shape: ErrInvalidSignature},
	rollcall.ReasonUnsupportedAlgo: {Status: http.StatusBadRequest, Shape: ErrIncompleteSignature},
}

// toWire is the face's one error table: status and {"__type", "message"} (and the
// ClientRequestToken of a ResourceInUseException).
func toWire(r *http.Request, err error) awsx.Wire {
	return awsx.JSON11(classify(r, err))
}

// requestErrors are the shapes of the failures of reading and checking a request.
var requestErrors = awsx.RequestErrors{Unreadable: ErrSerialization, TooLarge: ErrRequestEntityTooLarge,
	Invalid: ErrValidation, Undecodable: ErrSerialization}

func classify(r *http.Request, err error) (status int, shape, message string, extra map[string]any) {
	if f := requestErrors.Failure(err); f != nil {
		return f.Status, f.Shape, f.Message, nil
	}
	msg := wording(err)
	switch kind := rollcall.ErrorKind(err); kind {
	case rollcall.Invalid:
		if rollcall.ErrorReason(err) == rollcall.ReasonWrongState {
			return http.StatusBadRequest, ErrInvalidUserStatus, msg, nil
		}
		return http.StatusBadRequest, ErrValidation, msg, nil
	case rollcall.NotFound:
		return http.StatusBadRequest, ErrNotFound, msg, nil
	case rollcall.Conflict:
		// A taken UserId, or a ClientRequestToken reused with other parameters
		// (rollcall.ReasonIdempotencyMismatch): both are "in use".
		var te *tokenError
		if errors.As(err, &te) {
			extra = map[string]any{"ClientRequestToken": te.token}
		}
		return http.StatusBadRequest, ErrResourceInUse, msg, extra
	case rollcall.Unauthorized, rollcall.Forbidden:
		reason := rollcall.ErrorReason(err)
		ae, ok := authErrors[reason]
		if !ok {
			if kind == rollcall.Forbidden {
				return http.StatusBadRequest, ErrAccessDenied, msg, nil
			}
			return http.StatusBadRequest, ErrUnrecognizedClient, awsx.MsgSecurityTokenInvalid, nil
		}
		if ae.Message == "" {
			ae.Message = awsx.VerifierMessage(r, err, "a4b")
		}
		return ae.Status, ae.Shape, ae.Message, nil
	case rollcall.Throttled:
		return http.StatusBadRequest, ErrThrottling, "Rate exceeded", nil
	case rollcall.Unavailable:
		return http.StatusServiceUnavailable, ErrServiceUnavailable, msg, nil
	default:
		return http.StatusInternalServerError, ErrInternalFailure, "An internal error occurred.", nil
	}
}
