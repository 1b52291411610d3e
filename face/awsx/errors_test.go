package awsx_test

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/validate"
)

// TestVerifierMessage: the verifier's words, unless missing or echoing a secret.
func TestVerifierMessage(t *testing.T) {
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("X-Amz-Security-Token", "session-token-value")
	fail := func(msg string) error {
		return &rollcall.Error{Kind: rollcall.Unauthorized, Reason: rollcall.ReasonWrongScope, Message: msg}
	}
	for msg, want := range map[string]string{
		"Credential should be scoped to correct service: 'a4b'.": "Credential should be scoped to correct service: 'a4b'.",
		"":                            "Credential should be scoped to correct service: 'workdocs'.",
		"scope 'session-token-value'": "Credential should be scoped to correct service: 'workdocs'.",
	} {
		if got := awsx.VerifierMessage(r, fail(msg), "workdocs"); got != want {
			t.Errorf("VerifierMessage(%q) = %q, want %q", msg, got, want)
		}
	}
}

// TestRequestErrors: each failure of reading or checking a request takes the shape the
// face names; the core's errors are left to the face's table.
func TestRequestErrors(t *testing.T) {
	re := awsx.RequestErrors{Unreadable: "U", TooLarge: "L", Invalid: "V", Undecodable: "D",
		DecodeMessage: func(s string) string { return "<" + s + ">" }}
	own := &awsx.Failure{Status: 404, Shape: "Own", Message: "m"}
	for _, tc := range []struct {
		err    error
		status int
		shape  string
		msg    string
	}{
		{own, 404, "Own", "m"},
		{&awsx.ErrUnreadable{Err: errors.New("reset")}, 400, "U", "The request body could not be read."},
		{httpx.ErrTooLarge, 413, "L", "The request body must not be larger than 1048576 bytes."},
		{&validate.Error{Message: "bad member"}, 400, "V", "bad member"},
		{&httpx.DecodeError{Message: "bad json"}, 400, "D", "<bad json>"},
	} {
		f := re.Failure(tc.err)
		if f == nil || f.Status != tc.status || f.Shape != tc.shape || f.Message != tc.msg {
			t.Errorf("%v: got %+v", tc.err, f)
		}
	}
	if f := re.Failure(&rollcall.Error{Kind: rollcall.NotFound}); f != nil {
		t.Errorf("a core error became %+v", f)
	}
}
