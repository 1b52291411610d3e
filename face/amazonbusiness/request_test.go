package amazonbusiness_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/amazonbusiness"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/httpx"
)

func TestAccessToken(t *testing.T) {
	h := MustHarness(t)
	// An expired token, and a refresh token, which may not call the API.
	err := h.svc.Store.Update(context.Background(), func(tx rollcall.Tx) error {
		now := time.Now()
		if err := tx.InsertAccessToken(&rollcall.AccessToken{Hash: rollcall.HashToken("Atza|expired"), DirectoryID: devBusiness,
			TenantID: devBusiness, Kind: "access", ExpiresAt: now.Add(-time.Second), CreatedAt: now.Add(-time.Hour)}); err != nil {
			return err
		}
		if err := tx.InsertAccessToken(&rollcall.AccessToken{Hash: rollcall.HashToken("Atzr|refresh"), DirectoryID: devBusiness,
			TenantID: devBusiness, Kind: "refresh", CreatedAt: now}); err != nil {
			return err
		}
		return tx.InsertAccessToken(&rollcall.AccessToken{Hash: rollcall.HashToken("Atza|fresh"), DirectoryID: devBusiness,
			TenantID: devBusiness, Kind: "access", ExpiresAt: now.Add(time.Hour), CreatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	const sigv4 = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00"
	for _, tc := range []struct {
		name string
		opts []reqOption
		msg  string // "" = 201
	}{
		{"missing", []reqOption{withoutToken()}, "Access denied: the x-amz-access-token header is missing."},
		{"empty", []reqOption{withToken("")}, "Access denied: the x-amz-access-token header is missing."},
		{"unknown", []reqOption{withToken("Atza|no-such-token")}, "Access denied: the access token is invalid."},
		{"other case", []reqOption{withToken(strings.ToUpper(devToken))}, "Access denied: the access token is invalid."},
		{"expired", []reqOption{withToken("Atza|expired")}, "Access denied: the access token has expired."},
		{"refresh token", []reqOption{withToken("Atzr|refresh")}, "Access denied: the access token is invalid."},
		{"SigV4 instead of a token", []reqOption{withoutToken(), withHeader("Authorization", sigv4)},
			"Access denied: the x-amz-access-token header is missing."},
		{"bearer instead of a token", []reqOption{withoutToken(), withHeader("Authorization", "Bearer "+devToken)},
			"Access denied: the x-amz-access-token header is missing."},
		// Authentication comes first: a bad Content-Type or body does not tell an anonymous
		// caller anything.
		{"missing, with a bad content type", []reqOption{withoutToken(), withHeader("Content-Type", "text/plain")},
			"Access denied: the x-amz-access-token header is missing."},
		{"not yet expired", []reqOption{withToken("Atza|fresh")}, ""},
		{"SigV4 header ignored", []reqOption{withHeader("Authorization", sigv4)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot(t)
			res := h.create(t, validRequest(uniqueEmail()).String(), tc.opts...)
			if tc.msg == "" {
				res.MustCreated(t)
				return
			}
			res.MustError(t, http.StatusForbidden, "ACCESS_DENIED", tc.msg)
			h.MustUnchanged(t, before)
		})
	}
	// The token a request carries never reaches the log.
	if strings.Contains(h.log.String(), "Atza|") || strings.Contains(h.log.String(), "Atzr|") {
		t.Errorf("the log carries a token:\n%s", h.log.String())
	}
}

func TestContentType(t *testing.T) {
	h := MustHarness(t)
	for _, tc := range []struct {
		ct  string // "-" = no header
		msg string // "" = accepted
	}{
		{"application/json", ""},
		{"application/json; charset=utf-8", ""},
		{"application/json;charset=UTF-8", ""},
		{"Application/JSON; charset=\"utf-8\"", ""},
		{"application/json; charset=utf8", ""},
		{"-", "The request has no Content-Type; the body must be application/json."},
		{"text/plain", "Unsupported Content-Type: 'text/plain'. The body must be application/json."},
		{"application/x-www-form-urlencoded", "Unsupported Content-Type: 'application/x-www-form-urlencoded'. The body must be application/json."},
		{"application/x-amz-json-1.1", "Unsupported Content-Type: 'application/x-amz-json-1.1'. The body must be application/json."},
		{"application/jsonx", "Unsupported Content-Type: 'application/jsonx'. The body must be application/json."},
		{"application/json; charset", "Unsupported Content-Type: 'application/json; charset'. The body must be application/json."},
		{"application/json; charset=iso-8859-1", "Unsupported charset: 'iso-8859-1'. The body must be UTF-8 encoded JSON."},
		{"application/json; charset=utf-16", "Unsupported charset: 'utf-16'. The body must be UTF-8 encoded JSON."},
	} {
		t.Run(tc.ct, func(t *testing.T) {
			opt := withHeader("Content-Type", tc.ct)
			if tc.ct == "-" {
				opt = withoutHeader("Content-Type")
			}
			before := h.snapshot(t)
			res := h.create(t, validRequest(uniqueEmail()).String(), opt)
			if tc.msg == "" {
				res.MustCreated(t)
				return
			}
			res.MustError(t, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", tc.msg)
			h.MustUnchanged(t, before)
		})
	}
}

// paddedBody is a valid request padded with white space to exactly n bytes.
func paddedBody(tb testing.TB, n int) []byte {
	tb.Helper()
	b := []byte(validRequest(uniqueEmail()).String())
	if len(b) > n {
		tb.Fatalf("request of %d bytes does not fit in %d", len(b), n)
	}
	return append(b, bytes.Repeat([]byte(" "), n-len(b))...)
}

func TestBodySize(t *testing.T) {
	h := MustHarness(t)
	const tooLarge = "The request body exceeds the maximum size of 1048576 bytes."
	for _, tc := range []struct {
		name string
		size int
		opts []reqOption
	}{
		{"at the limit", httpx.MaxBodyBytes, nil},
		{"at the limit, chunked", httpx.MaxBodyBytes, []reqOption{chunked()}},
		{"one past the limit", httpx.MaxBodyBytes + 1, nil},
		{"one past the limit, chunked", httpx.MaxBodyBytes + 1, []reqOption{chunked()}},
		{"far past the limit", 4 * httpx.MaxBodyBytes, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot(t)
			res := h.doBytes(t, amazonbusiness.CreatePath, paddedBody(t, tc.size), tc.opts...)
			if tc.size <= httpx.MaxBodyBytes {
				res.MustCreated(t)
				return
			}
			res.MustError(t, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", tooLarge)
			h.MustUnchanged(t, before)
		})
	}
}

// TestMalformedBody: bad JSON never crashes the face and never writes anything; member
// names are case-sensitive, so a misspelt required member is missing.
func TestMalformedBody(t *testing.T) {
	h := MustHarness(t)
	holder := `{"email":"ada@example.com","givenName":"Ada","familyName":"Lovelace"}`
	for _, tc := range []struct {
		name string
		body string
		want []apiError
	}{
		{"truncated", `{"accountHolder":`, []apiError{invalid("The request body is not valid JSON (at byte 17).")}},
		{"missing value", `{"accountHolder":}`, []apiError{invalid("The request body is not valid JSON (at byte 17).")}},
		{"trailing comma", `{"region":"US",}`, []apiError{invalid("The request body is not valid JSON (at byte 14).")}},
		{"single quotes", `{'region':'US'}`, []apiError{invalid("The request body is not valid JSON (at byte 1).")}},
		{"trailing data", `{"accountHolder":` + holder + `,"region":"US"} {}`, []apiError{invalid("The request body is not valid JSON (at byte 102).")}},
		{"array", `[]`, []apiError{invalid("The request body must be a JSON object.")}},
		{"string", `"hello"`, []apiError{invalid("The request body must be a JSON object.")}},
		{"null", `null`, []apiError{invalid("The request body must be a JSON object.")}},
		{"accountHolder a string", `{"accountHolder":"ada@example.com","region":"US"}`,
			[]apiError{invalid("Invalid type for 'accountHolder': expected an object, found a string.")}},
		{"email a number", `{"accountHolder":{"email":42,"givenName":"Ada","familyName":"Lovelace"},"region":"US"}`,
			[]apiError{invalid("Invalid type for 'accountHolder.email': expected a string, found a number.")}},
		{"region a list", `{"accountHolder":` + holder + `,"region":["US"]}`,
			[]apiError{invalid("Invalid type for 'region': expected a string, found a list.")}},
		{"role true", `{"accountHolder":` + holder + `,"region":"US","role":true}`,
			[]apiError{invalid("Invalid type for 'role': expected a string, found a boolean.")}},
		{"notificationTypesToSuppress a string", `{"accountHolder":` + holder + `,"region":"US","notificationTypesToSuppress":"EMAIL"}`,
			[]apiError{invalid("Invalid type for 'notificationTypesToSuppress': expected a list, found a string.")}},
		{"groupId a string", `{"accountHolder":` + holder + `,"region":"US","groupId":"dev-group"}`,
			[]apiError{invalid("Invalid type for 'groupId': expected an object, found a string.")}},
		{"duplicate region", `{"accountHolder":` + holder + `,"region":"US","region":"DE"}`,
			[]apiError{invalid("Duplicate member name 'region' in JSON object.")}},
		{"duplicate email", `{"accountHolder":{"email":"a@example.com","email":"b@example.com","givenName":"Ada","familyName":"Lovelace"},"region":"US"}`,
			[]apiError{invalid("Duplicate member name 'accountHolder.email' in JSON object.")}},
		{"invalid UTF-8 in a value", "{\"accountHolder\":{\"email\":\"ada@example.com\",\"givenName\":\"Ad\xff\",\"familyName\":\"Lovelace\"},\"region\":\"US\"}",
			[]apiError{invalid("The request body is not valid UTF-8 (at byte 59).")}},
		{"invalid UTF-8 in a name", "{\"accountHolder\":" + holder + ",\"re\xc3gion\":\"US\"}",
			[]apiError{invalid("The request body is not valid UTF-8 (at byte 90).")}},
		{"AccountHolder", `{"AccountHolder":` + holder + `,"region":"US"}`, []apiError{missing("accountHolder")}},
		{"Region", `{"accountHolder":` + holder + `,"Region":"US"}`, []apiError{missing("region")}},
		{"Email", `{"accountHolder":{"Email":"ada@example.com","givenName":"Ada","familyName":"Lovelace"},"region":"US"}`,
			[]apiError{missing("accountHolder.email")}},
		{"groupid", `{"accountHolder":` + holder + `,"region":"US","groupId":{"idtype":"GroupId","ID":"dev-group"}}`,
			[]apiError{missing("groupId.idType"), missing("groupId.id")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot(t)
			h.create(t, tc.body).MustErrorList(t, http.StatusBadRequest, tc.want...)
			h.MustUnchanged(t, before)
		})
	}
	// Unknown members are ignored, as members newer clients may send.
	h.create(t, `{"accountHolder":{"email":"ada@example.com","givenName":"Ada","familyName":"Lovelace","title":"Countess"},"region":"US","costCenter":"42"}`).MustCreated(t)
}

func TestRouting(t *testing.T) {
	h := MustHarness(t)
	for _, tc := range []struct {
		method, path string
		status       int
		code, msg    string
	}{
		{"GET", amazonbusiness.CreatePath, 405, "METHOD_NOT_ALLOWED", "Method GET is not allowed on " + amazonbusiness.CreatePath + "; use POST."},
		{"PUT", amazonbusiness.CreatePath, 405, "METHOD_NOT_ALLOWED", "Method PUT is not allowed on " + amazonbusiness.CreatePath + "; use POST."},
		{"DELETE", amazonbusiness.CreatePath, 405, "METHOD_NOT_ALLOWED", "Method DELETE is not allowed on " + amazonbusiness.CreatePath + "; use POST."},
		{"POST", amazonbusiness.CreatePath + "/", 404, "RESOURCE_NOT_FOUND", "No operation matches POST " + amazonbusiness.CreatePath + "/."},
		{"POST", "/businessAccounts/2021-08-30/businessUserAccounts", 404, "RESOURCE_NOT_FOUND",
			"No operation matches POST /businessAccounts/2021-08-30/businessUserAccounts."},
		{"POST", "/businessAccounts/2020-01-01/businessUserAccount", 404, "RESOURCE_NOT_FOUND",
			"No operation matches POST /businessAccounts/2020-01-01/businessUserAccount."},
		{"POST", "/businessAccounts//2021-08-30/businessUserAccount", 404, "RESOURCE_NOT_FOUND",
			"No operation matches POST /businessAccounts//2021-08-30/businessUserAccount."},
		{"GET", "/businessAccounts/", 404, "RESOURCE_NOT_FOUND", "No operation matches GET /businessAccounts/."},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			before := h.snapshot(t)
			res := h.do(t, tc.path, validRequest(uniqueEmail()).String(), withMethod(tc.method))
			res.MustError(t, tc.status, tc.code, tc.msg)
			if tc.status == 405 && res.header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q, want POST", res.header.Get("Allow"))
			}
			h.MustUnchanged(t, before)
		})
	}
	// A query string does not change the operation.
	h.do(t, amazonbusiness.CreatePath+"?dryRun=true", validRequest(uniqueEmail()).String()).MustCreated(t)

	f := h.face
	for path, want := range map[string]bool{
		amazonbusiness.CreatePath: true, "/businessAccounts/x": true, "/businessAccounts": false,
		"/": false, "/api/v1/users": false, "/_rollcall/health": false, "/accounts/x/users": false,
	} {
		if got := f.Match(httptest.NewRequest("POST", path, nil)); got != want {
			t.Errorf("Match(%s) = %v, want %v", path, got, want)
		}
	}
}

// failWith fails every write of the harness's store with err; reads (the token lookup)
// work.
func failWith(err error) harnessOption {
	return harnessOption{wrapStore: facetest.FailUpdates(err)}
}

func TestCoreFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
		msg    string
	}{
		{"throttled", &rollcall.Error{Kind: rollcall.Throttled, Message: "Rate exceeded."}, 429, "TOO_MANY_REQUESTS", "Rate exceeded."},
		{"unavailable", &rollcall.Error{Kind: rollcall.Unavailable, Message: "The directory is unavailable; try again.",
			Err: errors.New("database is locked")}, 503, "SERVICE_UNAVAILABLE", "The directory is unavailable; try again."},
		{"internal", errors.New("disk on fire at /var/lib/secret"), 500, "INTERNAL_FAILURE", "An internal error occurred."},
		{"internal kind", &rollcall.Error{Kind: rollcall.Internal, Message: "constraint users_pkey"}, 500, "INTERNAL_FAILURE", "An internal error occurred."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := MustHarness(t, failWith(tc.err))
			res := h.create(t, validRequest(uniqueEmail()).String())
			res.MustError(t, tc.status, tc.code, tc.msg)
			if !strings.Contains(h.log.String(), tc.err.Error()) {
				t.Errorf("the cause is not in the log:\n%s", h.log.String())
			}
		})
	}
}

