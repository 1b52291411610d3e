package workdocs

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
)

// Error shapes this face answers with. The first five are CreateUser's modeled errors;
// the rest are WorkDocs' other modeled errors and the common errors of AWS REST services.
const (
	ErrEntityAlreadyExists        = "EntityAlreadyExistsException"        // 409
	ErrEntityNotExists            = "EntityNotExistsException"            // 404: a user the caller cannot see
	ErrUnauthorizedOperation      = "UnauthorizedOperationException"      // 403
	ErrUnauthorizedResourceAccess = "UnauthorizedResourceAccessException" // 404
	ErrFailedDependency           = "FailedDependencyException"           // 424; nothing in rollcall raises it
	ErrServiceUnavailable         = "ServiceUnavailableException"         // 503
	ErrInvalidArgument            = "InvalidArgumentException"            // 400
	ErrValidation                 = "ValidationException"                 // 400
	ErrThrottling                 = "ThrottlingException"                 // 400: AWS's common error; the model declares none
	ErrRequestEntityTooLarge      = "RequestEntityTooLargeException"      // 413
	ErrUnknownOperation           = "UnknownOperationException"           // 404
	ErrInternalFailure            = "InternalFailure"                     // 500
	ErrInvalidSignature           = "InvalidSignatureException"           // 403: X-Amz-Date outside the allowed skew
)

func errUnknownOperation(r *http.Request) error {
	return &awsx.Failure{Status: http.StatusNotFound, Shape: ErrUnknownOperation,
		Message: "No operation matches " + r.Method + " " + r.URL.EscapedPath() + "; rollcall implements WorkDocs " + implemented + "."}
}

// implemented lists the operations route knows, for errUnknownOperation.
const implemented = "CreateUser (POST " + UsersPath + "), DescribeUsers (GET " + UsersPath + "), GetCurrentUser (GET " + MePath +
	"), UpdateUser (PATCH " + UsersPath + "/{UserId}), DeleteUser (DELETE " + UsersPath + "/{UserId}), ActivateUser (POST " +
	UsersPath + "/{UserId}/activation) and DeactivateUser (DELETE " + UsersPath + "/{UserId}/activation)"

// errInvalidMarker is a Marker these replicas did not mint for this query: forged,
// changed, truncated, or minted for another tenant, organization or filter.
func errInvalidMarker(cause error) error {
	return &awsx.Failure{Status: http.StatusBadRequest, Shape: ErrInvalidArgument,
		Message: "The marker is not valid for this request; start again without it.", Cause: cause}
}

// entityError names the entities of an EntityNotExistsException (its EntityIds).
type entityError struct {
	ids []string
	err error
}

func (e *entityError) Error() string { return e.err.Error() }
func (e *entityError) Unwrap() error { return e.err }

// withEntity attaches the requested user ID to a "no such user" error of the core.
func withEntity(err error, id string) error {
	if isMissingUser(err) {
		return &entityError{ids: []string{id}, err: err}
	}
	return err
}

// authErrors are the messages for the authenticator's Reasons. WorkDocs answers every
// authentication failure with UnauthorizedOperationException 403. An empty message means
// "use the verifier's own words" (unless they would echo a secret; then awsx.AuthFallback).
var authErrors = map[string]string{
	rollcall.ReasonMissingAuth:     awsx.MsgMissingAuthenticationToken,
	rollcall.ReasonUnknownKey:      awsx.MsgSecurityTokenInvalid,
	rollcall.ReasonInvalidToken:    awsx.MsgSecurityTokenInvalid,
	rollcall.ReasonBadSignature:    awsx.MsgSignatureMismatch,
	rollcall.ReasonExpiredToken:    awsx.MsgSecurityTokenExpired,
	rollcall.ReasonRequestExpired:  "",
	rollcall.ReasonMalformedAuth:   "",
	rollcall.ReasonWrongScope:      "",
	rollcall.ReasonUnsupportedAlgo: "",
}

