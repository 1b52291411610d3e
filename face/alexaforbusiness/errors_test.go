package alexaforbusiness_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	face "github.com/rollcall/rollcall/face/alexaforbusiness"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/httpx"
)

func TestCreateUserBadBodies(t *testing.T) {
	h := MustHarness(t)
	cases := []struct {
		name, body  string
		status      int
		shape, want string // want "" = any message
	}{
		{"malformed", `{"UserId":`, 400, "SerializationException", ""},
		{"trailing garbage", `{"UserId":"a"} x`, 400, "SerializationException", ""},
		{"not an object", `["UserId"]`, 400, "SerializationException", "The request body must be a JSON object."},
		{"string", `"UserId"`, 400, "SerializationException", "The request body must be a JSON object."},
		{"null", `null`, 400, "SerializationException", "The request body must be a JSON object."},
		{"UserId number", `{"UserId":5}`, 400, "SerializationException", "Invalid type for 'UserId': expected a string, found a number."},
		{"FirstName object", `{"UserId":"a","FirstName":{}}`, 400, "SerializationException", "Invalid type for 'FirstName': expected a string, found an object."},
		{"Tags object", `{"UserId":"a","Tags":{"Key":"k","Value":"v"}}`, 400, "SerializationException", ""},
		{"Tag string", `{"UserId":"a","Tags":["k=v"]}`, 400, "SerializationException", ""},
		{"Tag Key number", `{"UserId":"a","Tags":[{"Key":1,"Value":"v"}]}`, 400, "SerializationException", ""},
		{"duplicate member", `{"UserId":"a","UserId":"b"}`, 400, "SerializationException", ""},
		{"duplicate tag member", `{"UserId":"a","Tags":[{"Key":"k","Key":"j","Value":"v"}]}`, 400, "SerializationException", ""},
		{"invalid UTF-8", "{\"UserId\":\"a\xff\"}", 400, "SerializationException", ""},
		{"invalid UTF-8 in a name", "{\"FirstName\xc3\":\"a\",\"UserId\":\"a\"}", 400, "SerializationException", ""},
		{"case-mismatched member", `{"userId":"a"}`, 400, "ValidationException", facetest.Detected(facetest.Null("userId"))},
		{"case-mismatched tag member", `{"UserId":"a","Tags":[{"key":"k","Value":"v"}]}`, 400, "ValidationException", facetest.Detected(facetest.Null("tags.1.member.key"))},
		{"explicit null", `{"UserId":null}`, 400, "ValidationException", facetest.Detected(facetest.Null("userId"))},
		{"empty body", ``, 400, "ValidationException", facetest.Detected(facetest.Null("userId"))},
		{"empty object", `{}`, 400, "ValidationException", facetest.Detected(facetest.Null("userId"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.MustDo(t, tc.body).MustError(t, tc.status, tc.shape, tc.want)
			h.MustNoUsers(t)
		})
	}
	t.Run("unknown members are ignored", func(t *testing.T) {
		h.MustDo(t, `{"UserId":"ok","Nickname":"x","Tags":[{"Key":"k","Value":"v","Extra":1}]}`).MustOK(t)
	})
}

func TestCreateUserTooLarge(t *testing.T) {
	h := MustHarness(t)
	body := `{"UserId":"big","FirstName":"` + strings.Repeat("a", httpx.MaxBodyBytes) + `"}`
	h.MustDo(t, body).MustError(t, http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
		"The request body must not be larger than 1048576 bytes.")
	// Chunked (no Content-Length) is caught too.
	h.MustDo(t, body, func(o *raw) { o.After = func(r *http.Request) { r.ContentLength = -1 } }).
		MustError(t, http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException", "")
	h.MustNoUsers(t)
}

// errorCase is a request, body sent with opt, that must fail with 400 and shape; want
// is its message: "" for any, a prefix when it ends in "*".
type errorCase struct {
	name        string
	opt         func(*raw)
	shape, want string
}

// mustErrorCases sends body with each case's options and checks the error, that the
// error body echoes no signature or session token, and that no user was created.
func mustErrorCases(t *testing.T, h *harness, body string, cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rp := h.MustDo(t, body, tc.opt)
			want, prefix := strings.CutSuffix(tc.want, "*")
			if prefix {
				rp.MustError(t, http.StatusBadRequest, tc.shape, "")
				if !strings.HasPrefix(rp.Msg, want) {
					t.Errorf("message %q, want it to start with %q", rp.Msg, want)
				}
			} else {
				rp.MustError(t, http.StatusBadRequest, tc.shape, want)
			}
			if strings.Contains(string(rp.Body), "Signature=") || strings.Contains(string(rp.Body), "not-a-real-session-token") {
				t.Errorf("body echoes a signature or token: %s", rp.Body)
			}
			h.MustNoUsers(t)
		})
	}
}

