package sigv4_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/auth/sigv4"
)

var createUserBody = []byte(`{"Email":"ada.lovelace@example.com","UserType":"PrivateUser","Username":"ada.lovelace-example"}`)

const createUserURL = "https://service.chime.aws.amazon.com/accounts/3f1c5e9a-6a9e-4f4c-9f0e-2f9a3c1d7b21/users?operation=create"

// signedCreateUser returns a Chime CreateUser request signed by aws-sdk-go v1 at t, as a
// server receives it.
func signedCreateUser(tb testing.TB, t time.Time, key, secret, token, service, region string) *http.Request {
	tb.Helper()
	r := httptest.NewRequest("POST", createUserURL, bytes.NewReader(createUserBody))
	r.Header.Set("Content-Type", "application/json")
	signing{key, secret, token, service, region, t}.v1Sign(tb, r, createUserBody)
	return r
}

// presignedCreateUser returns the request presigned by aws-sdk-go v1 for expires.
func presignedCreateUser(tb testing.TB, t time.Time, expires time.Duration) *http.Request {
	tb.Helper()
	r := httptest.NewRequest("POST", createUserURL, bytes.NewReader(createUserBody))
	signing{testKey, testSecret, "", "chime", chimeRegion, t}.v1Presign(tb, r, createUserBody, expires)
	r.RequestURI = r.URL.RequestURI()
	return r
}

