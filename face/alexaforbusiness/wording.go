package alexaforbusiness

import (
	"strconv"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

// wording is the message of err as Alexa for Business words it. The Alexa for Business
// rules hand this face a kind, the parameter at fault and the values the error is about;
// other errors (the core's, authentication's) keep their own message. Values go in
// through httpx.Sentence, so an empty one leaves no double space.
func wording(err error) string {
	kind, field, v := rollcall.ErrorKind(err), rollcall.ErrorField(err), rollcall.ErrorValues(err)
	switch {
	case kind == rollcall.NotFound && field == "Arn" && v != nil:
		return httpx.Sentence("The resource {} was not found.", v["Arn"])
	case kind == rollcall.NotFound && field == "EnrollmentId" && v != nil:
		return httpx.Sentence("The enrollment {} of user {} was not found.", v["EnrollmentId"], v["UserArn"])
	case kind == rollcall.NotFound && field == "InvitationConfiguration":
		return "No invitation configuration has been set for this account; call PutInvitationConfiguration first."
	case kind == rollcall.Invalid && rollcall.ErrorReason(err) == rollcall.ReasonWrongState && v != nil:
		if status := v["EnrollmentStatus"]; status != "" {
			return httpx.Sentence("The user {} is already {}.", v["UserArn"], status)
		}
		return httpx.Sentence("The user {} has no email address to send an invitation to.", v["UserArn"])
	case kind == rollcall.Invalid && field == "Tags" && v != nil:
		return httpx.Sentence("A resource can have at most {} tags; {} would have {}.", v["Max"], v["Arn"], v["Count"])
	case kind == rollcall.Conflict && rollcall.ErrorReason(err) == rollcall.ReasonIdempotencyMismatch && v != nil:
		return httpx.Sentence("The ClientRequestToken {} was already used with different parameters.", v["ClientRequestToken"])
	case kind == rollcall.Conflict && field == "UserId" && v != nil:
		return httpx.Sentence("A user with UserId {} already exists.", v["UserId"])
	case kind == rollcall.Invalid && field == "Limit":
		return "MaxResults must be at least 1."
	case kind == rollcall.Invalid && field == "Filters" && v != nil:
		return "Unsupported filter key " + strconv.Quote(v["Key"]) + "."
	case kind == rollcall.Invalid && field == "Sort" && v != nil:
		return "Unsupported sort key " + strconv.Quote(v["Key"]) + "."
	case kind == rollcall.Invalid && field == "After":
		return "The NextToken does not belong to this search."
	}
	return rollcall.ErrorMessage(err)
}