// TestHeaders: every status the face answers carries x-amzn-RequestId, Content-Type
// application/json, and x-amzn-RateLimit-Limit exactly where the page lists it (201, 400,
// 404), with the configured value.
func TestHeaders(t *testing.T) {
	for _, limit := range []string{"", "2.5"} {
		opts := []harnessOption{{face: func(f *amazonbusiness.Face) { f.RateLimit = limit }}}
		h := MustHarness(t, opts...)
		throttled := MustHarness(t, append(opts, failWith(&rollcall.Error{Kind: rollcall.Throttled, Message: "slow down"}))...)
		want := limit
		if want == "" {
			want = amazonbusiness.DefaultRateLimit
		}
		ok := validRequest(uniqueEmail()).String()
		for _, tc := range []struct {
			name   string
			h      *harness
			path   string
			body   string
			opts   []reqOption
			status int
		}{
			{"created", h, amazonbusiness.CreatePath, ok, nil, 201},
			{"invalid", h, amazonbusiness.CreatePath, "{}", nil, 400},
			{"duplicate", h, amazonbusiness.CreatePath, ok, nil, 400},
			{"forbidden", h, amazonbusiness.CreatePath, ok, []reqOption{withoutToken()}, 403},
			{"unknown group", h, amazonbusiness.CreatePath, `{"accountHolder":{"email":"x@example.com","givenName":"X","familyName":"Y"},"region":"US","groupId":{"idType":"GroupId","id":"nope"}}`, nil, 404},
			{"unknown path", h, "/businessAccounts/nope", ok, nil, 404},
			{"method", h, amazonbusiness.CreatePath, ok, []reqOption{withMethod("GET")}, 405},
			{"too large", h, amazonbusiness.CreatePath, strings.Repeat(" ", httpx.MaxBodyBytes+1), nil, 413},
			{"media type", h, amazonbusiness.CreatePath, ok, []reqOption{withHeader("Content-Type", "text/plain")}, 415},
			{"throttled", throttled, amazonbusiness.CreatePath, ok, nil, 429},
		} {
			t.Run(want+" "+tc.name, func(t *testing.T) {
				res := tc.h.do(t, tc.path, tc.body, tc.opts...)
				if res.status != tc.status {
					t.Fatalf("status %d, want %d: %s", res.status, tc.status, res.body)
				}
				res.MustHeaders(t, want)
				if tc.status != 201 {
					res.MustErrors(t)
				}
			})
		}
	}
}

// TestHeaderFollowsTheLimit: x-amzn-RateLimit-Limit says the limit in force when the
// face answers, though the face keeps the header it last made.
func TestHeaderFollowsTheLimit(t *testing.T) {
	h := MustHarness(t)
	for _, limit := range []string{"", "2.5", "3.0", ""} {
		h.face.RateLimit = limit
		want := limit
		if want == "" {
			want = amazonbusiness.DefaultRateLimit
		}
		for _, body := range []string{validRequest(uniqueEmail()).String(), "{}"} {
			res := h.do(t, amazonbusiness.CreatePath, body)
			res.MustHeaders(t, want)
		}
	}
}