// presignedUnsigned returns the request presigned by aws-sdk-go-v2 over UNSIGNED-PAYLOAD,
// as S3 URLs are presigned: the signature covers no body at all.
func presignedUnsigned(tb testing.TB, t time.Time) func() *http.Request {
	return func() *http.Request {
		r := httptest.NewRequest("POST", createUserURL, bytes.NewReader(createUserBody))
		signing{testKey, testSecret, "", "chime", chimeRegion, t}.v2Presign(tb, r, "UNSIGNED-PAYLOAD")
		r.RequestURI = r.URL.RequestURI()
		r.Header.Set("Content-Length", strconv.Itoa(len(createUserBody))) // signed, as Go's client sends it
		return r
	}
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestErrorCodes(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	const skew = 15 * time.Minute
	v := &sigv4.Verifier{
		Lookup: func(ctx context.Context, id string) (sigv4.Credential, error) {
			switch id {
			case "AKIAWRAPPED":
				return sigv4.Credential{}, fmt.Errorf("store: key %s: %w", id, sigv4.ErrUnknownKey)
			case "AKIABROKEN":
				return sigv4.Credential{}, errStoreDown
			case "AKIANOSECRET":
				return sigv4.Credential{AccessKeyID: id}, nil
			}
			return staticLookup(
				sigv4.Credential{AccessKeyID: testKey, SecretAccessKey: testSecret},
				sigv4.Credential{AccessKeyID: "ASIATEMP", SecretAccessKey: "tmp-secret", SessionToken: "the-session-token", Expires: now.Add(time.Hour)},
				sigv4.Credential{AccessKeyID: "ASIAHASHED", SecretAccessKey: "tmp-secret", SessionTokenHash: hashHex("the-session-token"), Expires: now.Add(time.Hour)},
				sigv4.Credential{AccessKeyID: "ASIAOLD", SecretAccessKey: "old", SessionToken: "the-session-token", Expires: now.Add(-time.Second)},
				sigv4.Credential{AccessKeyID: "ASIANOW", SecretAccessKey: "old", SessionToken: "the-session-token", Expires: now},
			)(ctx, id)
		},
		Now:      func() time.Time { return now },
		Services: []string{"chime"},
		Regions:  []string{chimeRegion},
	}
	sign := func(at time.Time, key, secret, token, service, region string) func() *http.Request {
		return func() *http.Request { return signedCreateUser(t, at, key, secret, token, service, region) }
	}
	valid := sign(now, testKey, testSecret, "", "chime", chimeRegion)
	edit := func(f func(r *http.Request)) func() *http.Request {
		return func() *http.Request { r := valid(); f(r); return r }
	}
	editAuth := func(old, new string) func() *http.Request {
		return edit(func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
		})
	}
	presigned := func(at time.Time, expires time.Duration, f func(q url.Values)) func() *http.Request {
		return func() *http.Request {
			r := presignedCreateUser(t, at, expires)
			if f != nil {
				q := r.URL.Query()
				f(q)
				r.RequestURI = r.URL.Path + "?" + q.Encode()
			}
			return r
		}
	}

	edit2 := func(req func() *http.Request, f func(r *http.Request)) func() *http.Request {
		return func() *http.Request { r := req(); f(r); return r }
	}

	cases := []struct {
		name string
		req  func() *http.Request
		want sigv4.Code // 0: accepted
		msg  string     // the exact message, when given
	}{
		{"valid", valid, 0, ""},
		{"valid, RequestURI empty", edit(func(r *http.Request) { r.RequestURI = "" }), 0, ""},
		{"valid presigned", presigned(now, 15*time.Minute, nil), 0, ""},
		{"temporary credential", sign(now, "ASIATEMP", "tmp-secret", "the-session-token", "chime", chimeRegion), 0, ""},
		{"temporary credential known by its token's hash", sign(now, "ASIAHASHED", "tmp-secret", "the-session-token", "chime", chimeRegion), 0, ""},

		{"no Authorization", edit(func(r *http.Request) { r.Header.Del("Authorization") }), sigv4.MissingAuth, "Missing Authentication Token"},
		{"presign parameters without X-Amz-Signature", presigned(now, time.Minute, func(q url.Values) { q.Del("X-Amz-Signature") }), sigv4.MissingAuth, ""},

		{"not SigV4", edit(func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc") }), sigv4.MalformedAuth, ""},
		{"credential without aws4_request", editAuth("/aws4_request", ""), sigv4.MalformedAuth, ""},
		{"credential with a bad date", editAuth("/20261122/", "/2026-11-22/"), sigv4.MalformedAuth, ""},
		{"no Signature part", edit(func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:strings.Index(a, ", Signature=")])
		}), sigv4.MalformedAuth, "Authorization header requires 'Signature' parameter."},
		{"unknown part", editAuth(", Signature=", ", Extra=1, Signature="), sigv4.MalformedAuth, ""},
		{"no X-Amz-Date", edit(func(r *http.Request) { r.Header.Del("X-Amz-Date") }), sigv4.MalformedAuth, ""},
		{"bad X-Amz-Date", edit(func(r *http.Request) { r.Header.Set("X-Amz-Date", "20261122T120000") }), sigv4.MalformedAuth, ""},
		{"SignedHeaders without host", editAuth("SignedHeaders=content-type;host;", "SignedHeaders=content-type;"), sigv4.MalformedAuth, "SignedHeaders must include 'host'."},
		{"SignedHeaders in upper case", editAuth("SignedHeaders=content-type;", "SignedHeaders=Content-Type;"), sigv4.MalformedAuth, ""},
		{"two Authorization headers", edit(func(r *http.Request) { r.Header.Add("Authorization", r.Header.Get("Authorization")) }), sigv4.MalformedAuth, ""},
		{"Authorization and X-Amz-Signature", edit(func(r *http.Request) { r.RequestURI += "&X-Amz-Signature=00" }), sigv4.MalformedAuth, ""},
		{"undecodable query", edit(func(r *http.Request) { r.RequestURI += "&x=%zz" }), sigv4.MalformedAuth, ""},
		{"X-Amz-Expires not a number", presigned(now, time.Minute, func(q url.Values) { q.Set("X-Amz-Expires", "soon") }), sigv4.MalformedAuth, ""},

		{"SigV4a", editAuth("AWS4-HMAC-SHA256 ", "AWS4-ECDSA-P256-SHA256 "), sigv4.UnsupportedAlgorithm, ""},
		{"SigV4a presigned", presigned(now, time.Minute, func(q url.Values) { q.Set("X-Amz-Algorithm", "AWS4-ECDSA-P256-SHA256") }), sigv4.UnsupportedAlgorithm, ""},
		{"streaming payload", edit(func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") }), sigv4.UnsupportedAlgorithm, ""},
		{"unsigned payload in the header form", edit(func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }), sigv4.UnsupportedAlgorithm, ""},
		{"unsigned payload, presigned", edit2(presigned(now, time.Minute, nil), func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }), sigv4.UnsupportedAlgorithm, ""},
		{"streaming payload, presigned", edit2(presigned(now, time.Minute, nil), func(r *http.Request) {
			r.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
		}), sigv4.UnsupportedAlgorithm, ""},
		{"unsigned payload in a presigned query", presigned(now, time.Minute, func(q url.Values) { q.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }), sigv4.UnsupportedAlgorithm, ""},
		{"presigned over UNSIGNED-PAYLOAD, as S3 presigns", presignedUnsigned(t, now), sigv4.SignatureMismatch, ""},

		{"wrong service", sign(now, testKey, testSecret, "", "workdocs", chimeRegion), sigv4.WrongService, "Credential should be scoped to correct service: 'chime'."},
		{"wrong region", sign(now, testKey, testSecret, "", "chime", "eu-west-1"), sigv4.WrongRegion, "Credential should be scoped to a valid region, not 'eu-west-1'."},
		{"scope date not X-Amz-Date's", editAuth("/20261122/", "/20261121/"), sigv4.DateMismatch,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261121' != '20261122', from 'x-amz-date'."},

		{"unknown key", sign(now, "AKIANOBODY", testSecret, "", "chime", chimeRegion), sigv4.UnknownKey, "The security token included in the request is invalid."},
		{"unknown key, wrapped by Lookup", sign(now, "AKIAWRAPPED", testSecret, "", "chime", chimeRegion), sigv4.UnknownKey, ""},
		{"key without a secret", sign(now, "AKIANOSECRET", "anything", "", "chime", chimeRegion), sigv4.UnknownKey, ""},

		{"expired temporary credential", sign(now, "ASIAOLD", "old", "the-session-token", "chime", chimeRegion), sigv4.ExpiredCredential, "The security token included in the request is expired"},
		{"temporary credential expiring now", sign(now, "ASIANOW", "old", "the-session-token", "chime", chimeRegion), sigv4.ExpiredCredential, ""},

		{"wrong session token", sign(now, "ASIATEMP", "tmp-secret", "another-token", "chime", chimeRegion), sigv4.InvalidToken, ""},
		{"wrong session token, by hash", sign(now, "ASIAHASHED", "tmp-secret", "another-token", "chime", chimeRegion), sigv4.InvalidToken, ""},
		{"no session token", sign(now, "ASIATEMP", "tmp-secret", "", "chime", chimeRegion), sigv4.InvalidToken, ""},
		{"long-term key with a session token", sign(now, testKey, testSecret, "the-session-token", "chime", chimeRegion), sigv4.InvalidToken, ""},

		{"wrong secret", sign(now, testKey, "wrong", "", "chime", chimeRegion), sigv4.SignatureMismatch, sigv4.ErrSignatureMismatch.Message},
		{"signature not hex", editAuth("Signature=", "Signature=zz"), sigv4.SignatureMismatch, ""},
		{"content hash not the body's", edit(func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", hashHex("other")) }), sigv4.SignatureMismatch,
			"The provided 'x-amz-content-sha256' header does not match what was computed."},

		{"just inside the past skew", sign(now.Add(-skew), testKey, testSecret, "", "chime", chimeRegion), 0, ""},
		{"just outside the past skew", sign(now.Add(-skew-time.Second), testKey, testSecret, "", "chime", chimeRegion), sigv4.RequestExpired,
			"Signature expired: 20261122T114459Z is now earlier than 20261122T114500Z (20261122T120000Z - 15 min.)"},
		{"just inside the future skew", sign(now.Add(skew), testKey, testSecret, "", "chime", chimeRegion), 0, ""},
		{"just outside the future skew", sign(now.Add(skew+time.Second), testKey, testSecret, "", "chime", chimeRegion), sigv4.RequestExpired,
			"Signature not yet current: 20261122T121501Z is still later than 20261122T121500Z (20261122T120000Z + 15 min.)"},
		{"presigned, just inside X-Amz-Expires", presigned(now.Add(-time.Hour), time.Hour, nil), 0, ""},
		{"presigned, past X-Amz-Expires", presigned(now.Add(-time.Hour-time.Second), time.Hour, nil), sigv4.RequestExpired, ""},
		{"presigned, not yet valid", presigned(now.Add(skew+time.Second), time.Hour, nil), sigv4.RequestExpired, ""},
		{"presigned for over a week", presigned(now, time.Minute, func(q url.Values) { q.Set("X-Amz-Expires", "604801") }), sigv4.RequestExpired,
			"X-Amz-Expires must be less than a week (in seconds) that is 604800."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.req()
			sig := r.Header.Get("Authorization")
			_, err := v.Verify(context.Background(), r, createUserBody)
			checkCode(t, "verify", err, c.want)
			if c.want == 0 {
				return
			}
			var e *sigv4.Error
			if !errors.As(err, &e) {
				return
			}
			if c.msg != "" && e.Message != c.msg {
				t.Errorf("message %q, want %q", e.Message, c.msg)
			}
			_, sig, _ = strings.Cut(sig, "Signature=")
			for _, secret := range []string{testSecret, "tmp-secret", "the-session-token", "another-token", sig} {
				if len(secret) > 4 && strings.Contains(e.Message, secret) {
					t.Errorf("the message gives away %q: %s", secret, e.Message)
				}
			}
			if !errors.Is(err, &sigv4.Error{Code: c.want}) {
				t.Error("errors.Is does not match by Code")
			}
		})
	}
}

