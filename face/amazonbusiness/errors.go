package amazonbusiness

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
)

// Error codes of the ErrorList. The reference page names INVALID_REQUEST_PARAMETER in
// its example; the others follow its style, one per status the page lists.
const (
	codeInvalidParameter = "INVALID_REQUEST_PARAMETER" // 400
	codeAccessDenied     = "ACCESS_DENIED"             // 403
	codeNotFound         = "RESOURCE_NOT_FOUND"        // 404
	codeMethodNotAllowed = "METHOD_NOT_ALLOWED"        // 405 (not on the page)
	codeTooLarge         = "REQUEST_TOO_LARGE"         // 413
	codeUnsupportedMedia = "UNSUPPORTED_MEDIA_TYPE"    // 415
	codeThrottled        = "TOO_MANY_REQUESTS"         // 429
	codeInternal         = "INTERNAL_FAILURE"          // 500
	codeUnavailable      = "SERVICE_UNAVAILABLE"       // 503
)

// errorList is ErrorList.
type errorList struct {
	Errors []apiError `json:"errors"`
}

// apiError is Error.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
}

// statusError is a failure of this face's own making, already in wire form.
type statusError struct {
	status int
	apiError
}

func (e *statusError) Error() string { return e.Message }

func errNoSuchPath(method, path string) error {
	return &statusError{http.StatusNotFound, apiError{Code: codeNotFound,
		Message: "No operation matches " + method + " " + truncate(path) + "."}}
}

func errMethodNotAllowed(method string) error {
	return &statusError{http.StatusMethodNotAllowed, apiError{Code: codeMethodNotAllowed,
		Message: "Method " + truncate(method) + " is not allowed on " + CreatePath + "; use POST."}}
}

// unsupportedMediaType is a Content-Type other than application/json.
type unsupportedMediaType struct{ message string }

func (e *unsupportedMediaType) Error() string { return e.message }

// toWire is the face's one error table: the status and ErrorList the client sees, with
// x-amzn-RateLimit-Limit where the page lists it. Only messages reach the client; causes
// stay in the log.
func (f *Face) toWire(_ *http.Request, err error) awsx.Wire {
	status, list := response(err)
	return awsx.Wire{Status: status, Header: f.withRateLimitHeader(nil, status), Body: errorList{Errors: list}}
}

func response(err error) (int, []apiError) {
	var (
		se  *statusError
		pe  paramErrors
		de  *httpx.DecodeError
		ume *unsupportedMediaType
		ube *awsx.ErrUnreadable
	)
	switch {
	case errors.As(err, &se):
		return se.status, []apiError{se.apiError}
	case errors.As(err, &pe):
		return http.StatusBadRequest, pe
	case errors.As(err, &de):
		return http.StatusBadRequest, []apiError{{Code: codeInvalidParameter, Message: de.Message}}
	case errors.Is(err, httpx.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, []apiError{{Code: codeTooLarge,
			Message: "The request body exceeds the maximum size of " + strconv.Itoa(httpx.MaxBodyBytes) + " bytes."}}
	case errors.As(err, &ume):
		return http.StatusUnsupportedMediaType, []apiError{{Code: codeUnsupportedMedia, Message: ume.message}}
	case errors.As(err, &ube):
		return http.StatusBadRequest, []apiError{{Code: codeInvalidParameter, Message: "The request body could not be read."}}
	}
	msg := wording(err)
	switch rollcall.ErrorKind(err) {
	case rollcall.Invalid, rollcall.Conflict:
		// A used email is a bad parameter on this API: the page lists no 409.
		return http.StatusBadRequest, []apiError{{Code: codeInvalidParameter, Message: msg}}
	case rollcall.NotFound:
		return http.StatusNotFound, []apiError{{Code: codeNotFound, Message: msg}}
	case rollcall.Unauthorized, rollcall.Forbidden:
		return http.StatusForbidden, []apiError{{Code: codeAccessDenied, Message: msg}}
	case rollcall.Throttled:
		return http.StatusTooManyRequests, []apiError{{Code: codeThrottled, Message: msg}}
	case rollcall.Unavailable:
		return http.StatusServiceUnavailable, []apiError{{Code: codeUnavailable, Message: msg}}
	}
	return http.StatusInternalServerError, []apiError{{Code: codeInternal, Message: "An internal error occurred."}}
}