func TestProtocolErrors(t *testing.T) {
	h := MustHarness(t)
	const body = `{"UserId":"proto"}`
	mustErrorCases(t, h, body, []errorCase{
		{"unknown operation", withTarget("AlexaForBusiness.CreateRoom"), "UnknownOperationException",
			`The operation "CreateRoom" is not supported by Alexa for Business here; rollcall implements CreateUser, SearchUsers, DeleteUser, TagResource, UntagResource, ListTags, SendInvitation, RevokeInvitation, PutInvitationConfiguration and GetInvitationConfiguration.`},
		{"bare prefix", withTarget("AlexaForBusiness."), "UnknownOperationException", ""},
		{"operation case", withTarget("AlexaForBusiness.createUser"), "UnknownOperationException", ""},
		{"JSON content type", withContentType("application/json"), "UnknownOperationException",
			"The request's Content-Type must be application/x-amz-json-1.1."},
		{"JSON 1.0 content type", withContentType("application/x-amz-json-1.0"), "UnknownOperationException", ""},
		{"no content type", withContentType("-"), "UnknownOperationException", ""},
	})
	t.Run("content type parameters and case", func(t *testing.T) {
		h.MustDo(t, body, withContentType("Application/X-Amz-Json-1.1; charset=utf-8")).MustOK(t)
	})
}

func TestMatch(t *testing.T) {
	f := face.New(nil, nil)
	cases := []struct {
		method, target, header string
		want                   bool
	}{
		{"POST", "/", "AlexaForBusiness.CreateUser", true},
		{"POST", "/?x=1", "AlexaForBusiness.CreateUser", true},
		{"POST", "/", "AlexaForBusiness.Anything", true},
		{"GET", "/", "AlexaForBusiness.CreateUser", false},
		{"POST", "//", "AlexaForBusiness.CreateUser", false},
		{"POST", "/users", "AlexaForBusiness.CreateUser", false},
		{"POST", "/", "", false},
		{"POST", "/", "DynamoDB_20120810.ListTables", false},
		{"POST", "/", "alexaforbusiness.CreateUser", false},
	}
	for _, tc := range cases {
		r := httptest.NewRequest(tc.method, "http://x"+tc.target, nil)
		if tc.header != "" {
			r.Header.Set("X-Amz-Target", tc.header)
		}
		if got := f.Match(r); got != tc.want {
			t.Errorf("Match(%s %s, %q) = %v, want %v", tc.method, tc.target, tc.header, got, tc.want)
		}
	}
}

