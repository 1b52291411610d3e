package sigv4_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	awsv2 "github.com/aws/aws-sdk-go-v2/aws"
	v2signer "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	v1creds "github.com/aws/aws-sdk-go/aws/credentials"
	v1signer "github.com/aws/aws-sdk-go/aws/signer/v4"

	"github.com/rollcall/rollcall/auth/sigv4"
)

const (
	testKey     = "AKIDEXAMPLE"
	testSecret  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	tempKey     = "ASIATEMPEXAMPLE"
	tempSecret  = "tmpSecretKey/EXAMPLE+KEY"
	tempToken   = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/special=chars=="
	chimeRegion = "us-east-1"
)

// staticLookup knows the given credentials and no other.
func staticLookup(creds ...sigv4.Credential) sigv4.Lookup {
	return func(_ context.Context, id string) (sigv4.Credential, error) {
		for _, c := range creds {
			if c.AccessKeyID == id {
				return c, nil
			}
		}
		return sigv4.Credential{}, sigv4.ErrUnknownKey
	}
}

func testVerifier(now time.Time) *sigv4.Verifier {
	return &sigv4.Verifier{
		Lookup: staticLookup(
			sigv4.Credential{AccessKeyID: testKey, SecretAccessKey: testSecret},
			sigv4.Credential{AccessKeyID: tempKey, SecretAccessKey: tempSecret, SessionToken: tempToken, Expires: now.Add(time.Hour)},
		),
		Now:      func() time.Time { return now },
		Services: []string{"chime", "workdocs", "a4b"},
	}
}

// received is what the server made of one request: the verdict, and the verdict after
// each change to a signed part.
type received struct {
	err     error
	changes []changeResult
}

type changeResult struct {
	what string
	want sigv4.Code
	err  error
}

// verifyingServer verifies each request it receives as it received it, then again after
// each change to a signed part, and reports on out.
func verifyingServer(t *testing.T, now time.Time, out chan<- received) *httptest.Server {
	v := testVerifier(now)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			panic(err)
		}
		res := received{}
		_, res.err = v.Verify(context.Background(), r, body)
		for _, m := range wireMutations(r) {
			c := r.Clone(context.Background())
			b := m.change(c, bytes.Clone(body))
			_, err := v.Verify(context.Background(), c, b)
			res.changes = append(res.changes, changeResult{m.what, m.want, err})
		}
		out <- res
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// wireMutations are the changes to each signed part of a request as a server received it.
func wireMutations(r *http.Request) []mutation {
	splitTarget := func(r *http.Request) (prefix, path, query string) {
		uri := r.RequestURI
		if !strings.HasPrefix(uri, "/") { // absolute form: the client set URL.Opaque
			i := strings.Index(uri, "://") + 3
			i += strings.IndexByte(uri[i:], '/')
			prefix, uri = uri[:i], uri[i:]
		}
		path, query, _ = strings.Cut(uri, "?")
		return prefix, path, query
	}
	setTarget := func(r *http.Request, prefix, path, query string) {
		r.RequestURI = prefix + path
		if query != "" {
			r.RequestURI += "?" + query
		}
	}
	ms := []mutation{
		{"method", sigv4.SignatureMismatch, func(r *http.Request, b []byte) []byte { r.Method = otherMethod(r.Method); return b }},
		{"path", sigv4.SignatureMismatch, func(r *http.Request, b []byte) []byte {
			prefix, path, query := splitTarget(r)
			setTarget(r, prefix, "/x"+path, query)
			return b
		}},
		{"host", sigv4.SignatureMismatch, func(r *http.Request, b []byte) []byte { r.Host = "other.example"; return b }},
		{"body", sigv4.SignatureMismatch, func(r *http.Request, b []byte) []byte { return append(b, 'x') }},
		{"query", sigv4.SignatureMismatch, func(r *http.Request, b []byte) []byte {
			prefix, path, query := splitTarget(r)
			if name := firstPlainParam("?" + query); name != "" {
				query = editQuery("?"+query, name, func(v string) string { return v + "x" })[1:]
			} else if query == "" {
				query = "extra=1"
			} else {
				query += "&extra=1"
			}
			setTarget(r, prefix, path, query)
			return b
		}},
		{"signature", sigv4.SignatureMismatch, func(r *http.Request, b []byte) []byte {
			if r.Header.Get("Authorization") != "" {
				flipSignature(r)
				return b
			}
			prefix, path, query := splitTarget(r)
			c := &http.Request{RequestURI: path + "?" + query, Header: http.Header{}}
			flipSignature(c)
			_, query, _ = strings.Cut(c.RequestURI, "?")
			setTarget(r, prefix, path, query)
			return b
		}},
	}
	presigned := r.Header.Get("Authorization") == ""
	ms = append(ms, headerMutations(signedHeaderNames(&http.Request{Header: r.Header, RequestURI: "/?" + r.URL.RawQuery}), false)...)
	if presigned {
		editParam := func(what, name string, want sigv4.Code, f func(string) string) mutation {
			return mutation{what, want, func(r *http.Request, b []byte) []byte {
				prefix, path, query := splitTarget(r)
				setTarget(r, prefix, path, editQuery("?"+query, name, f)[1:])
				return b
			}}
		}
		ms = append(ms, editParam("X-Amz-Date", "X-Amz-Date", sigv4.SignatureMismatch, func(v string) string { return shiftDate(v, -time.Second) }))
		if r.URL.Query().Get("X-Amz-Security-Token") != "" {
			ms = append(ms, editParam("X-Amz-Security-Token", "X-Amz-Security-Token", sigv4.InvalidToken, func(v string) string { return v + "x" }))
		}
	}
	return ms
}

