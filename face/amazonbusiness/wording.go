package amazonbusiness

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/httpx"
)

// wording is the message of err as Amazon Business words it. The Amazon Business rules
// hand this face a kind, the parameter at fault and the values the error is about; other
// errors (the core's, authentication's) keep their own message. Values go in through
// httpx.Sentence, so an empty one leaves no double space.
func wording(err error) string {
	kind, field, v := rollcall.ErrorKind(err), rollcall.ErrorField(err), rollcall.ErrorValues(err)
	switch {
	case kind == rollcall.Invalid && rollcall.ErrorReason(err) == rollcall.ReasonMissing:
		return httpx.Sentence("The required request parameter is missing: {}.", field)
	case kind == rollcall.Conflict && field == "accountHolder.email" && v != nil:
		return httpx.Sentence("The email address is already associated with an existing account: {}.", v["email"])
	case kind == rollcall.NotFound && field == "groupId" && v != nil:
		for _, by := range []string{business.GroupByID, business.GroupByTag} {
			if id, ok := v[by]; ok {
				return httpx.Sentence("The business group with {} {} does not exist.", by, id)
			}
		}
	case kind == rollcall.Forbidden && field == "x-amz-access-token" && v != nil:
		return "Access denied: the access token does not belong to a business."
	}
	return rollcall.ErrorMessage(err)
}
