package workdocs

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

// adminActions words, for each operation, what only an administrator may do.
var adminActions = map[string]string{
	"CreateUser": "create users", "UpdateUser": "update users", "DeleteUser": "delete users",
	"ActivateUser": "activate users", "DeactivateUser": "deactivate users",
}

// wording is the message of err as WorkDocs words it. The WorkDocs rules hand this face
// a kind, the parameter at fault and the values the error is about; other errors (the
// core's, authentication's) keep their own message. Values go in through httpx.Sentence,
// so an empty one leaves no double space.
func wording(err error) string {
	kind, field, reason, v := rollcall.ErrorKind(err), rollcall.ErrorField(err), rollcall.ErrorReason(err), rollcall.ErrorValues(err)
	switch {
	case kind == rollcall.NotFound && field == "UserId" && v != nil:
		return httpx.Sentence("The user {} does not exist.", v["UserId"])
	case kind == rollcall.NotFound && field == "OrganizationId" && v != nil:
		return httpx.Sentence("The caller does not have access to organization {}.", v["OrganizationId"])
	case kind == rollcall.Conflict && field == "Username" && v != nil:
		return httpx.Sentence("The user {} already exists in organization {}.", v["Username"], v["OrganizationId"])
	case kind == rollcall.Forbidden && reason == rollcall.ReasonNotAdministrator && adminActions[v["Operation"]] != "":
		return httpx.Sentence("The operation is not permitted: only an administrator of the organization may {}.", adminActions[v["Operation"]])
	case kind == rollcall.Forbidden && reason == rollcall.ReasonNotActive:
		return "The operation is not permitted: the user is not active."
	case kind == rollcall.Invalid && field == "AuthenticationToken" && reason == rollcall.ReasonMissing:
		return "GetCurrentUser needs the Authentication token of a user; it is not an action for AWS credentials."
	case kind == rollcall.Invalid && field == "OrganizationId" && reason == rollcall.ReasonMissing:
		return "OrganizationId is required: the caller has more or fewer than one organization."
	case kind == rollcall.Invalid && field == "GrantPoweruserPrivileges" && v != nil:
		return httpx.Sentence("GrantPoweruserPrivileges contradicts Type {}.", v["Type"])
	case kind == rollcall.Invalid && field == "Marker":
		return "The marker is not valid for this request."
	}
	return rollcall.ErrorMessage(err)
}