// Random requests: paths with spaces, '+', '%', unicode, reserved characters, "//",
// "." and ".." segments; queries with repeated names, empty values and names and values
// whose encoded order differs from their decoded order; extra headers with runs of
// spaces, tabs and repeated lines; random bodies.

var (
	pathSegments = []string{"", ".", "..", "a b", "a+b", "100%", "é", "ሴ", "~user", "x!$&'()*,;=:@", "q?#", "a%20b", "accounts", "u-1_2.3"}
	queryNames   = []string{"a", "b", "a-b", "a/b", "é", "Key With Space", "plus+", "x%y", "next-token", "max-results", "user-email", ""}
	queryValues  = []string{"", "1", "two words", "a+b", "100%", "é/ሴ", "=&?", "a/b", "a-b", "ada@example.com", "~._-"}
)

// strictEscape escapes everything but the unreserved characters, as the SDKs' REST
// builders escape path parameters into URL.RawPath.
func strictEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// randomRequest builds a request to base whose URL takes one of the three forms the
// SDKs produce: Path with a strictly escaped RawPath (the REST builders of aws-sdk-go v1
// and smithy-go), Path alone (Go's own escaping) or Opaque "//host/escaped-path" (what
// aws-sdk-go v1's signer documentation recommends; Go then sends the absolute form).
func randomRequest(rng *rand.Rand, base string) (*http.Request, []byte, string) {
	var decoded, escaped strings.Builder
	for range 1 + rng.IntN(4) {
		seg := pathSegments[rng.IntN(len(pathSegments))]
		decoded.WriteString("/" + seg)
		escaped.WriteString("/" + strictEscape(seg))
	}
	if rng.IntN(4) == 0 {
		decoded.WriteString("/")
		escaped.WriteString("/")
	}
	u, err := url.Parse(base)
	if err != nil {
		panic(err)
	}
	form := [...]string{"RawPath", "Path", "Opaque"}[rng.IntN(3)]
	switch form {
	case "RawPath":
		u.Path, u.RawPath = decoded.String(), escaped.String()
	case "Path":
		u.Path = decoded.String()
	case "Opaque":
		u.Opaque = "//" + u.Host + escaped.String()
	}
	q := url.Values{}
	for range rng.IntN(6) {
		q.Add(queryNames[rng.IntN(len(queryNames))], queryValues[rng.IntN(len(queryValues))])
	}
	u.RawQuery = q.Encode()

	body := make([]byte, rng.IntN(300))
	for i := range body {
		body[i] = byte(' ' + rng.IntN(95))
	}
	method := [...]string{"GET", "POST", "PUT", "DELETE", "PATCH"}[rng.IntN(5)]
	r, err := http.NewRequest(method, base, bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	r.URL = u
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if rng.IntN(2) == 0 {
		r.Header.Set("X-Custom-A", "  value  with   spaces \t and a tab ")
		r.Header.Add("X-Custom-B", strconv.Itoa(rng.Int()))
		r.Header.Add("X-Custom-B", "second  line")
	}
	return r, body, form
}

// TestOfficialSigners: requests that aws-sdk-go v1 (Sign, Presign) and aws-sdk-go-v2
// (SignHTTP, PresignHTTP) sign, sent through a real HTTP server, verify as received, and
// changing any signed part fails with the right Code.
func TestOfficialSigners(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	out := make(chan received, 1)
	srv := verifyingServer(t, now, out)
	rng := rand.New(rand.NewPCG(1, 2))
	services := []string{"chime", "workdocs", "a4b"}
	regions := []string{"us-east-1", "eu-west-1", "ap-southeast-2"}
	for i := range 500 {
		r, body, form := randomRequest(rng, srv.URL)
		service, region := services[rng.IntN(3)], regions[rng.IntN(3)]
		key, secret, token := testKey, testSecret, ""
		if rng.IntN(3) == 0 {
			key, secret, token = tempKey, tempSecret, tempToken
		}
		sum := sha256.Sum256(body)
		payloadHash := hex.EncodeToString(sum[:])
		var signer string
		unsignedPayload := false
		sg := signing{key, secret, token, service, region, now}
		switch i % 4 {
		case 0:
			signer = "aws-sdk-go Sign"
			sg.v1Sign(t, r, body)
		case 1:
			signer = "aws-sdk-go Presign"
			sg.v1Presign(t, r, body, 15*time.Minute)
		case 2:
			signer = "aws-sdk-go-v2 SignHTTP"
			sg.v2Sign(t, r, payloadHash)
		case 3:
			signer = "aws-sdk-go-v2 PresignHTTP"
			if rng.IntN(2) == 0 {
				q := r.URL.Query()
				q.Set("X-Amz-Expires", "300")
				r.URL.RawQuery = q.Encode()
			}
			if unsignedPayload = rng.IntN(2) == 0; unsignedPayload {
				payloadHash = "UNSIGNED-PAYLOAD" // as S3 presigns; these services take no unsigned payload
			}
			sg.v2Presign(t, r, payloadHash)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sent := r.URL.String()
		resp, err := http.DefaultClient.Do(r)
		must(t, err)
		resp.Body.Close()
		got := <-out
		if unsignedPayload {
			// The verifier hashes the body; a URL signed over UNSIGNED-PAYLOAD never matches.
			checkCode(t, fmt.Sprintf("#%d %s over UNSIGNED-PAYLOAD", i, signer), got.err, sigv4.SignatureMismatch)
			continue
		}
		if got.err != nil {
			t.Fatalf("#%d %s, %s URL, %s %s: rejected: %v", i, signer, form, r.Method, sent, got.err)
		}
		for _, c := range got.changes {
			checkCode(t, fmt.Sprintf("#%d %s, %s URL, %s %s: changing the %s", i, signer, form, r.Method, sent, c.what), c.err, c.want)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// signing is how an official client signs: its credentials, scope and time. Its methods
// are the signers of aws-sdk-go (v1) and aws-sdk-go-v2, each changing r in place as the
// client does before it sends r.
type signing struct {
	key, secret, token, service, region string
	at                                  time.Time
}

// v1Sign signs r's headers over body, as aws-sdk-go's clients do.
func (s signing) v1Sign(tb testing.TB, r *http.Request, body []byte) {
	tb.Helper()
	_, err := v1signer.NewSigner(v1creds.NewStaticCredentials(s.key, s.secret, s.token)).Sign(r, bytes.NewReader(body), s.service, s.region, s.at)
	must(tb, err)
}

// v1Presign puts the signature in r's query, valid for expires.
func (s signing) v1Presign(tb testing.TB, r *http.Request, body []byte, expires time.Duration) {
	tb.Helper()
	_, err := v1signer.NewSigner(v1creds.NewStaticCredentials(s.key, s.secret, s.token)).Presign(r, bytes.NewReader(body), s.service, s.region, expires, s.at)
	must(tb, err)
}

func (s signing) v2Creds() awsv2.Credentials {
	return awsv2.Credentials{AccessKeyID: s.key, SecretAccessKey: s.secret, SessionToken: s.token}
}

// v2Sign signs r's headers over the payload hash, as aws-sdk-go-v2's clients do.
func (s signing) v2Sign(tb testing.TB, r *http.Request, payloadHash string) {
	tb.Helper()
	must(tb, v2signer.NewSigner().SignHTTP(context.Background(), s.v2Creds(), r, payloadHash, s.service, s.region, s.at))
}

// v2Presign sets r's URL to the one PresignHTTP returns (it leaves r alone); the signed
// headers are r's own (plus host and content-length, which Go's client sends).
func (s signing) v2Presign(tb testing.TB, r *http.Request, payloadHash string) {
	tb.Helper()
	signed, _, err := v2signer.NewSigner().PresignHTTP(context.Background(), s.v2Creds(), r, payloadHash, s.service, s.region, s.at)
	must(tb, err)
	r.URL, err = url.Parse(signed)
	must(tb, err)
}