// toWire is the face's one error table: status, X-Amzn-ErrorType and {"Message"} (and
// "EntityIds" for EntityNotExistsException).
func toWire(r *http.Request, err error) awsx.Wire {
	status, shape, message := classify(r, err)
	var ee *entityError
	if shape == ErrEntityNotExists && errors.As(err, &ee) {
		return awsx.RESTJSON(status, shape, message, map[string]any{"EntityIds": ee.ids})
	}
	return awsx.RESTJSON(status, shape, message, nil)
}

// requestErrors are the shapes of the failures of reading and checking a request.
var requestErrors = awsx.RequestErrors{Unreadable: ErrValidation, TooLarge: ErrRequestEntityTooLarge,
	Invalid: ErrValidation, Undecodable: ErrValidation, DecodeMessage: memberPaths}

func classify(r *http.Request, err error) (status int, shape, message string) {
	if f := requestErrors.Failure(err); f != nil {
		return f.Status, f.Shape, f.Message
	}
	msg := wording(err)
	switch kind := rollcall.ErrorKind(err); kind {
	case rollcall.Invalid:
		return http.StatusBadRequest, ErrInvalidArgument, msg
	case rollcall.NotFound:
		// A missing organization or user and another tenant's answer alike.
		if isMissingUser(err) {
			return http.StatusNotFound, ErrEntityNotExists, msg
		}
		return http.StatusNotFound, ErrUnauthorizedResourceAccess, msg
	case rollcall.Conflict:
		return http.StatusConflict, ErrEntityAlreadyExists, msg
	case rollcall.Unauthorized, rollcall.Forbidden:
		if rollcall.ErrorReason(err) == rollcall.ReasonRequestExpired {
			// AWS's front door answers a stale X-Amz-Date so, for every service; the SDKs
			// (JS v3, botocore) correct their clock and retry only on such a signature error.
			return http.StatusForbidden, ErrInvalidSignature, authMessage(r, err, kind)
		}
		return http.StatusForbidden, ErrUnauthorizedOperation, authMessage(r, err, kind)
	case rollcall.Throttled:
		// The WorkDocs model declares no throttling error for any operation, so this is
		// AWS's common ThrottlingException (400), which every SDK retries as throttling.
		return http.StatusBadRequest, ErrThrottling, "Rate exceeded"
	case rollcall.Unavailable:
		return http.StatusServiceUnavailable, ErrServiceUnavailable, msg
	default:
		return http.StatusInternalServerError, ErrInternalFailure, "An internal error occurred."
	}
}

// authMessage words an authentication failure without echoing a signature or token.
func authMessage(r *http.Request, err error, kind rollcall.Kind) string {
	reason := rollcall.ErrorReason(err)
	msg, known := authErrors[reason]
	switch {
	case !known && kind == rollcall.Forbidden:
		msg = wording(err) // e.g. not an administrator
	case !known:
		msg = awsx.MsgSecurityTokenInvalid
	case msg == "":
		msg = awsx.VerifierMessage(r, err, "workdocs")
	}
	if awsx.LeaksSecret(r, msg) {
		return awsx.MsgSecurityTokenInvalid
	}
	return msg
}

// quotedPath is the member path a DecodeError message names, e.g. 'StorageRule.StorageType'.
var quotedPath = regexp.MustCompile(`'([^']*)'`)

// memberPaths rewrites the member path in a decode message the way validation messages
// spell paths (lowerCamel: 'storageRule.storageType'), so both kinds of 400 agree.
func memberPaths(msg string) string {
	done := false
	return quotedPath.ReplaceAllStringFunc(msg, func(q string) string {
		if done {
			return q
		}
		done = true
		segs := strings.Split(strings.Trim(q, "'"), ".")
		for i, s := range segs {
			segs[i] = lowerCamel(s)
		}
		return "'" + strings.Join(segs, ".") + "'"
	})
}

func lowerCamel(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// isMissingUser reports whether err is a user that does not exist for the caller (a
// NotFound about UserId), which WorkDocs answers with EntityNotExistsException rather
// than with the error for a container (an organization) the caller cannot see.
func isMissingUser(err error) bool {
	return rollcall.ErrorKind(err) == rollcall.NotFound && rollcall.ErrorField(err) == "UserId"
}