// TestAuthErrors sends wrongly authenticated requests through the real SigV4 verifier.
func TestAuthErrors(t *testing.T) {
	mustErrorCases(t, MustHarness(t), `{"UserId":"intruder"}`, []errorCase{
		{"unsigned", unsigned, "MissingAuthenticationTokenException", "Request is missing Authentication Token"},
		{"unknown key", withKey("AKIAUNKNOWN000000000", "x"), "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"wrong secret", withKey("test", "wrong"), "InvalidSignatureException",
			"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{"body changed after signing", func(o *raw) {
			o.After = func(r *http.Request) {
				r.Body = httpNopCloser(`{"UserId":"intruder2"}`)
				r.ContentLength = int64(len(`{"UserId":"intruder2"}`))
			}
		}, "InvalidSignatureException", ""},
		{"signed 20 minutes ago", func(o *raw) { o.SignedAt = time.Now().Add(-20 * time.Minute) }, "InvalidSignatureException", "Signature expired*"},
		{"signed for chime", func(o *raw) { o.Service = "chime" }, "InvalidSignatureException", "Credential should be scoped to correct service: 'a4b'.*"},
		{"no signature", func(o *raw) {
			o.After = func(r *http.Request) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", a[:strings.Index(a, ", Signature=")])
			}
		}, "IncompleteSignatureException", ""},
		{"unsupported algorithm", func(o *raw) {
			o.After = func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", 1))
			}
		}, "IncompleteSignatureException", ""},
		{"session token on a long-term key", func(o *raw) { o.Session = "not-a-real-session-token" }, "UnrecognizedClientException", ""},
		{"region x:111122223333", func(o *raw) { o.Region = "x:111122223333" }, "InvalidSignatureException", "Credential should be scoped to a valid region*"},
		{"region Evil<b>region", func(o *raw) { o.Region = "Evil<b>region" }, "InvalidSignatureException", "Credential should be scoped to a valid region*"},
		// The report's attack: a URL presigned over host alone, replayed as any operation.
		{"presigned over host alone", func(o *raw) {
			o.Unsigned = true
			o.After = func(r *http.Request) {
				sent := r.Header.Clone()
				r.Header = http.Header{}
				body, _ := io.ReadAll(r.Body)
				if _, err := v4.NewSigner(credentials.NewStaticCredentials("test", "test", "")).Presign(r, bytes.NewReader(body), "a4b", "us-east-1", time.Minute, time.Now()); err != nil {
					panic(err)
				}
				r.Header, r.Body = sent, io.NopCloser(bytes.NewReader(body))
			}
		}, "IncompleteSignatureException", "SignedHeaders must include 'x-amz-target'."},
		{"X-Amz-Target set after signing", func(o *raw) {
			o.Target = ""
			o.After = func(r *http.Request) { r.Header.Set("X-Amz-Target", "AlexaForBusiness.CreateUser") }
		}, "IncompleteSignatureException", "SignedHeaders must include 'x-amz-target'."},
		{"Content-Type set after signing", func(o *raw) {
			o.ContentType = "-"
			o.After = func(r *http.Request) { r.Header.Set("Content-Type", httpx.AWSJSONContentType) }
		}, "IncompleteSignatureException", "SignedHeaders must include 'content-type'."},
		{"from another site's page", func(o *raw) {
			o.After = func(r *http.Request) {
				r.Header.Set("Sec-Fetch-Site", "cross-site")
				r.Header.Set("Origin", "http://localhost:1")
			}
		}, "AccessDeniedException", "A web page of another site*"},
	})
}

func TestAuthErrorSDK(t *testing.T) {
	h := MustHarness(t)
	_, err := h.MustClient(t, "test", "not-the-secret").CreateUser(&a4b.CreateUserInput{UserId: aws.String("x")})
	facetest.WantSDKError(t, err, "InvalidSignatureException", http.StatusBadRequest, "")
	_, err = h.MustClient(t, "AKIANOBODY0000000000", "x").CreateUser(&a4b.CreateUserInput{UserId: aws.String("x")})
	facetest.WantSDKError(t, err, "UnrecognizedClientException", http.StatusBadRequest, "")
	h.MustNoUsers(t)
}

// stubAuth fails every request with err, or authenticates as the dev account.
type stubAuth struct{ err error }

func (a stubAuth) Authenticate(r *http.Request, body []byte) (rollcall.Caller, error) {
	if a.err != nil {
		return rollcall.Caller{}, a.err
	}
	return rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}, nil
}

