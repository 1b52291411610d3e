package web

import (
	"net/http"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

type errorView struct {
	Heading, Message, Hint string
}

// renderError writes this face's error format: an HTML page with a heading and a message
// a person can act on. Never a stack trace or a cause.
func renderError(w http.ResponseWriter, r *http.Request, status int, heading, message, hint string) {
	render(w, r, status, "error", page{Title: heading, Data: errorView{Heading: heading, Message: message, Hint: hint}})
}

// renderKindError maps a core error to a page: NotFound 404, a used, revoked, withdrawn or
// expired invitation 410 Gone (used and revoked share one "no longer valid" page), Invalid
// 400, Unavailable 503, anything else 500 with a generic message (the
// cause goes to the request log).
func renderKindError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.LogError(r, err)
	msg := rollcall.ErrorMessage(err)
	switch rollcall.ErrorKind(err) {
	case rollcall.NotFound:
		renderError(w, r, http.StatusNotFound, "Not found", msg, "")
		return
	case rollcall.Invalid:
		switch rollcall.ErrorReason(err) {
		case rollcall.ReasonInvitationUsed, rollcall.ReasonInvitationRevoked:
			renderError(w, r, http.StatusGone, "Invitation no longer valid", msg, "")
			return
		case rollcall.ReasonInvitationExpired:
			renderError(w, r, http.StatusGone, "Invitation expired", msg, "")
			return
		case rollcall.ReasonInvitationWithdrawn:
			renderError(w, r, http.StatusGone, "Invitation withdrawn", msg, "")
			return
		}
		renderError(w, r, http.StatusBadRequest, "Request not accepted", msg, "")
		return
	case rollcall.Throttled:
		renderError(w, r, http.StatusTooManyRequests, "Too many requests", msg, "Wait a moment and try again.")
		return
	case rollcall.Unavailable:
		renderError(w, r, http.StatusServiceUnavailable, "Temporarily unavailable", msg, "Try again in a moment.")
		return
	}
	renderError(w, r, http.StatusInternalServerError, "Something went wrong", "The page could not be shown. The cause has been logged; try again later.", "")
}
