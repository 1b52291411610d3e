package chime

import (
	"slices"
	"strings"

	"github.com/rollcall/rollcall"
)

// The errors of the Chime rules: a kind, the parameter at fault and the values the
// error is about. Their words on the wire are face/chime's; Message is a neutral
// wording, for the log.

func accountNotFound(id string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.NotFound, Field: "AccountId", Values: map[string]string{"AccountId": id},
		Message: "no Chime account " + id}
}

func userNotFound(accountID, userID string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.NotFound, Field: "UserId", Values: map[string]string{"AccountId": accountID, "UserId": userID},
		Message: "no user " + userID + " in Chime account " + accountID}
}

func emailTaken(accountID, email string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.Conflict, Field: "Email", Values: map[string]string{"AccountId": accountID, "Email": email},
		Message: "email " + email + " taken in Chime account " + accountID}
}

// checkLicense refuses a license (of the request parameter field) that account d does
// not support; an account that lists none supports any.
func checkLicense(d *Account, field, license string) error {
	if len(d.Attrs.SupportedLicenses) == 0 || slices.Contains(d.Attrs.SupportedLicenses, license) {
		return nil
	}
	supported := strings.Join(d.Attrs.SupportedLicenses, ", ")
	return &rollcall.Error{Kind: rollcall.Invalid, Field: field,
		Values:  map[string]string{"AccountId": d.ID, field: license, "SupportedLicenses": supported},
		Message: "license " + license + " not supported by Chime account " + d.ID + " (" + supported + ")"}
}

// usersNotSuspended: a Team account with a user that is not suspended cannot be
// deleted (the model: "You must suspend all users before deleting Team account").
func usersNotSuspended(accountID, userID string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.Conflict, Reason: rollcall.ReasonNotEmpty, Field: "AccountId",
		Values:  map[string]string{"AccountId": accountID, "UserId": userID},
		Message: "Team account " + accountID + " has a user that is not suspended: " + userID}
}

func accountSuspended(accountID string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.Conflict, Reason: rollcall.ReasonWrongState, Field: "AccountId",
		Values: map[string]string{"AccountId": accountID}, Message: "Chime account " + accountID + " is suspended"}
}

// notEnterprise refuses an Enterprise-only operation on account d of the caller's
// tenant.
func notEnterprise(c rollcall.Caller, d *Account) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.Forbidden, Field: "AccountId",
		Values:  map[string]string{"AccountId": d.ID, "AwsAccountId": c.TenantID, "AccountType": d.Attrs.AccountType},
		Message: "Chime account " + d.ID + " is a " + d.Attrs.AccountType + " account, not an EnterpriseLWA or EnterpriseDirectory one"}
}