var errStoreDown = errors.New("store is down")

// TestLookupFailure: an error from Lookup that is not an *Error is passed on wrapped, for
// the server to answer as an internal error.
func TestLookupFailure(t *testing.T) {
	now := time.Now()
	v := &sigv4.Verifier{Lookup: func(context.Context, string) (sigv4.Credential, error) { return sigv4.Credential{}, errStoreDown }}
	_, err := v.Verify(context.Background(), signedCreateUser(t, now, testKey, testSecret, "", "chime", chimeRegion), createUserBody)
	var e *sigv4.Error
	if !errors.Is(err, errStoreDown) || errors.As(err, &e) {
		t.Fatalf("err = %v, want errStoreDown wrapped", err)
	}
}

// TestSentinels: errors.Is matches each sentinel by Code, and Verify's errors are fresh
// values, so changing one does not change a sentinel.
func TestSentinels(t *testing.T) {
	sentinels := map[sigv4.Code]error{
		sigv4.MissingAuth: sigv4.ErrMissingAuth, sigv4.MalformedAuth: sigv4.ErrMalformedAuth, sigv4.UnsupportedAlgorithm: sigv4.ErrUnsupportedAlgorithm,
		sigv4.UnknownKey: sigv4.ErrUnknownKey, sigv4.ExpiredCredential: sigv4.ErrExpiredCredential, sigv4.InvalidToken: sigv4.ErrInvalidToken,
		sigv4.SignatureMismatch: sigv4.ErrSignatureMismatch, sigv4.RequestExpired: sigv4.ErrRequestExpired, sigv4.WrongService: sigv4.ErrWrongService,
		sigv4.WrongRegion: sigv4.ErrWrongRegion, sigv4.DateMismatch: sigv4.ErrDateMismatch,
	}
	for code, sentinel := range sentinels {
		err := fmt.Errorf("wrapped: %w", &sigv4.Error{Code: code, Message: "x"})
		for other, s := range sentinels {
			if errors.Is(err, s) != (other == code) {
				t.Errorf("errors.Is(%v, sentinel %v) = %v", code, other, !(other == code))
			}
		}
		if code.String() == "" || strings.HasPrefix(code.String(), "Code(") || sentinel.(*sigv4.Error).Message == "" {
			t.Errorf("%v: no name or message", code)
		}
	}

	v := testVerifier(time.Now())
	r := signedCreateUser(t, time.Now(), testKey, testSecret, "", "chime", chimeRegion)
	r.Header.Del("Authorization")
	_, err := v.Verify(context.Background(), r, createUserBody)
	if err == sigv4.ErrMissingAuth {
		t.Fatal("Verify returned the sentinel itself")
	}
}