// TestErrorTable checks every row of the face's error table that real requests cannot
// easily reach, by injecting the error.
func TestErrorTable(t *testing.T) {
	authErr := func(kind rollcall.Kind, reason, msg string) *rollcall.Error {
		return &rollcall.Error{Kind: kind, Op: "Authenticate", Reason: reason, Message: msg}
	}
	cases := []struct {
		name        string
		auth        error
		store       error
		status      int
		shape, want string
	}{
		{"missing auth", authErr(rollcall.Unauthorized, rollcall.ReasonMissingAuth, "x"), nil, 400, "MissingAuthenticationTokenException", "Request is missing Authentication Token"},
		{"unknown key", authErr(rollcall.Unauthorized, rollcall.ReasonUnknownKey, "x"), nil, 400, "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"invalid token", authErr(rollcall.Unauthorized, rollcall.ReasonInvalidToken, "x"), nil, 400, "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"expired token", authErr(rollcall.Unauthorized, rollcall.ReasonExpiredToken, "x"), nil, 400, "ExpiredTokenException", "The security token included in the request is expired"},
		{"bad signature", authErr(rollcall.Forbidden, rollcall.ReasonBadSignature, "x"), nil, 400, "InvalidSignatureException", ""},
		{"request expired", authErr(rollcall.Forbidden, rollcall.ReasonRequestExpired, "Signature expired: 20240101T000000Z is now earlier than 20240101T001600Z (20240101T003100Z - 15 min.)"), nil,
			400, "InvalidSignatureException", "Signature expired: 20240101T000000Z is now earlier than 20240101T001600Z (20240101T003100Z - 15 min.)"},
		{"request expired, no message", authErr(rollcall.Forbidden, rollcall.ReasonRequestExpired, ""), nil, 400, "InvalidSignatureException", "Signature expired."},
		{"wrong scope", authErr(rollcall.Forbidden, rollcall.ReasonWrongScope, ""), nil, 400, "InvalidSignatureException", "Credential should be scoped to correct service: 'a4b'."},
		{"malformed", authErr(rollcall.Unauthorized, rollcall.ReasonMalformedAuth, "Authorization header requires 'Signature' parameter."), nil, 400, "IncompleteSignatureException", "Authorization header requires 'Signature' parameter."},
		{"malformed, echoing the signature", authErr(rollcall.Unauthorized, rollcall.ReasonMalformedAuth, "bad header: 'AWS4-HMAC-SHA256 Credential=x, Signature=abcdef0123'"), nil,
			400, "IncompleteSignatureException", "The Authorization header is malformed."},
		{"unsupported algorithm", authErr(rollcall.Unauthorized, rollcall.ReasonUnsupportedAlgo, ""), nil, 400, "IncompleteSignatureException", "Unsupported AWS 'algorithm'; use AWS4-HMAC-SHA256."},
		{"other unauthorized", authErr(rollcall.Unauthorized, "", "x"), nil, 400, "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"other forbidden", authErr(rollcall.Forbidden, rollcall.ReasonNotAdministrator, "Not allowed."), nil, 400, "AccessDeniedException", "Not allowed."},
		{"auth store down", errors.New("connection refused"), nil, 500, "InternalFailure", "An internal error occurred."},
		{"throttled", nil, rollcall.Errorf(rollcall.Throttled, "slow down"), 400, "ThrottlingException", "Rate exceeded"},
		{"unavailable", nil, rollcall.Errorf(rollcall.Unavailable, "The directory is unavailable; retry."), 503, "ServiceUnavailable", "The directory is unavailable; retry."},
		{"internal", nil, errors.New("disk on fire /var/lib/secret"), 500, "InternalFailure", "An internal error occurred."},
		{"invalid from core", nil, rollcall.Errorf(rollcall.Invalid, "Bad thing."), 400, "ValidationException", "Bad thing."},
		{"not found from core", nil, rollcall.Errorf(rollcall.NotFound, "No such thing."), 400, "NotFoundException", "No such thing."},
		{"conflict from core", nil, rollcall.Errorf(rollcall.Conflict, "In use."), 400, "ResourceInUseException", "In use."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := MustHarness(t, func(o *harnessOptions) {
				o.auth = stubAuth{tc.auth}
				if tc.store != nil {
					o.store = facetest.FailUpdates(tc.store)
				}
			})
			rp := h.MustDo(t, `{"UserId":"x","ClientRequestToken":"abcdefghij"}`, unsigned)
			rp.MustError(t, tc.status, tc.shape, tc.want)
			if tc.shape == "ResourceInUseException" && rp.JSON["ClientRequestToken"] != "abcdefghij" {
				t.Errorf("body %s lacks the ClientRequestToken", rp.Body)
			}
			h.MustNoUsers(t)
		})
	}
}
