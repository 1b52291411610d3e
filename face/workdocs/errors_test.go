package workdocs_test

import (
	"cmp"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/httpx"
)

func TestCreateUserBadBodies(t *testing.T) {
	h := MustHarness(t)
	const ok = `"Username":"ada","GivenName":"G","Surname":"S","Password":"pass"`
	long := "Invalid value for 'storageRule.storageAllocatedInBytes': expected a whole number from -9223372036854775808 to 9223372036854775807."
	cases := []struct {
		name, body string
		want       string // "" = any message
	}{
		{"malformed", `{"Username":`, "The request body is not valid JSON (at byte 12)."},
		{"trailing garbage", `{` + ok + `} x`, ""},
		{"two objects", `{` + ok + `}{}`, ""},
		{"not an object", `["Username"]`, "The request body must be a JSON object."},
		{"string", `"Username"`, "The request body must be a JSON object."},
		{"number", `42`, "The request body must be a JSON object."},
		{"null", `null`, "The request body must be a JSON object."},
		{"Username number", `{"Username":5,"GivenName":"G","Surname":"S","Password":"pass"}`, "Invalid type for 'username': expected a string, found a number."},
		{"Password boolean", `{"Username":"a","GivenName":"G","Surname":"S","Password":true}`, "Invalid type for 'password': expected a string, found a boolean."},
		{"GivenName object", `{"Username":"a","GivenName":{},"Surname":"S","Password":"pass"}`, "Invalid type for 'givenName': expected a string, found an object."},
		{"Surname list", `{"Username":"a","GivenName":"G","Surname":["S"],"Password":"pass"}`, "Invalid type for 'surname': expected a string, found a list."},
		{"StorageRule list", `{` + ok + `,"StorageRule":[]}`, "Invalid type for 'storageRule': expected an object, found a list."},
		{"StorageRule string", `{` + ok + `,"StorageRule":"QUOTA"}`, "Invalid type for 'storageRule': expected an object, found a string."},
		{"StorageType number", `{` + ok + `,"StorageRule":{"StorageType":1}}`, "Invalid type for 'storageRule.storageType': expected a string, found a number."},
		{"allocated string", `{` + ok + `,"StorageRule":{"StorageAllocatedInBytes":"5"}}`, "Invalid type for 'storageRule.storageAllocatedInBytes': expected a number, found a string."},
		{"allocated boolean", `{` + ok + `,"StorageRule":{"StorageAllocatedInBytes":false}}`, "Invalid type for 'storageRule.storageAllocatedInBytes': expected a number, found a boolean."},
		{"allocated fraction", `{` + ok + `,"StorageRule":{"StorageAllocatedInBytes":1.5}}`, long},
		{"allocated exponent", `{` + ok + `,"StorageRule":{"StorageAllocatedInBytes":1e3}}`, long},
		{"allocated over int64", `{` + ok + `,"StorageRule":{"StorageAllocatedInBytes":9223372036854775808}}`, long},
		{"allocated under int64", `{` + ok + `,"StorageRule":{"StorageAllocatedInBytes":-9223372036854775809}}`, long},
		{"duplicate member", `{` + ok + `,"Username":"bob"}`, "Duplicate member name 'username' in JSON object."},
		{"duplicate password", `{` + ok + `,"Password":"other-pass"}`, "Duplicate member name 'password' in JSON object."},
		{"duplicate nested member", `{` + ok + `,"StorageRule":{"StorageType":"QUOTA","StorageType":"UNLIMITED"}}`, "Duplicate member name 'storageRule.storageType' in JSON object."},
		{"duplicate unknown member", `{` + ok + `,"Extra":1,"Extra":2}`, ""},
		{"invalid UTF-8", "{\"Username\":\"a\xff\",\"GivenName\":\"G\",\"Surname\":\"S\",\"Password\":\"pass\"}", "The request body is not valid UTF-8 (at byte 14)."},
		{"invalid UTF-8 in a password", "{\"Username\":\"a\",\"GivenName\":\"G\",\"Surname\":\"S\",\"Password\":\"pa\xe9ss\"}", ""},
		{"invalid UTF-8 in a name", "{\"Given\xc3Name\":\"G\"," + ok + "}", ""},
		{"lone surrogate", `{` + ok + `,"TimeZoneId":"\ud800"}`, ""},
		{"case-mismatched member", `{"username":"ada","GivenName":"G","Surname":"S","Password":"pass"}`, facetest.Detected(facetest.Null("username"))},
		{"case-mismatched members", `{"Username":"ada","givenName":"G","SurName":"S","PASSWORD":"pass"}`,
			facetest.Detected(facetest.Null("givenName"), facetest.Null("surname"), facetest.Null("password"))},
		{"explicit null", `{"Username":null,"GivenName":"G","Surname":"S","Password":"pass"}`, facetest.Detected(facetest.Null("username"))},
		{"empty body", ``, facetest.Detected(facetest.Null("username"), facetest.Null("givenName"), facetest.Null("surname"), facetest.Null("password"))},
		{"blank body", " \n\t", facetest.Detected(facetest.Null("username"), facetest.Null("givenName"), facetest.Null("surname"), facetest.Null("password"))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.MustDo(t, tc.body).MustError(t, http.StatusBadRequest, "ValidationException", tc.want)
			h.MustNoUsers(t)
		})
	}
	t.Run("unknown and case-mismatched members are ignored", func(t *testing.T) {
		h.MustDo(t, `{`+ok+`,"Nickname":"x","username":"bob","StorageRule":{"StorageType":"QUOTA","Extra":[1]}}`).MustCreated(t)
		h.MustUser(t, rollcall.DevOrganizationID, "ada")
	})
	t.Run("null optional members are absent", func(t *testing.T) {
		u := h.MustDo(t, `{"Username":"nul","GivenName":"G","Surname":"S","Password":"pass","OrganizationId":null,"EmailAddress":null,`+
			`"TimeZoneId":null,"StorageRule":{"StorageAllocatedInBytes":null,"StorageType":null}}`).MustCreated(t)
		if u["OrganizationId"] != rollcall.DevOrganizationID || u["EmailAddress"] != nil {
			t.Errorf("User = %v", u)
		}
	})
}

