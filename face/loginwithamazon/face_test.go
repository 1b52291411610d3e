package loginwithamazon_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/face/loginwithamazon"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/operator"
)

// TestTokenEndpointErrors: every refusal is an OAuth 2.0 error from the face's table,
// with the status RFC 6749 gives it, and never cached.
func TestTokenEndpointErrors(t *testing.T) {
	svc := facetest.MustService(t, facetest.Options{})
	srv := facetest.MustServe(t, loginwithamazon.New(token.New(svc.Service, operator.TokenAttrs)))
	client := func(extra url.Values) url.Values {
		v := url.Values{"client_id": {rollcall.DevClientID}, "client_secret": {rollcall.DevClientSecret}}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	for name, tc := range map[string]struct {
		method, contentType string
		form                url.Values
		status              int
		code                string
	}{
		"GET":                   {"GET", "", nil, 405, "invalid_request"},
		"JSON body":             {"POST", "application/json", client(url.Values{"grant_type": {"client_credentials"}}), 400, "invalid_request"},
		"no grant type":         {"POST", "", client(nil), 400, "invalid_request"},
		"password grant":        {"POST", "", client(url.Values{"grant_type": {"password"}}), 400, "unsupported_grant_type"},
		"no secret":             {"POST", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {rollcall.DevClientID}}, 401, "invalid_client"},
		"wrong secret":          {"POST", "", client(url.Values{"grant_type": {"client_credentials"}, "client_secret": {"nope"}}), 401, "invalid_client"},
		"refresh without token": {"POST", "", client(url.Values{"grant_type": {"refresh_token"}}), 400, "invalid_request"},
		"forged refresh token":  {"POST", "", client(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"Atzr|forged"}}), 400, "invalid_grant"},
	} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+loginwithamazon.Path, strings.NewReader(tc.form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			rp := srv.Do(t, req)
			var body struct {
				Error            string `json:"error"`
				ErrorDescription string `json:"error_description"`
			}
			json.Unmarshal(rp.Body, &body)
			if rp.Status != tc.status || body.Error != tc.code || body.ErrorDescription == "" {
				t.Fatalf("got %d %s, want %d %s", rp.Status, rp.Body, tc.status, tc.code)
			}
			if rp.Header.Get("Cache-Control") != "no-store" || rp.Header.Get("Content-Type") != "application/json;charset=UTF-8" {
				t.Errorf("headers %v", rp.Header)
			}
			if tc.status == 405 && rp.Header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q", rp.Header.Get("Allow"))
			}
		})
	}
}

// TestTokenEndpointIssues: a good grant answers a bearer token that Amazon Business
// accepts.
func TestTokenEndpointIssues(t *testing.T) {
	svc := facetest.MustService(t, facetest.Options{})
	tokens := token.New(svc.Service, operator.TokenAttrs)
	srv := facetest.MustServe(t, loginwithamazon.New(tokens))
	resp, err := srv.Client().PostForm(srv.URL+loginwithamazon.Path, url.Values{"grant_type": {"client_credentials"},
		"client_id": {rollcall.DevClientID}, "client_secret": {rollcall.DevClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || out.TokenType != "bearer" || out.ExpiresIn != 3600 {
		t.Fatalf("%d %+v %v", resp.StatusCode, out, err)
	}
	c, err := tokens.Business(t.Context(), out.AccessToken)
	if err != nil || c.TenantID != rollcall.DevBusinessID {
		t.Fatalf("the issued token: %+v, %v", c, err)
	}
}

// TestTokenEndpointRetryAfter: while the store does not answer, a grant is refused with
// 503 temporarily_unavailable and Retry-After, as every refusal that waiting cures is;
// once it answers, the same grant issues a token, with no Retry-After.
func TestTokenEndpointRetryAfter(t *testing.T) {
	var fail atomic.Pointer[rollcall.Error]
	svc := facetest.MustService(t, facetest.Options{Store: func(st rollcall.Store) rollcall.Store {
		return facetest.FailingStore{Store: st, Fail: &fail}
	}})
	srv := facetest.MustServe(t, loginwithamazon.New(token.New(svc.Service, operator.TokenAttrs)))
	grant := url.Values{"grant_type": {"client_credentials"}, "client_id": {rollcall.DevClientID}, "client_secret": {rollcall.DevClientSecret}}
	post := func() facetest.Reply {
		req, err := http.NewRequest("POST", srv.URL+loginwithamazon.Path, strings.NewReader(grant.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return srv.Do(t, req)
	}

	fail.Store(&rollcall.Error{Kind: rollcall.Unavailable, Message: "The directory is unavailable."})
	if rp := post(); rp.Status != http.StatusServiceUnavailable || !strings.Contains(string(rp.Body), `"temporarily_unavailable"`) ||
		rp.Header.Get("Retry-After") != httpx.RetryAfterSeconds {
		t.Errorf("store unavailable: %d %s, Retry-After %q; want 503 temporarily_unavailable with Retry-After %s",
			rp.Status, rp.Body, rp.Header.Get("Retry-After"), httpx.RetryAfterSeconds)
	}
	fail.Store(nil)
	if rp := post(); rp.Status != http.StatusOK || rp.Header.Get("Retry-After") != "" {
		t.Errorf("store back: %d %s, Retry-After %q; want 200 with none", rp.Status, rp.Body, rp.Header.Get("Retry-After"))
	}
}
