package loginwithamazon

import (
	"errors"
	"mime"
	"net/http"
	"net/url"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

// Name is the face's name in the request log.
const Name = "loginwithamazon"

// Path is the token endpoint.
const Path = "/auth/o2/token"

// Face serves the token endpoint.
type Face struct{ svc *rollcall.Service }

// New returns the token endpoint over svc's login clients.
func New(svc *rollcall.Service) *Face { return &Face{svc: svc} }

// Match claims the token endpoint.
func (f *Face) Match(r *http.Request) bool { return r.URL.EscapedPath() == Path }

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, Name, "CreateToken")
	// Token responses must not be cached (RFC 6749 section 5.1).
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, r, http.StatusMethodNotAllowed, rollcall.ReasonInvalidRequest, "The token endpoint accepts POST only.", nil)
		return
	}
	if err := httpx.CheckSite(r); err != nil {
		writeError(w, r, http.StatusForbidden, "access_denied", rollcall.ErrorMessage(err), err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		writeError(w, r, http.StatusBadRequest, rollcall.ReasonInvalidRequest, "The request must be application/x-www-form-urlencoded.", nil)
		return
	}
	body, err := httpx.ReadBody(r, 64<<10)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, rollcall.ReasonInvalidRequest, "The request body could not be read or is too large.", err)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, rollcall.ReasonInvalidRequest, "The request body is not valid form encoding.", err)
		return
	}
	tok, err := f.svc.IssueBusinessToken(r.Context(), rollcall.TokenGrant{
		GrantType: form.Get("grant_type"), ClientID: form.Get("client_id"),
		ClientSecret: form.Get("client_secret"), RefreshToken: form.Get("refresh_token"),
	})
	if err != nil {
		status, reason := http.StatusBadRequest, rollcall.ErrorReason(err)
		switch {
		case reason == rollcall.ReasonInvalidClient:
			status = http.StatusUnauthorized
		case reason == "":
			status, reason = http.StatusInternalServerError, "server_error"
			var e *rollcall.Error
			if errors.As(err, &e) && e.Kind == rollcall.Unavailable {
				status, reason = http.StatusServiceUnavailable, "temporarily_unavailable"
			}
		}
		writeError(w, r, status, reason, rollcall.ErrorMessage(err), err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json;charset=UTF-8", tokenResponse{
		AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, TokenType: "bearer", ExpiresIn: int(tok.ExpiresIn.Seconds()),
	})
}

func writeError(w http.ResponseWriter, r *http.Request, status int, code, description string, cause error) {
	if cause != nil {
		httpx.LogError(r, cause)
	}
	httpx.WriteJSON(w, status, "application/json;charset=UTF-8", map[string]string{"error": code, "error_description": description})
}
