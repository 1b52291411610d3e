package sigv4

import "strconv"

// Code says why a request failed verification. Each face maps it to its own wire error.
type Code int

const (
	MissingAuth          Code = iota + 1 // neither an Authorization header nor X-Amz-Signature in the query
	MalformedAuth                        // unparsable Authorization, credential scope, X-Amz-Date or SignedHeaders
	UnsupportedAlgorithm                 // not AWS4-HMAC-SHA256 (SigV4a, streaming or unsigned payloads)
	UnknownKey                           // the access key id is not known
	ExpiredCredential                    // temporary credentials past their expiry
	InvalidToken                         // the session token does not match the credential
	SignatureMismatch                    // the signature (or the payload hash) does not verify
	RequestExpired                       // X-Amz-Date outside the allowed skew, or a presigned URL past X-Amz-Expires
	WrongService                         // the credential scope names another service
	WrongRegion                          // the credential scope names another region
	DateMismatch                         // the credential scope's date is not X-Amz-Date's day
)

var codeNames = [...]string{
	MissingAuth: "MissingAuth", MalformedAuth: "MalformedAuth", UnsupportedAlgorithm: "UnsupportedAlgorithm",
	UnknownKey: "UnknownKey", ExpiredCredential: "ExpiredCredential", InvalidToken: "InvalidToken",
	SignatureMismatch: "SignatureMismatch", RequestExpired: "RequestExpired", WrongService: "WrongService",
	WrongRegion: "WrongRegion", DateMismatch: "DateMismatch",
}

func (c Code) String() string {
	if c > 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return "Code(" + strconv.Itoa(int(c)) + ")"
}

// Error is a verification failure. Message is safe to send to the client, worded as AWS
// words it where AWS's wording is known; it never contains a secret, a signature or a
// session token.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return "sigv4: " + e.Code.String() + ": " + e.Message }

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, ErrUnknownKey) holds for any unknown-key failure whatever its Message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels for errors.Is, one per Code, with AWS's generic message. A Lookup returns
// ErrUnknownKey (wrapped or not) for an access key it does not know, and may return
// ErrExpiredCredential for one it knows to have expired. Verify never returns these
// values themselves, only errors that match them.
var (
	ErrMissingAuth          = &Error{MissingAuth, "Missing Authentication Token"}
	ErrMalformedAuth        = &Error{MalformedAuth, "Authorization header is malformed."}
	ErrUnsupportedAlgorithm = &Error{UnsupportedAlgorithm, "Only AWS4-HMAC-SHA256 with a signed payload is supported."}
	ErrUnknownKey           = &Error{UnknownKey, "The security token included in the request is invalid."}
	ErrExpiredCredential    = &Error{ExpiredCredential, "The security token included in the request is expired"}
	ErrInvalidToken         = &Error{InvalidToken, "The security token included in the request is invalid."}
	ErrSignatureMismatch    = &Error{SignatureMismatch, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
	ErrRequestExpired       = &Error{RequestExpired, "Signature expired."}
	ErrWrongService         = &Error{WrongService, "Credential should be scoped to correct service."}
	ErrWrongRegion          = &Error{WrongRegion, "Credential should be scoped to a valid region."}
	ErrDateMismatch         = &Error{DateMismatch, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP."}
)

var sentinels = [...]*Error{
	MissingAuth: ErrMissingAuth, MalformedAuth: ErrMalformedAuth, UnsupportedAlgorithm: ErrUnsupportedAlgorithm,
	UnknownKey: ErrUnknownKey, ExpiredCredential: ErrExpiredCredential, InvalidToken: ErrInvalidToken,
	SignatureMismatch: ErrSignatureMismatch, RequestExpired: ErrRequestExpired, WrongService: ErrWrongService,
	WrongRegion: ErrWrongRegion, DateMismatch: ErrDateMismatch,
}

// failure returns a new *Error with code and msg, or code's generic message when msg is
// empty. Verify returns fresh values so that no caller can change a sentinel's Message.
func failure(code Code, msg string) *Error {
	if msg == "" && code > 0 && int(code) < len(sentinels) {
		msg = sentinels[code].Message
	}
	return &Error{Code: code, Message: msg}
}

// quote returns s for a message when it is short and made of the characters region,
// service and algorithm names are made of; else a placeholder. It keeps messages small
// and free of anything a client did not mean to be echoed.
func quote(s string) string {
	if len(s) == 0 || len(s) > 64 {
		return "(invalid)"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return "(invalid)"
		}
	}
	return s
}