func TestCreateUserTooLarge(t *testing.T) {
	h := MustHarness(t)
	body := `{"Username":"big","GivenName":"G","Surname":"S","Password":"pass","Pad":"` + strings.Repeat("a", httpx.MaxBodyBytes) + `"}`
	h.MustDo(t, body).MustError(t, http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
		"The request body must not be larger than 1048576 bytes.")
	// Chunked (no Content-Length) is caught too.
	h.MustDo(t, body, func(o *raw) { o.After = func(r *http.Request) { r.ContentLength = -1 } }).
		MustError(t, http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException", "")
	// Exactly at the limit is read (and then is simply a request with an unknown member).
	pad := httpx.MaxBodyBytes - len(`{"Username":"big","GivenName":"G","Surname":"S","Password":"pass","Pad":""}`)
	h.MustNoUsers(t)
	h.MustDo(t, `{"Username":"big","GivenName":"G","Surname":"S","Password":"pass","Pad":"`+strings.Repeat("a", pad)+`"}`).MustCreated(t)
}

func TestRoutes(t *testing.T) {
	h := MustHarness(t)
	body := facetest.JSONBody(t, validUser("route"))
	cases := []struct {
		name, method, path string
		status             int
		shape, msg         string
	}{
		{"GET one user", http.MethodGet, "/api/v1/users/x", 404, "UnknownOperationException",
			"No operation matches GET /api/v1/users/x; rollcall implements WorkDocs CreateUser (POST /api/v1/users), " +
				"DescribeUsers (GET /api/v1/users), GetCurrentUser (GET /api/v1/me), UpdateUser (PATCH /api/v1/users/{UserId}), " +
				"DeleteUser (DELETE /api/v1/users/{UserId}), ActivateUser (POST /api/v1/users/{UserId}/activation) and " +
				"DeactivateUser (DELETE /api/v1/users/{UserId}/activation)."},
		{"PUT", http.MethodPut, "/api/v1/users", 404, "UnknownOperationException", ""},
		{"PATCH users", http.MethodPatch, "/api/v1/users", 404, "UnknownOperationException", ""},
		{"PATCH trailing slash", http.MethodPatch, "/api/v1/users/x/", 404, "UnknownOperationException", ""},
		{"PATCH empty UserId", http.MethodPatch, "/api/v1/users//activation", 404, "UnknownOperationException", ""},
		{"activation GET", http.MethodGet, "/api/v1/users/x/activation", 404, "UnknownOperationException", ""},
		{"activation PATCH", http.MethodPatch, "/api/v1/users/x/activation", 404, "UnknownOperationException", ""},
		{"below activation", http.MethodPost, "/api/v1/users/x/activation/y", 404, "UnknownOperationException", ""},
		{"other sub-resource", http.MethodDelete, "/api/v1/users/x/groups", 404, "UnknownOperationException", ""},
		{"POST me", http.MethodPost, "/api/v1/me", 404, "UnknownOperationException", ""},
		{"encoded me", http.MethodGet, "/api/v1/m%65", 404, "UnknownOperationException", ""},
		{"trailing slash", http.MethodPost, "/api/v1/users/", 404, "UnknownOperationException", ""},
		{"GET empty UserId", http.MethodGet, "/api/v1/users/", 404, "UnknownOperationException", ""}, // no GET takes a UserId
		{"encoded path", http.MethodPost, "/api/v1/%75sers", 404, "UnknownOperationException", ""},
		{"other operation", http.MethodPost, "/api/v1/folders", 404, "UnknownOperationException", ""},
		{"unclean path", http.MethodPost, "//api/v1/users", 404, "UnknownOperationException", "No operation matches POST //api/v1/users."},
		{"dot segment", http.MethodPost, "/api/v1/x/../users", 404, "UnknownOperationException", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.MustDo(t, body, withRoute(tc.method, tc.path)).MustError(t, tc.status, tc.shape, tc.msg)
			h.MustNoUsers(t)
		})
	}
	t.Run("query ignored", func(t *testing.T) {
		h.MustDo(t, body, withRoute(http.MethodPost, "/api/v1/users?x=1&organizationId=d-9")).MustCreated(t)
	})
}

