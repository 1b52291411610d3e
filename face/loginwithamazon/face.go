package loginwithamazon

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"net/url"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit/trail"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/httpx"
)

// Name is the face's name in the request log.
const Name = "loginwithamazon"

// Operations are the operation names the face gives the request log (and the metrics'
// operation label), the name it answers an unmatched request with included.
var Operations = []string{"CreateToken"}

// Path is the token endpoint.
const Path = "/auth/o2/token"

// Issuer issues access tokens for grants (auth/token.Tokens).
type Issuer interface {
	IssueBusiness(ctx context.Context, g token.Grant) (*token.Issued, error)
}

// Face serves the token endpoint.
type Face struct{ tokens Issuer }

// New returns the token endpoint over the login clients tokens knows.
func New(tokens Issuer) *Face { return &Face{tokens: tokens} }

// Match claims the token endpoint.
func (f *Face) Match(r *http.Request) bool { return httpx.PlainPath(r.URL) == Path }

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

const contentType = "application/json;charset=UTF-8"

// ServeHTTP serves the token endpoint, each call recorded in the audit trail.
func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	trail.Handler(Name, func(*http.Request) string { return "CreateToken" }, func(*http.Request) string { return "" }, false,
		http.HandlerFunc(f.serve)).ServeHTTP(w, r)
}

func (f *Face) serve(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, Name, "CreateToken")
	// Token responses must not be cached (RFC 6749 section 5.1).
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	tok, err := f.issue(w, r)
	if err != nil {
		httpx.LogError(r, err)
		status, code, description := toWire(err)
		if _, refused := byReason[rollcall.ErrorReason(err)]; refused { // the grant, not the request's form
			httpx.AuthFailedFor(r, httpx.SchemeClient, code)
		}
		httpx.SetRetryAfter(w.Header(), status)
		httpx.WriteJSON(w, status, contentType, map[string]string{"error": code, "error_description": description})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, contentType, tokenResponse{
		AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, TokenType: "bearer", ExpiresIn: int(tok.ExpiresIn.Seconds()),
	})
}

func (f *Face) issue(w http.ResponseWriter, r *http.Request) (*token.Issued, error) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, &oauthError{status: http.StatusMethodNotAllowed, code: codeInvalidRequest, description: "The token endpoint accepts POST only."}
	}
	if err := httpx.CheckSite(r); err != nil {
		return nil, err
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return nil, invalidRequest("The request must be application/x-www-form-urlencoded.", nil)
	}
	body, err := httpx.ReadBody(r, 64<<10)
	if err != nil {
		return nil, invalidRequest("The request body could not be read or is too large.", err)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, invalidRequest("The request body is not valid form encoding.", err)
	}
	return f.tokens.IssueBusiness(r.Context(), token.Grant{
		GrantType: form.Get("grant_type"), ClientID: form.Get("client_id"),
		ClientSecret: form.Get("client_secret"), RefreshToken: form.Get("refresh_token"),
	})
}

// Error codes of OAuth 2.0 (RFC 6749 section 5.2) and the one of this endpoint's own.
const (
	codeInvalidRequest       = "invalid_request"
	codeInvalidClient        = "invalid_client"
	codeInvalidGrant         = "invalid_grant"
	codeUnsupportedGrantType = "unsupported_grant_type"
	codeAccessDenied         = "access_denied"
	codeServerError          = "server_error"
	codeUnavailable          = "temporarily_unavailable"
)

// byReason words auth/token's refusals as OAuth 2.0 does.
var byReason = map[string]struct {
	status int
	code   string
}{
	token.ReasonBadClient:        {http.StatusUnauthorized, codeInvalidClient},
	token.ReasonBadGrant:         {http.StatusBadRequest, codeInvalidGrant},
	token.ReasonUnsupportedGrant: {http.StatusBadRequest, codeUnsupportedGrantType},
	token.ReasonMalformedGrant:   {http.StatusBadRequest, codeInvalidRequest},
}

// oauthError is an error of this face, already in OAuth terms.
type oauthError struct {
	status      int
	code        string
	description string
	cause       error
}

func (e *oauthError) Error() string { return e.code + ": " + e.description }
func (e *oauthError) Unwrap() error { return e.cause }

func invalidRequest(description string, cause error) error {
	return &oauthError{status: http.StatusBadRequest, code: codeInvalidRequest, description: description, cause: cause}
}

// toWire is the face's one error table: status, OAuth error code and description.
func toWire(err error) (status int, code, description string) {
	var oe *oauthError
	if errors.As(err, &oe) {
		return oe.status, oe.code, oe.description
	}
	msg := rollcall.ErrorMessage(err)
	if w, ok := byReason[rollcall.ErrorReason(err)]; ok {
		return w.status, w.code, msg
	}
	switch rollcall.ErrorKind(err) {
	case rollcall.Forbidden: // a page of another site (httpx.CheckSite)
		return http.StatusForbidden, codeAccessDenied, msg
	case rollcall.Unavailable:
		return http.StatusServiceUnavailable, codeUnavailable, msg
	}
	return http.StatusInternalServerError, codeServerError, msg
}
