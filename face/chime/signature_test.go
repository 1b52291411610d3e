package chime_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	awsv2 "github.com/aws/aws-sdk-go-v2/aws"
	v2signer "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	chimev1 "github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall/face/facetest"
)

// countAccounts is how many Chime accounts the dev tenant has.
func (h *harness) countAccounts(tb testing.TB) int {
	tb.Helper()
	out, err := h.client(tb, "test", "test").ListAccounts(&chimev1.ListAccountsInput{})
	if err != nil {
		tb.Fatal(err)
	}
	return len(out.Accounts)
}

// TestSignatureRules: what a signature must cover and carry before anything runs: the
// body (no unsigned payload, presigned or not), a valid region, a current X-Amz-Date
// (refused as AWS's front door does, so the SDKs correct their clock), and one value per
// query parameter the operation reads. Nothing is created by a refused request.
func TestSignatureRules(t *testing.T) {
	h := MustHarness(t)
	acct := h.MustAccount(t)
	accounts := h.countAccounts(t)
	createAccount := []byte(`{"Name":"Smuggled"}`)
	createUser := []byte(`{"Email":"ada@example.com"}`)
	usersPath := "/accounts/" + acct + "/users?operation=create"

	t.Run("signed 20 minutes ago", func(t *testing.T) {
		r := h.doWith(t, "POST", "/accounts", createAccount, signing{at: time.Now().Add(-20 * time.Minute)})
		r.wantError(t, http.StatusForbidden, "InvalidSignatureException", "Forbidden", "")
		if msg, _ := r.body["Message"].(string); !strings.HasPrefix(msg, "Signature expired: ") {
			t.Errorf("message %q", msg)
		}
	})
	t.Run("signed 20 minutes ahead", func(t *testing.T) {
		r := h.doWith(t, "POST", "/accounts", createAccount, signing{at: time.Now().Add(20 * time.Minute)})
		r.wantError(t, http.StatusForbidden, "InvalidSignatureException", "Forbidden", "")
	})
	for _, region := range []string{"x:111122223333", "Evil<b>region"} {
		t.Run("region "+region, func(t *testing.T) {
			r := h.doWith(t, "POST", usersPath, createUser, signing{region: region})
			r.wantError(t, http.StatusForbidden, "ForbiddenException", "Forbidden", "Credential should be scoped to a valid region, not '(invalid)'.")
		})
	}
	t.Run("UNSIGNED-PAYLOAD header", func(t *testing.T) {
		r := h.doWith(t, "POST", "/accounts", createAccount, signing{header: http.Header{"X-Amz-Content-Sha256": {"UNSIGNED-PAYLOAD"}}})
		r.wantError(t, http.StatusUnauthorized, "UnauthorizedClientException", "Unauthorized", "")
	})
	t.Run("streaming payload header", func(t *testing.T) {
		r := h.doWith(t, "POST", "/accounts", createAccount, signing{header: http.Header{"X-Amz-Content-Sha256": {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD"}}})
		r.wantError(t, http.StatusUnauthorized, "UnauthorizedClientException", "Unauthorized", "")
	})
	t.Run("presigned over UNSIGNED-PAYLOAD", func(t *testing.T) {
		// The report's attack: a presigned POST /accounts URL that takes any body.
		req, _ := http.NewRequest("POST", h.srv.URL+"/accounts", nil)
		signed, hdr, err := v2signer.NewSigner().PresignHTTP(context.Background(), awsv2.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
			req, "UNSIGNED-PAYLOAD", "chime", "us-east-1", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		req, _ = http.NewRequest("POST", signed, bytes.NewReader(createAccount))
		for k, v := range hdr {
			if k != "Host" {
				req.Header[k] = v
			}
		}
		h.send(t, req).wantError(t, http.StatusForbidden, "ForbiddenException", "Forbidden", "")
	})
	t.Run("query parameter twice", func(t *testing.T) {
		h.doWith(t, "GET", "/accounts?name=a&name=b", nil, signing{}).
			wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", "The query parameter 'name' is given more than once.")
		h.doWith(t, "POST", "/accounts/"+acct+"/users?operation=create&operation=add", createUser, signing{}).
			wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", "The query parameter 'operation' is given more than once.")
		h.doWith(t, "GET", "/accounts/"+acct+"/users?max-results=1&max-results=2", nil, signing{}).
			wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", "The query parameter 'max-results' is given more than once.")
	})
	t.Run("null body", func(t *testing.T) {
		h.doWith(t, "POST", usersPath, []byte("null"), signing{}).
			wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", "The request body must be a JSON object.")
	})
	t.Run("browser cross-site markers", func(t *testing.T) {
		for _, hdr := range []http.Header{
			{"Sec-Fetch-Site": {"cross-site"}},
			{"Sec-Fetch-Site": {"same-site"}},
			{"Origin": {"http://localhost:9999"}},
			{"Origin": {"null"}},
			{"Sec-Fetch-Site": {"cross-site"}, "Origin": {strings.Replace(h.srv.URL, "127.0.0.1", "localhost", 1)}},
		} {
			h.doWith(t, "POST", "/accounts", createAccount, signing{header: hdr}).wantError(t, http.StatusForbidden, "ForbiddenException", "Forbidden", "")
		}
	})
	if n := h.countAccounts(t); n != accounts {
		t.Fatalf("%d accounts, want %d: a refused request created one", n, accounts)
	}
	if n := h.countUsers(t, acct); n != 0 {
		t.Fatalf("%d users: a refused request created one", n)
	}

	// The same requests, done right, go through: the rules refuse nothing the SDKs send.
	t.Run("accepted", func(t *testing.T) {
		if r := h.doWith(t, "POST", usersPath, createUser, signing{header: http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {h.srv.URL}}}); r.status != http.StatusCreated {
			t.Fatalf("same-origin: %d %s", r.status, r.raw)
		}
		if r := h.doWith(t, "GET", "/accounts/"+acct+"/users?max-results=1&x=1&x=2", nil, signing{region: "eu-west-1"}); r.status != http.StatusOK {
			t.Fatalf("a parameter no operation reads, twice; another region: %d %s", r.status, r.raw)
		}
		// A URL presigned over the body's hash (aws-sdk-go v1 Presign) still works.
		req, _ := http.NewRequest("POST", h.srv.URL+"/accounts", bytes.NewReader(createAccount))
		if _, err := v4.NewSigner(credentials.NewStaticCredentials("test", "test", "")).Presign(req, bytes.NewReader(createAccount), "chime", "us-east-1", time.Minute, time.Now()); err != nil {
			t.Fatal(err)
		}
		if r := h.send(t, req); r.status != http.StatusCreated {
			t.Fatalf("presigned over the body: %d %s", r.status, r.raw)
		}
	})
}

// TestAuthFailureNeverEchoesASecret: a verifier message that would quote the request's
// own signature (here: a credential scope whose region is the signature) is neither
// answered nor logged; the log still names the operation.
func TestAuthFailureNeverEchoesASecret(t *testing.T) {
	h := MustHarness(t)
	const sig = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	date := time.Now().UTC()
	authz := "AWS4-HMAC-SHA256 Credential=test/" + date.Format("20060102") + "/" + sig + "/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig
	rp := h.srv.Send(t, facetest.Request{Method: "POST", Path: "/accounts", Body: `{"Name":"x"}`, Unsigned: true,
		Header: http.Header{"Authorization": {authz}, "X-Amz-Date": {date.Format("20060102T150405Z")}, "Content-Type": {"application/json"}}})
	if rp.Status != http.StatusForbidden || rp.Type != "ForbiddenException" {
		t.Fatalf("got %d %s %s", rp.Status, rp.Type, rp.Body)
	}
	if strings.Contains(string(rp.Body), sig) {
		t.Errorf("the answer echoes the signature: %s", rp.Body)
	}
	log := h.srv.Log.String()
	if strings.Contains(log, sig) {
		t.Errorf("the log holds the signature:\n%s", log)
	}
	if !strings.Contains(log, "op=CreateAccount") || !strings.Contains(log, "[redacted]") {
		t.Errorf("the log does not name the operation and the scrubbed cause:\n%s", log)
	}
}