func TestAuthFailures(t *testing.T) {
	h := MustHarness(t)
	body := facetest.JSONBody(t, validUser("auth"))
	const mismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	cases := []struct {
		name string
		opts []func(*raw)
		msg  string // "" = the verifier's words, whatever they are
		// shape is UnauthorizedOperationException unless given: a stale X-Amz-Date is
		// AWS's common InvalidSignatureException, on which the SDKs correct their clock.
		shape string
	}{
		{"unsigned", []func(*raw){unsigned}, "Request is missing Authentication Token", ""},
		{"wrong secret", []func(*raw){withKey(rollcall.DevAccessKeyID, "wrong")}, mismatch, ""},
		{"unknown key", []func(*raw){withKey("AKIAUNKNOWN000000000", "x")}, "The security token included in the request is invalid.", ""},
		{"body changed after signing", []func(*raw){func(o *raw) {
			o.After = func(r *http.Request) { r.Body = http.NoBody; r.ContentLength = 0 }
		}}, mismatch, ""},
		{"header changed after signing", []func(*raw){func(o *raw) {
			o.After = func(r *http.Request) {
				r.Header.Set("X-Amz-Date", time.Now().Add(-time.Minute).UTC().Format("20060102T150405Z"))
			}
		}}, "", ""},
		{"signed for chime", []func(*raw){func(o *raw) { o.Service = "chime" }}, "", ""},
		{"signed 20 minutes ago", []func(*raw){func(o *raw) { o.SignedAt = time.Now().Add(-20 * time.Minute) }}, "", "InvalidSignatureException"},
		{"signed 20 minutes ahead", []func(*raw){func(o *raw) { o.SignedAt = time.Now().Add(20 * time.Minute) }}, "", "InvalidSignatureException"},
		{"malformed Authorization", []func(*raw){func(o *raw) {
			o.After = func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 nonsense") }
		}}, "", ""},
		{"other algorithm", []func(*raw){func(o *raw) {
			o.After = func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1", 1))
			}
		}}, "", ""},
		{"empty Authorization and a token", []func(*raw){unsigned, withHeader("Authorization", ""), withHeader("Authentication", "tok")}, "", ""},
		{"region x:111122223333", []func(*raw){func(o *raw) { o.Region = "x:111122223333" }}, "Credential should be scoped to a valid region, not '(invalid)'.", ""},
		{"region Evil<b>region", []func(*raw){func(o *raw) { o.Region = "Evil<b>region" }}, "Credential should be scoped to a valid region, not '(invalid)'.", ""},
		{"from another site's page", []func(*raw){withHeader("Sec-Fetch-Site", "cross-site")}, "", ""},
		{"from another origin", []func(*raw){withHeader("Origin", "http://localhost:1")}, "", ""},
		{"token from another site's page", []func(*raw){unsigned, withHeader("Authentication", "tok"), withHeader("Sec-Fetch-Site", "same-site")}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rp := h.MustDo(t, body, tc.opts...)
			shape := cmp.Or(tc.shape, "UnauthorizedOperationException")
			rp.MustError(t, http.StatusForbidden, shape, tc.msg)
			if shape == "InvalidSignatureException" && !strings.HasPrefix(rp.Msg, "Signature ") {
				t.Errorf("message %q, want the verifier's 'Signature expired: ...' or 'Signature not yet current: ...'", rp.Msg)
			}
			if rp.Msg == "" || strings.Contains(rp.Msg, "Signature=") {
				t.Errorf("message %q", rp.Msg)
			}
			h.MustNoUsers(t)
		})
	}
}

