package facetest

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go/aws/awserr"
)

// SDKError is an error an official AWS SDK for Go v1 client returned, as the service
// answered: the error code (the error shape's name), message, HTTP status and request
// ID. Each is zero where err does not carry it: all for nil, Status and RequestID for an
// error the SDK made itself without a response.
type SDKError struct {
	Code, Message string
	Status        int
	RequestID     string
}

// SDKErrorOf reads err as an SDK v1 client returns it.
func SDKErrorOf(err error) SDKError {
	var e SDKError
	var ae awserr.Error
	if errors.As(err, &ae) {
		e.Code, e.Message = ae.Code(), ae.Message()
	}
	var rf awserr.RequestFailure
	if errors.As(err, &rf) {
		e.Status, e.RequestID = rf.StatusCode(), rf.RequestID()
	}
	return e
}

// WantSDKError checks that err is the service's answer with code and status, or stops
// the test; then that it carries a request ID and, unless message is "", that message,
// or fails the test and lets it go on. It returns what it read.
func WantSDKError(tb testing.TB, err error, code string, status int, message string) SDKError {
	tb.Helper()
	e := SDKErrorOf(err)
	if e.Status == 0 {
		tb.Fatalf("err = %v, want %s (%d)", err, code, status)
	}
	if e.Code != code || e.Status != status {
		tb.Fatalf("got %s %d (%s), want %s %d", e.Code, e.Status, e.Message, code, status)
	}
	if e.RequestID == "" {
		tb.Errorf("%s has no request ID", code)
	}
	if message != "" && e.Message != message {
		tb.Errorf("message:\n got  %q\n want %q", e.Message, message)
	}
	return e
}