// TestMustSign: a header the service routes on or reads must be signed whenever it is
// sent; the official signers sign it, a URL presigned over host alone does not.
func TestMustSign(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	v := &sigv4.Verifier{
		Lookup:   staticLookup(sigv4.Credential{AccessKeyID: testKey, SecretAccessKey: testSecret}),
		Now:      func() time.Time { return now },
		MustSign: []string{"x-amz-target", "content-type"},
	}
	body := []byte(`{"UserId":"ada"}`)
	newReq := func(target, contentType string) *http.Request {
		r := httptest.NewRequest("POST", "https://a4b.us-east-1.amazonaws.com/", bytes.NewReader(body))
		if target != "" {
			r.Header.Set("X-Amz-Target", target)
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		return r
	}
	sg := signing{testKey, testSecret, "", "a4b", "us-east-1", now}
	signed := func(r *http.Request) *http.Request {
		sg.v1Sign(t, r, body)
		return r
	}
	presignedHostOnly := func(r *http.Request) *http.Request {
		h := r.Header.Clone()
		r.Header = http.Header{}
		sg.v1Presign(t, r, body, time.Minute)
		for k, vs := range h { // sent, but not signed
			r.Header[k] = vs
		}
		r.RequestURI = r.URL.RequestURI()
		return r
	}
	cases := []struct {
		name string
		r    *http.Request
		want sigv4.Code
		msg  string
	}{
		{"both signed", signed(newReq("AlexaForBusiness.CreateUser", "application/x-amz-json-1.1")), 0, ""},
		{"neither sent", signed(newReq("", "")), 0, ""},
		{"presigned over host, target sent", presignedHostOnly(newReq("AlexaForBusiness.DeleteUser", "")), sigv4.MalformedAuth, "SignedHeaders must include 'x-amz-target'."},
		{"presigned over host, content type sent", presignedHostOnly(newReq("", "application/x-amz-json-1.1")), sigv4.MalformedAuth, "SignedHeaders must include 'content-type'."},
		{"target added after signing", func() *http.Request {
			r := signed(newReq("", "application/x-amz-json-1.1"))
			r.Header.Set("X-Amz-Target", "AlexaForBusiness.DeleteUser")
			return r
		}(), sigv4.MalformedAuth, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), c.r, body)
			checkCode(t, "verify", err, c.want)
			var e *sigv4.Error
			if c.msg != "" && errors.As(err, &e) && e.Message != c.msg {
				t.Errorf("message %q, want %q", e.Message, c.msg)
			}
		})
	}
}

