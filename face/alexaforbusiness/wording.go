package alexaforbusiness

import (
	"strconv"

	"github.com/rollcall/rollcall"
)

// wording is the message of err as Alexa for Business words it. The Alexa for Business
// rules hand this face a kind, the parameter at fault and the values the error is about;
// other errors (the core's, authentication's) keep their own message.
func wording(err error) string {
	kind, field, v := rollcall.ErrorKind(err), rollcall.ErrorField(err), rollcall.ErrorValues(err)
	switch {
	case kind == rollcall.NotFound && field == "Arn" && v != nil:
		return "The resource " + v["Arn"] + " was not found."
	case kind == rollcall.NotFound && field == "EnrollmentId" && v != nil:
		return "The enrollment " + v["EnrollmentId"] + " of user " + v["UserArn"] + " was not found."
	case kind == rollcall.NotFound && field == "InvitationConfiguration":
		return "No invitation configuration has been set for this account; call PutInvitationConfiguration first."
	case kind == rollcall.Invalid && rollcall.ErrorReason(err) == rollcall.ReasonWrongState && v != nil:
		if status := v["EnrollmentStatus"]; status != "" {
			return "The user " + v["UserArn"] + " is already " + status + "."
		}
		return "The user " + v["UserArn"] + " has no email address to send an invitation to."
	case kind == rollcall.Invalid && field == "Tags" && v != nil:
		return "A resource can have at most " + v["Max"] + " tags; " + v["Arn"] + " would have " + v["Count"] + "."
	case kind == rollcall.Conflict && rollcall.ErrorReason(err) == rollcall.ReasonIdempotencyMismatch && v != nil:
		return "The ClientRequestToken " + v["ClientRequestToken"] + " was already used with different parameters."
	case kind == rollcall.Conflict && field == "UserId" && v != nil:
		return "A user with UserId " + v["UserId"] + " already exists."
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
