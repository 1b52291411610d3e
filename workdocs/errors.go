package workdocs

import "github.com/rollcall/rollcall"

// The errors of the WorkDocs rules carry a kind, the parameter at fault and the values
// they are about; face/workdocs words them as WorkDocs does. Message is a neutral
// wording, for the log.

func orgNotFound(id string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.NotFound, Field: "OrganizationId", Values: map[string]string{"OrganizationId": id},
		Message: "no organization " + id + " for the caller"}
}

func userNotFound(id string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.NotFound, Field: "UserId", Values: map[string]string{"UserId": id}, Message: "no user " + id}
}

func usernameTaken(username, orgID string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.Conflict, Field: "Username", Values: map[string]string{"Username": username, "OrganizationId": orgID},
		Message: "username " + username + " taken in organization " + orgID}
}

// notAdministrator refuses operation op (CreateUser, UpdateUser, ...) to a caller that is
// not an ACTIVE ADMIN of the organization.
func notAdministrator(op string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.Forbidden, Reason: rollcall.ReasonNotAdministrator, Values: map[string]string{"Operation": op},
		Message: op + " needs an administrator of the organization"}
}

// notActive refuses a caller whose user is not ACTIVE; op names the operation when the
// error is its own (GetCurrentUser).
func notActive(op string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.Forbidden, Op: op, Reason: rollcall.ReasonNotActive, Message: "the user is not active"}
}

// badMarker: a cursor that does not belong to this organization or sort.
func badMarker() *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.Invalid, Field: "Marker", Message: "the marker does not belong to this request"}
}
