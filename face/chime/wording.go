package chime

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/httpx"
)

// wording is the message of err as Amazon Chime words it. The Chime rules hand this face
// a kind, the parameter at fault and the values the error is about; other errors (the
// core's, authentication's) keep their own message. Values go in through httpx.Sentence,
// so an empty one leaves no double space.
func wording(err error) string {
	v := rollcall.ErrorValues(err)
	if v == nil {
		return rollcall.ErrorMessage(err)
	}
	account := v["AccountId"]
	kind, field, reason := rollcall.ErrorKind(err), rollcall.ErrorField(err), rollcall.ErrorReason(err)
	switch {
	case kind == rollcall.NotFound && field == "AccountId":
		return httpx.Sentence("The requested account {} was not found.", account)
	case kind == rollcall.NotFound && field == "UserId":
		return httpx.Sentence("The requested user {} was not found in account {}.", v["UserId"], account)
	case kind == rollcall.Conflict && reason == rollcall.ReasonNotEmpty:
		return httpx.Sentence("You must suspend all users before deleting Team account {} (user {} is not suspended).", account, v["UserId"])
	case kind == rollcall.Conflict && reason == rollcall.ReasonWrongState:
		return httpx.Sentence("The account {} is suspended; its settings cannot be changed.", account)
	case kind == rollcall.Conflict && field == "Email":
		return httpx.Sentence("The user with email {} already exists in account {}.", v["Email"], account)
	case kind == rollcall.Invalid && (field == "LicenseType" || field == "DefaultLicense"):
		return httpx.Sentence("The license {} is not supported by account {} (supported: {}).", v[field], account, v["SupportedLicenses"])
	case kind == rollcall.Forbidden && v["AccountType"] == chime.Team:
		// What the service answers for Enterprise-only operations on a Team account
		// (aws/aws-sdk-ruby#2201).
		return httpx.Sentence("Chime Account provided is not an Enterprise Chime Account[AWS Account ID: {}][Chime Account ID: {}]", v["AwsAccountId"], account)
	case kind == rollcall.Forbidden && v["AccountType"] != "":
		return httpx.Sentence("Sign-in delegate groups need an EnterpriseLWA or EnterpriseDirectory account; account {} is an {} account.", account, v["AccountType"])
	}
	return rollcall.ErrorMessage(err)
}
