package awsx_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
)

const sig = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestScrubRemovesEverySecretOfTheRequest(t *testing.T) {
	r := httptest.NewRequest("POST", "/?X-Amz-Signature=presigned-signature-value", nil)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/chime/aws4_request, SignedHeaders=host, Signature="+sig)
	r.Header.Set("X-Amz-Security-Token", "session-token-value")
	r.Header.Set("Authentication", "user.1.workdocs-token-value")
	r.Header.Set("X-Amz-Access-Token", "Atza|access-token-value")
	cause := &rollcall.Error{Kind: rollcall.Forbidden, Message: "bad"}
	for _, secret := range []string{sig, "presigned-signature-value", "session-token-value", "user.1.workdocs-token-value", "Atza|access-token-value"} {
		err := awsx.Scrub(r, &wrapped{msg: "region '" + secret + "' is wrong", err: cause})
		if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), awsx.Redacted) {
			t.Errorf("scrubbed %q", err.Error())
		}
		if !errors.Is(err, cause) {
			t.Errorf("Scrub hides the cause from errors.Is")
		}
	}
	if err := awsx.Scrub(r, errors.New("header Signature=abc, SignedHeaders=host")); strings.Contains(err.Error(), "abc") {
		t.Errorf("a Signature= value outlives Scrub: %q", err)
	}
	plain := errors.New("nothing secret")
	if awsx.Scrub(r, plain) != plain {
		t.Error("Scrub wraps an error that holds no secret")
	}
	if awsx.Scrub(r, nil) != nil {
		t.Error("Scrub(nil) != nil")
	}
}

func TestShortValuesAreNotSecrets(t *testing.T) {
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("X-Amz-Security-Token", "abc")
	if awsx.LeaksSecret(r, "abc is a word") {
		t.Error("a 3-character header counts as a secret")
	}
}

type wrapped struct {
	msg string
	err error
}

func (e *wrapped) Error() string { return e.msg }
func (e *wrapped) Unwrap() error { return e.err }