// TestSensitiveNeverEchoed: passwords (and the other members the model marks sensitive)
// appear in no response and no log line, whatever fails.
func TestSensitiveNeverEchoed(t *testing.T) {
	h := MustHarness(t)
	const secret = "Zz-s3cret-Zz"
	bodies := []string{
		`{"Username":"sens","GivenName":"G","Surname":"S","Password":"` + secret + "\t" + `"}`,                  // pattern
		`{"Username":"sens","GivenName":"G","Surname":"S","Password":"` + strings.Repeat(secret, 3) + `"}`,      // too long
		`{"Username":"sens","GivenName":"G","Surname":"S","Password":"` + secret + `","Password":"x"}`,          // duplicate
		`{"Username":"` + secret + `!","GivenName":"` + secret + `","Surname":"S","Password":"` + secret + `"}`, // bad username
		`{"Username":"sens","GivenName":"` + strings.Repeat(secret, 6) + `","Surname":"S","Password":"` + secret + `"}`,
		`{"Username":"sens","EmailAddress":"` + secret + `","GivenName":"G","Surname":"S","Password":"` + secret + `"}`,
		`{"Username":"sens","GivenName":"G","Surname":"S","Password":"` + secret + `","OrganizationId":"d-9"}`,
		`{"Username":"sens","GivenName":"G","Surname":"S","Password":"` + secret + `"}`, // created
		`{"Username":"sens","GivenName":"G","Surname":"S","Password":"` + secret + `"}`, // taken
	}
	for _, b := range bodies {
		rp := h.MustDo(t, b)
		if strings.Contains(string(rp.Body), secret) {
			t.Errorf("response %d echoes a sensitive value: %s", rp.Status, rp.Body)
		}
	}
	if strings.Contains(h.log.String(), secret) {
		t.Errorf("the log contains a sensitive value:\n%s", h.log.String())
	}
	if !strings.Contains(h.log.String(), "face=workdocs op=CreateUser tenant=000000000000") {
		t.Errorf("the log does not name the face, operation and tenant:\n%s", h.log.String())
	}
}
