package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/invite"
)

// maxFormBytes bounds a posted form: a password of 128 characters and a token fit many
// times over.
const maxFormBytes = 16 << 10

type invitationView struct {
	Name, Email, Directory, KindLabel string
	Chime, Alexa                      bool
	Action, CSRF                      string
	Rule                              string
	Min, Max                          int
	Expires                           string
	Field, FieldError                 string // the field at fault and what is wrong with it
}

type acceptedView struct {
	Directory, Headline, Detail string
}

// invitation serves GET and POST /invitations/{token}. The token is never logged: the
// request log records no path, and only the core sees the token (it keeps its hash).
func (f *Face) invitation(w http.ResponseWriter, r *http.Request, token string) {
	if r.Method == http.MethodPost {
		httpx.Annotate(r, "web", "AcceptInvitation")
	} else {
		httpx.Annotate(r, "web", "GetInvitation")
	}
	if !allow(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
		return
	}
	if token == "" || len(token) > 256 || strings.ContainsAny(token, "/?#") {
		renderError(w, r, http.StatusNotFound, "Invitation not found", "This invitation link is not valid. Check that you copied the whole link.", "")
		return
	}
	d, err := f.inv.Invitation(r.Context(), token)
	if err != nil {
		renderInvitationError(w, r, token, err)
		return
	}
	if r.Method != http.MethodPost {
		f.renderInvitation(w, r, http.StatusOK, token, d, "", "")
		return
	}

	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusBadRequest, "Form not accepted", "The form could not be read. Open the invitation link again and retry.", "")
		return
	}
	want := sign(f.key, "invitation", token)
	if !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(want)) != 1 {
		renderError(w, r, http.StatusForbidden, "Form expired", "This form did not come from this invitation page, or it is too old.",
			"Open the invitation link again and submit the form from there. Nothing was changed.")
		return
	}
	password := r.PostForm.Get("password")
	if f.inv.TakesPassword(d.User.Kind) {
		if err := f.inv.CheckPassword(d, password); err != nil {
			f.renderInvitation(w, r, http.StatusUnprocessableEntity, token, d, "password", rollcall.ErrorMessage(err))
			return
		}
		if r.PostForm.Get("confirm") != password {
			f.renderInvitation(w, r, http.StatusUnprocessableEntity, token, d, "confirm", "The two passwords are not the same. Type the same password in both fields.")
			return
		}
	}
	accepted, err := f.inv.Accept(r.Context(), token, password)
	if err != nil {
		var e *rollcall.Error
		if rollcall.IsKind(err, rollcall.Invalid) && errors.As(err, &e) && e.Field == "password" {
			f.renderInvitation(w, r, http.StatusUnprocessableEntity, token, d, "password", e.Message)
			return
		}
		renderInvitationError(w, r, token, err)
		return
	}
	d = accepted
	v := acceptedView{Directory: d.Directory.Name}
	if d.User.Kind == rollcall.DirAlexa {
		if org, _ := alexa.OrganizationName(d.Directory); org != "" { // unreadable: the directory's name
			v.Directory = org
		}
	}
	switch d.User.Kind {
	case rollcall.DirBusiness:
		v.Headline = "Your password is set and your Amazon Business account is active."
		v.Detail = "Sign in to " + d.Directory.Name + " with " + d.User.Email + " and the password you chose."
	case rollcall.DirChime:
		v.Headline = "You have accepted the invitation to the Amazon Chime account " + d.Directory.Name + "."
		v.Detail = "Sign in to Amazon Chime with your Amazon login to start."
	case rollcall.DirAlexa:
		v.Headline = "You are enrolled in Alexa for Business."
		v.Detail = "Link your Amazon account in the Alexa app to use your organization's skills and devices."
	default:
		v.Headline = "Your password is set."
		v.Detail = "Sign in to " + d.Directory.Name + " with the password you chose."
	}
	render(w, r, http.StatusOK, "accepted", page{Title: "Invitation accepted", Data: v})
}

func (f *Face) renderInvitation(w http.ResponseWriter, r *http.Request, status int, token string, d *invite.Details, field, msg string) {
	u := d.User
	name := u.DisplayName
	if name == "" {
		name = strings.TrimSpace(u.GivenName + " " + u.FamilyName)
	}
	if name == "" {
		name = u.Email
	}
	dirName := d.Directory.Name
	if u.Kind == rollcall.DirAlexa {
		if org, _ := alexa.OrganizationName(d.Directory); org != "" { // unreadable: the directory's name
			dirName = org // what the enrollment email named
		}
	}
	v := invitationView{
		Name: name, Email: u.Email, Directory: dirName, KindLabel: directoryLabel(d.Directory.Kind),
		Chime: u.Kind == rollcall.DirChime, Alexa: u.Kind == rollcall.DirAlexa,
		Action: InvitationPrefix + token, CSRF: sign(f.key, "invitation", token),
		Rule: invite.PasswordRule, Min: invite.MinPasswordLength, Max: invite.MaxPasswordLength,
		Expires: when(d.Invitation.ExpiresAt),
		Field:   field, FieldError: msg,
	}
	title := "Join " + dirName
	if field != "" {
		title = "Error: " + title
	}
	render(w, r, status, "invitation", page{Title: title, Data: v})
}

func renderInvitationError(w http.ResponseWriter, r *http.Request, token string, err error) {
	switch {
	case rollcall.IsKind(err, rollcall.NotFound):
		httpx.LogError(r, err)
		renderError(w, r, http.StatusNotFound, "Invitation not found", rollcall.ErrorMessage(err), "")
		return
	case rollcall.IsKind(err, rollcall.Throttled):
		// Too many passwords are being hashed at once (rollcall.Service.HashWait): nothing
		// changed, and the person needs to know that and what to do, not a bare 429.
		httpx.LogError(r, err)
		renderErrorView(w, r, http.StatusTooManyRequests, errorView{
			Heading: "Try again in a few seconds",
			Message: "Your password was not set: too many people are setting passwords right now.",
			Hint:    "Your invitation still works. Wait a few seconds, then open it again and submit your password once more.",
			Link:    InvitationPrefix + token, LinkText: "Back to your invitation",
		})
		return
	}
	renderKindError(w, r, err)
}
