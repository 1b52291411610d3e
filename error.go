package rollcall

import (
	"errors"
	"fmt"
)

// Kind is a transport-neutral error category. Each face maps kinds to its own status
// codes, error names and bodies.
type Kind uint8

const (
	Internal     Kind = iota // a bug or an unexpected failure; the cause is logged, not shown
	Invalid                  // the request breaks a rule; the message says which
	NotFound                 // a named resource does not exist (or is not the caller's)
	Conflict                 // the resource exists already, or the request contradicts a previous one
	Unauthorized             // the caller is not authenticated
	Forbidden                // the caller is authenticated but may not do this
	Throttled                // the caller exceeded a rate limit
	Unavailable              // a dependency is down; the caller may retry
)

var kindNames = [...]string{"internal", "invalid", "not found", "conflict", "unauthorized", "forbidden", "throttled", "unavailable"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is the error type the core and every Store return. Message is safe to show a
// client; Err is the cause, for the log only.
type Error struct {
	Kind    Kind
	Op      string // the operation that failed, e.g. "CreateChimeUser"
	Field   string // the request parameter at fault, when there is one
	Reason  string // a finer, stable label faces may map (e.g. "idempotency-mismatch")
	Message string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Kind.String()
	}
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind with a client-safe formatted message.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// WithOp returns err with Op set when err is an *Error without one; other errors become
// Internal errors that keep err as their cause.
func WithOp(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		if e.Op != "" {
			return err
		}
		c := *e
		c.Op = op
		return &c
	}
	return &Error{Kind: Internal, Op: op, Message: "internal error", Err: err}
}

// ErrorKind returns the kind of err: Internal for errors that are not *Error.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// ErrorMessage returns the client-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" && e.Kind != Internal {
		return e.Message
	}
	return "An internal error occurred."
}

// ErrorReason returns the Reason label of err, or "".
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// Reasons for Unauthorized and Forbidden errors, so each face can pick its own error
// shape for each way authentication fails.
const (
	ReasonMissingAuth      = "missing-authentication" // no Authorization header or token at all
	ReasonMalformedAuth    = "malformed-authentication"
	ReasonUnknownKey       = "unknown-key"        // the access key id is not known
	ReasonBadSignature     = "signature-mismatch" // the signature does not verify
	ReasonRequestExpired   = "request-expired"    // X-Amz-Date outside the allowed skew
	ReasonExpiredToken     = "expired-token"      // temporary credentials or token expired
	ReasonInvalidToken     = "invalid-token"      // session token wrong
	ReasonWrongScope       = "wrong-scope"        // signed for another service or region
	ReasonUnsupportedAlgo  = "unsupported-algorithm"
	ReasonNotAdministrator = "not-administrator"
	ReasonCrossSite        = "cross-site" // a browser sent it for a page of another site
)
