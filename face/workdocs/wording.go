package workdocs

import "github.com/rollcall/rollcall"

// adminActions words, for each operation, what only an administrator may do.
var adminActions = map[string]string{
	"CreateUser": "create users", "UpdateUser": "update users", "DeleteUser": "delete users",
	"ActivateUser": "activate users", "DeactivateUser": "deactivate users",
}

// wording is the message of err as WorkDocs words it. The WorkDocs rules hand this face
// a kind, the parameter at fault and the values the error is about; other errors (the
// core's, authentication's) keep their own message.
func wording(err error) string {
	kind, field, reason, v := rollcall.ErrorKind(err), rollcall.ErrorField(err), rollcall.ErrorReason(err), rollcall.ErrorValues(err)
	switch {
	case kind == rollcall.NotFound && field == "UserId" && v != nil:
		return "The user " + v["UserId"] + " does not exist."
	case kind == rollcall.NotFound && field == "OrganizationId" && v != nil:
		return "The caller does not have access to organization " + v["OrganizationId"] + "."
	case kind == rollcall.Conflict && field == "Username" && v != nil:
		return "The user " + v["Username"] + " already exists in organization " + v["OrganizationId"] + "."
	case kind == rollcall.Forbidden && reason == rollcall.ReasonNotAdministrator && adminActions[v["Operation"]] != "":
		return "The operation is not permitted: only an administrator of the organization may " + adminActions[v["Operation"]] + "."
	case kind == rollcall.Forbidden && reason == rollcall.ReasonNotActive:
		return "The operation is not permitted: the user is not active."
	case kind == rollcall.Invalid && field == "AuthenticationToken" && reason == rollcall.ReasonMissing:
		return "GetCurrentUser needs the Authentication token of a user; it is not an action for AWS credentials."
	case kind == rollcall.Invalid && field == "OrganizationId" && reason == rollcall.ReasonMissing:
		return "OrganizationId is required: the caller has more or fewer than one organization."
	case kind == rollcall.Invalid && field == "GrantPoweruserPrivileges" && v != nil:
		return "GrantPoweruserPrivileges contradicts Type " + v["Type"] + "."
	case kind == rollcall.Invalid && field == "Marker":
		return "The marker is not valid for this request."
	}
	return rollcall.ErrorMessage(err)
}
