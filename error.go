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
	Kind   Kind
	Op     string // the operation that failed, e.g. "CreateChimeUser"
	Field  string // the request parameter at fault, when there is one
	Reason string // a finer, stable label faces may map (e.g. "idempotency-mismatch")
	// Values are the request's values the error is about, by parameter name (e.g.
	// "AccountId"), so that a face can word the error its own way. Message is the
	// neutral wording of the rest: the log's, and that of faces that word nothing.
	Values  map[string]string
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

// asError is the *Error in err's chain, or a zero Error (an Internal one) when there is
// none, so the accessors below read one field each.
func asError(err error) *Error {
	if e, ok := errors.AsType[*Error](err); ok {
		return e
	}
	return &Error{Kind: Internal}
}

// ErrorKind returns the kind of err: Internal for errors that are not *Error.
func ErrorKind(err error) Kind { return asError(err).Kind }

// ErrorMessage returns the client-safe message of err.
func ErrorMessage(err error) string {
	if e := asError(err); e.Message != "" && e.Kind != Internal {
		return e.Message
	}
	return "An internal error occurred."
}

// ErrorValues returns the Values of err (nil when it has none).
func ErrorValues(err error) map[string]string { return asError(err).Values }

// ErrorField returns the request parameter err is about, or "".
func ErrorField(err error) string { return asError(err).Field }

// ErrorReason returns the Reason label of err, or "".
func ErrorReason(err error) string { return asError(err).Reason }

// IsKind reports whether err is an *Error of kind k.
// It allocates nothing (errors.As with a pointer to a local would move the local to the
// heap on every call, nil errors included), so the request path may ask it freely.
func IsKind(err error, k Kind) bool {
	e, ok := errors.AsType[*Error](err)
	return ok && e.Kind == k
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
	ReasonNotActive        = "not-active" // the user has been deactivated
	ReasonCrossSite        = "cross-site" // a browser sent it for a page of another site
)

// Reasons that refine a kind whatever the product; each face words them its own way.
const (
	// ReasonWrongState (Invalid): the resource's state does not allow the operation (an
	// enrollment already REGISTERED, a user without an email to invite).
	ReasonWrongState = "wrong-state"
	// ReasonNotEmpty (Conflict): the resource still holds what must go first (a Team
	// account with users that are not suspended).
	ReasonNotEmpty = "not-empty"
	// ReasonIdempotencyMismatch (Conflict): a client token reused with other parameters.
	ReasonIdempotencyMismatch = "idempotency-mismatch"
	// ReasonMissing (Invalid): the parameter Field is required here and was not given
	// (nor filled in by a default).
	ReasonMissing = "missing"
)
