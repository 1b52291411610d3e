package facetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"

	"github.com/rollcall/rollcall"
)

// AWSSession returns an aws-sdk-go v1 session for the server, for the official clients
// (chime.New(sess), ...): region us-east-1, credentials keyID/secret (the dev key when
// empty), no retries, so each call is one request.
func (s *Server) AWSSession(tb testing.TB, keyID, secret string) *session.Session {
	tb.Helper()
	if keyID == "" {
		keyID, secret = rollcall.DevAccessKeyID, rollcall.DevSecretKey
	}
	return s.AWSSessionWith(tb, credentials.NewStaticCredentials(keyID, secret, ""))
}

// AWSSessionWith is AWSSession with any credentials.
func (s *Server) AWSSessionWith(tb testing.TB, creds *credentials.Credentials) *session.Session {
	tb.Helper()
	sess, err := session.NewSession(&aws.Config{Endpoint: aws.String(s.URL), Region: aws.String("us-east-1"),
		Credentials: creds, HTTPClient: s.Client(), MaxRetries: aws.Int(0)})
	if err != nil {
		tb.Fatalf("session: %v", err)
	}
	return sess
}

// Request is a hand-made request, signed with the SDK's own SigV4 signer unless
// Unsigned.
type Request struct {
	Method   string      // default POST
	Path     string      // raw, as it goes on the wire, with any query; default "/"
	Body     string      //
	Header   http.Header // set before signing
	KeyID    string      // default the dev key
	Secret   string      //
	Session  string      // X-Amz-Security-Token, signed
	Service  string      // the credential scope's service
	Region   string      // default us-east-1
	SignedAt time.Time   // default now
	Unsigned bool
	After    func(r *http.Request) // runs after signing (to tamper)
}

// Reply is a response as the wire carried it, with the error members of the AWS
// protocols read out.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any // the body, when it is a JSON object
	Type   string         // X-Amzn-ErrorType (REST-JSON) or __type (JSON 1.1)
	Msg    string         // the body's Message (REST-JSON) or message (JSON 1.1)
}

// Send sends rq and reads the response, which must carry x-amzn-RequestId.
func (s *Server) Send(tb testing.TB, rq Request) Reply {
	tb.Helper()
	if rq.Method == "" {
		rq.Method = http.MethodPost
	}
	if rq.Path == "" {
		rq.Path = "/"
	}
	req, err := http.NewRequest(rq.Method, s.URL+"/", strings.NewReader(rq.Body))
	if err != nil {
		tb.Fatal(err)
	}
	path, query, _ := strings.Cut(rq.Path, "?")
	req.URL.Opaque = "//" + req.URL.Host + path // send the path exactly as given
	req.URL.RawQuery = query
	for k, v := range rq.Header {
		req.Header[k] = v
	}
	if !rq.Unsigned {
		key, secret := rq.KeyID, rq.Secret
		if key == "" {
			key, secret = rollcall.DevAccessKeyID, rollcall.DevSecretKey
		}
		region, at := rq.Region, rq.SignedAt
		if region == "" {
			region = "us-east-1"
		}
		if at.IsZero() {
			at = time.Now()
		}
		signer := v4.NewSigner(credentials.NewStaticCredentials(key, secret, rq.Session))
		if _, err := signer.Sign(req, bytes.NewReader([]byte(rq.Body)), rq.Service, region, at); err != nil {
			tb.Fatalf("sign: %v", err)
		}
		req.ContentLength = int64(len(rq.Body))
	}
	if rq.After != nil {
		rq.After(req)
	}
	return s.Do(tb, req)
}

// MustRead sends req with client and reads the response's body whole.
func MustRead(tb testing.TB, client *http.Client, req *http.Request) (*http.Response, []byte) {
	tb.Helper()
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("read response: %v", err)
	}
	return resp, b
}

// Do sends req as it is and reads the response, which must carry x-amzn-RequestId.
func (s *Server) Do(tb testing.TB, req *http.Request) Reply {
	tb.Helper()
	resp, b := MustRead(tb, s.Client(), req)
	rp := Reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if resp.Header.Get("x-amzn-RequestId") == "" {
		tb.Errorf("%s %s: response %d has no x-amzn-RequestId", req.Method, req.URL.Path, resp.StatusCode)
	}
	json.Unmarshal(b, &rp.JSON)
	rp.Type = resp.Header.Get("X-Amzn-ErrorType")
	if t, ok := rp.JSON["__type"].(string); ok {
		rp.Type = t
	}
	rp.Msg, _ = rp.JSON["Message"].(string)
	if m, ok := rp.JSON["message"].(string); ok {
		rp.Msg = m
	}
	return rp
}

// MustJSON fails unless the body is a JSON object with the content type.
func (rp Reply) MustJSON(tb testing.TB, contentType string) {
	tb.Helper()
	if ct := rp.Header.Get("Content-Type"); ct != contentType {
		tb.Errorf("Content-Type = %q, want %q", ct, contentType)
	}
	if rp.JSON == nil {
		tb.Fatalf("response body %q is not a JSON object", rp.Body)
	}
}

// MustError fails unless rp is the error shape with the status (and, when msg is not
// empty, exactly that message).
func (rp Reply) MustError(tb testing.TB, status int, shape, msg string) {
	tb.Helper()
	if rp.Status != status || rp.Type != shape {
		tb.Fatalf("got %d %s (%s), want %d %s", rp.Status, rp.Type, rp.Body, status, shape)
	}
	if msg != "" && rp.Msg != msg {
		tb.Fatalf("message:\n got  %q\n want %q", rp.Msg, msg)
	}
}

// JSONBody marshals v (a map, so tests can send exactly the members they mean).
func JSONBody(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
