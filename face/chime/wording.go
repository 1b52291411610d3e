package chime

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
)

// wording is the message of err as Amazon Chime words it. The Chime rules hand this face
// a kind, the parameter at fault and the values the error is about; other errors (the
// core's, authentication's) keep their own message.
func wording(err error) string {
	v := rollcall.ErrorValues(err)
	if v == nil {
		return rollcall.ErrorMessage(err)
	}
	account := v["AccountId"]
	kind, field, reason := rollcall.ErrorKind(err), rollcall.ErrorField(err), rollcall.ErrorReason(err)
	switch {
	case kind == rollcall.NotFound && field == "AccountId":
		return "The requested account " + account + " was not found."
	case kind == rollcall.NotFound && field == "UserId":
		return "The requested user " + v["UserId"] + " was not found in account " + account + "."
	case kind == rollcall.Conflict && reason == rollcall.ReasonNotEmpty:
		return "You must suspend all users before deleting Team account " + account + " (user " + v["UserId"] + " is not suspended)."
	case kind == rollcall.Conflict && reason == rollcall.ReasonWrongState:
		return "The account " + account + " is suspended; its settings cannot be changed."
	case kind == rollcall.Conflict && field == "Email":
		return "The user with email " + v["Email"] + " already exists in account " + account + "."
	case kind == rollcall.Invalid && (field == "LicenseType" || field == "DefaultLicense"):
		return "The license " + v[field] + " is not supported by account " + account + " (supported: " + v["SupportedLicenses"] + ")."
	case kind == rollcall.Forbidden && v["AccountType"] == chime.Team:
		// What the service answers for Enterprise-only operations on a Team account
		// (aws/aws-sdk-ruby#2201).
		return "Chime Account provided is not an Enterprise Chime Account[AWS Account ID: " + v["AwsAccountId"] + "][Chime Account ID: " + account + "]"
	case kind == rollcall.Forbidden && v["AccountType"] != "":
		return "Sign-in delegate groups need an EnterpriseLWA or EnterpriseDirectory account; account " + account + " is an " + v["AccountType"] + " account."
	}
	return rollcall.ErrorMessage(err)
}
