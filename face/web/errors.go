package web

import (
	"net/http"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/invite"
)

type errorView struct {
	Heading, Message, Hint string
	Link, LinkText         string // a page to go on from, when there is one
}

// renderError writes this face's error format: an HTML page with a heading and a message
// a person can act on. Never a stack trace or a cause.
func renderError(w http.ResponseWriter, r *http.Request, status int, heading, message, hint string) {
	renderErrorView(w, r, status, errorView{Heading: heading, Message: message, Hint: hint})
}

// renderErrorView writes the error page v; a 429 or 503 (a refusal that waiting cures)
// says when to come back (Retry-After), as browsers and crawlers read it.
func renderErrorView(w http.ResponseWriter, r *http.Request, status int, v errorView) {
	httpx.SetRetryAfter(w.Header(), status)
	render(w, r, status, "error", page{Title: v.Heading, Data: v})
}

// renderKindError writes a core error as toWire words it; the cause goes to the request
// log.
func renderKindError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.LogError(r, err)
	status, heading, message, hint := toWire(err)
	renderError(w, r, status, heading, message, hint)
}

// toWire is the face's one error table, from a core error to a page: NotFound 404, a used,
// revoked, withdrawn or expired invitation 410 Gone (used and revoked share one "no longer
// valid" page), Invalid 400, Throttled 429, Unavailable 503, anything else 500 with a
// generic message.
func toWire(err error) (status int, heading, message, hint string) {
	msg := rollcall.ErrorMessage(err)
	switch rollcall.ErrorKind(err) {
	case rollcall.NotFound:
		return http.StatusNotFound, "Not found", msg, ""
	case rollcall.Invalid:
		switch rollcall.ErrorReason(err) {
		case invite.ReasonInvitationUsed, invite.ReasonInvitationRevoked:
			return http.StatusGone, "Invitation no longer valid", msg, ""
		case invite.ReasonInvitationExpired:
			return http.StatusGone, "Invitation expired", msg, ""
		case invite.ReasonInvitationWithdrawn:
			return http.StatusGone, "Invitation withdrawn", msg, ""
		}
		return http.StatusBadRequest, "Request not accepted", msg, ""
	case rollcall.Throttled:
		return http.StatusTooManyRequests, "Too many requests", msg, "Wait a moment and try again."
	case rollcall.Unavailable:
		return http.StatusServiceUnavailable, "Temporarily unavailable", msg, "Try again in a moment."
	}
	return http.StatusInternalServerError, "Something went wrong", "The page could not be shown. The cause has been logged; try again later.", ""
}
