package mail

import (
	"errors"

	"github.com/emersion/go-smtp"
)

// permanentError marks a failure that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as a failure that retrying cannot fix: the Dispatcher marks the
// message failed at once.
func Permanent(err error) error { return &permanentError{err} }

// RelayError is a failure to reach or use the relay (connect, TLS, greeting,
// authentication): nothing about the message, so it is always retried, and the rest
// of the batch is not tried on the same relay.
type RelayError struct{ Err error }

func (e *RelayError) Error() string { return "smtp relay: " + e.Err.Error() }
func (e *RelayError) Unwrap() error { return e.Err }

// IsPermanent reports whether err says the message can never be delivered: marked
// Permanent, or a 5xx reply to the message's MAIL, RCPT or DATA. A RelayError never is.
func IsPermanent(err error) bool {
	var re *RelayError
	if errors.As(err, &re) {
		return false
	}
	var pe *permanentError
	if errors.As(err, &pe) {
		return true
	}
	var se *smtp.SMTPError
	return errors.As(err, &se) && se.Code/100 == 5
}