// TestRegionName: the credential scope's region is an AWS region name, whatever the
// verifier's own list; nothing else reaches an ARN or the store.
func TestRegionName(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	v := &sigv4.Verifier{
		Lookup: staticLookup(sigv4.Credential{AccessKeyID: testKey, SecretAccessKey: testSecret}),
		Now:    func() time.Time { return now },
	}
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "us-isob-east-1", "cn-northwest-1", "eusc-de-east-1", "il-central-1"} {
		r := signedCreateUser(t, now, testKey, testSecret, "", "chime", region)
		if _, err := v.Verify(context.Background(), r, createUserBody); err != nil {
			t.Errorf("%s: %v", region, err)
		}
	}
	for _, region := range []string{"x:111122223333", "Evil<b>region", "US-EAST-1", "us-east", "us-east-one", "us--1", "-us-east-1", "us-east-1-", "us-east-123", "local", "a-b-1", "us-east-1\x00", "us east 1"} {
		r := signedCreateUser(t, now, testKey, testSecret, "", "chime", region)
		_, err := v.Verify(context.Background(), r, createUserBody)
		checkCode(t, fmt.Sprintf("region %q", region), err, sigv4.WrongRegion)
		if e := (*sigv4.Error)(nil); errors.As(err, &e) && strings.ContainsAny(e.Message, "<:") {
			t.Errorf("region %q: the message echoes it: %s", region, e.Message)
		}
	}
}

// TestResultNamesTheOwner: Verify returns the Owner of the credential that signed, so a
// caller learns whom the key belongs to from the result, not from a side channel.
func TestResultNamesTheOwner(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	v := &sigv4.Verifier{Now: func() time.Time { return now }, Lookup: staticLookup(
		sigv4.Credential{AccessKeyID: "AKIAONE", SecretAccessKey: "one-secret", Owner: "111111111111"},
		sigv4.Credential{AccessKeyID: "AKIATWO", SecretAccessKey: "two-secret", Owner: "222222222222"},
	)}
	for key, owner := range map[string]string{"AKIAONE": "111111111111", "AKIATWO": "222222222222"} {
		secret := map[string]string{"AKIAONE": "one-secret", "AKIATWO": "two-secret"}[key]
		res, err := v.Verify(context.Background(), signedCreateUser(t, now, key, secret, "", "chime", "us-east-1"), createUserBody)
		if err != nil || res.Owner != owner {
			t.Errorf("%s: owner %q, err %v; want %q", key, res.Owner, err, owner)
		}
	}
}
