package chime

import (
	"errors"
	"net/http"

	"github.com/rollcall/rollcall"
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

// toWire turns any error into Chime's terms.
func toWire(err error) *wireError {
	var we *wireError
	var ve *validate.Error
	var de *httpx.DecodeError
	switch {
	case errors.As(err, &we):
		return we
	case errors.As(err, &ve):
		return badRequest(ve.Message)
	case errors.As(err, &de):
		return badRequest(de.Message)
	case errors.Is(err, httpx.ErrTooLarge):
		return badRequest("The request body is larger than the 1 MiB this service accepts.")
	case rollcall.ErrorReason(err) == rollcall.ReasonUsersNotSuspended:
		// The one error the model declares for DeleteAccount alone.
		return &wireError{status: http.StatusUnprocessableEntity, shape: "UnprocessableEntityException", code: "Unprocessable",
			message: rollcall.ErrorMessage(err), cause: err}
	}
	w := byKind[rollcall.ErrorKind(err)]
	if rollcall.ErrorReason(err) == rollcall.ReasonRequestExpired {
		// AWS's front door answers a stale X-Amz-Date so, for every service; the SDKs
		// (JS v3, botocore) correct their clock and retry only on such a signature error.
		w.shape = invalidSignature
	}
	w.message, w.cause = rollcall.ErrorMessage(err), err
	return &w
}

// invalidSignature is the common AWS error for a signature that does not verify or has
// expired ("Signature expired: ...").
const invalidSignature = "InvalidSignatureException"

// writeError writes err as Chime does: X-Amzn-ErrorType and {"Code", "Message"}.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	we := toWire(err)
	httpx.LogError(r, err)
	httpx.WriteRESTJSONError(w, we.status, we.shape, we.message, map[string]string{"Code": we.code})
}
