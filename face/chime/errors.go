package chime

import (
	"errors"
	"net/http"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/validate"
)

// wireError is an error already in Chime's terms.
type wireError struct {
	status  int
	shape   string // X-Amzn-ErrorType, e.g. BadRequestException
	code    string // the body's Code, one of the model's ErrorCode values
	message string
	cause   error
}

func (e *wireError) Error() string { return e.shape + ": " + e.message }
func (e *wireError) Unwrap() error { return e.cause }

func badRequest(message string) *wireError {
	return &wireError{status: http.StatusBadRequest, shape: "BadRequestException", code: "BadRequest", message: message}
}

// byKind is the one table from error kind to Chime's status, shape and code.
var byKind = map[rollcall.Kind]wireError{
	rollcall.Invalid:      {status: http.StatusBadRequest, shape: "BadRequestException", code: "BadRequest"},
	rollcall.NotFound:     {status: http.StatusNotFound, shape: "NotFoundException", code: "NotFound"},
	rollcall.Conflict:     {status: http.StatusConflict, shape: "ConflictException", code: "Conflict"},
	rollcall.Unauthorized: {status: http.StatusUnauthorized, shape: "UnauthorizedClientException", code: "Unauthorized"},
	rollcall.Forbidden:    {status: http.StatusForbidden, shape: "ForbiddenException", code: "Forbidden"},
	rollcall.Throttled:    {status: http.StatusTooManyRequests, shape: "ThrottledClientException", code: "Throttled"},
	rollcall.Unavailable:  {status: http.StatusServiceUnavailable, shape: "ServiceUnavailableException", code: "ServiceUnavailable"},
	rollcall.Internal:     {status: http.StatusInternalServerError, shape: "ServiceFailureException", code: "ServiceFailure"},
}

// toWire is the face's one error table: it turns any error into Chime's status,
// X-Amzn-ErrorType and body {"Code", "Message"}.
func toWire(r *http.Request, err error) awsx.Wire {
	we := classify(r, err)
	return awsx.RESTJSON(we.status, we.shape, we.message, map[string]any{"Code": we.code})
}

func classify(r *http.Request, err error) *wireError {
	var we *wireError
	var ve *validate.Error
	var de *httpx.DecodeError
	var ue *awsx.ErrUnreadable
	var f *awsx.Failure
	switch {
	case errors.As(err, &we):
		return we
	case errors.As(err, &f):
		// The pipeline's IAM denial: ForbiddenException, whose Code is Forbidden.
		return &wireError{status: f.Status, shape: f.Shape, code: codeOf(f.Shape), message: f.Message, cause: err}
	case errors.As(err, &ve):
		return badRequest(ve.Message)
	case errors.As(err, &de):
		return badRequest(de.Message)
	case errors.Is(err, httpx.ErrTooLarge):
		return badRequest("The request body is larger than the 1 MiB this service accepts.")
	case errors.As(err, &ue):
		return badRequest("The request body could not be read.")
	case rollcall.ErrorReason(err) == rollcall.ReasonNotEmpty:
		// The one error the model declares for DeleteAccount alone.
		return &wireError{status: http.StatusUnprocessableEntity, shape: "UnprocessableEntityException", code: "Unprocessable",
			message: wording(err), cause: err}
	}
	kind := rollcall.ErrorKind(err)
	w := byKind[kind]
	if rollcall.ErrorReason(err) == rollcall.ReasonRequestExpired {
		// AWS's front door answers a stale X-Amz-Date so, for every service; the SDKs
		// (JS v3, botocore) correct their clock and retry only on such a signature error.
		w.shape = invalidSignature
	}
	w.message, w.cause = wording(err), err
	if (kind == rollcall.Unauthorized || kind == rollcall.Forbidden) && awsx.LeaksSecret(r, w.message) {
		// The verifier quotes what it could not parse; never a secret of the request.
		w.message = msgNotAuthenticated
	}
	return &w
}

// msgNotAuthenticated words an authentication failure whose own message would echo a
// signature or token.
const msgNotAuthenticated = "The request could not be authenticated: check the Authorization header and the signing method."

// invalidSignature is the common AWS error for a signature that does not verify or has
// expired ("Signature expired: ...").
const invalidSignature = "InvalidSignatureException"

// codeOf is the body's Code of an error shape of byKind.
func codeOf(shape string) string {
	for _, w := range byKind {
		if w.shape == shape {
			return w.code
		}
	}
	return byKind[rollcall.Internal].code
}
