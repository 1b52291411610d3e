package workdocs

import (
	"testing"

	"github.com/rollcall/rollcall"
)

// TestWordingEmptyValues: the WorkDocs rules' errors with an empty value (the face's
// checks keep most out, the rules do not) are worded with no double space or a word left
// hanging, exactly as the wire carries them.
func TestWordingEmptyValues(t *testing.T) {
	worded := map[string]*rollcall.Error{ // the message: the error it words
		"The user does not exist.": {Kind: rollcall.NotFound, Field: "UserId", Values: map[string]string{"UserId": ""}},
		"The caller does not have access to organization.": {Kind: rollcall.NotFound, Field: "OrganizationId",
			Values: map[string]string{"OrganizationId": ""}},
		"The user already exists in organization d-1.": {Kind: rollcall.Conflict, Field: "Username",
			Values: map[string]string{"Username": "", "OrganizationId": "d-1"}},
		"GrantPoweruserPrivileges contradicts Type.": {Kind: rollcall.Invalid, Field: "GrantPoweruserPrivileges", Values: map[string]string{"Type": ""}},
		"The user u-1 does not exist.":               {Kind: rollcall.NotFound, Field: "UserId", Values: map[string]string{"UserId": "u-1"}},
	}
	for want, err := range worded {
		if got := wording(err); got != want {
			t.Errorf("%+v worded %q, want %q", err, got, want)
		}
	}
}
