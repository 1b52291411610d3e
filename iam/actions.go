package iam

import (
	"sort"
	"strings"
)

// The service authorization tables: for each operation rollcall's AWS faces serve (their
// route tables: face/chime/face.go, face/workdocs/face.go, face/alexaforbusiness/face.go),
// the IAM action, the resource type and ARN, and the condition keys the action supports.
//
// Sources, the Service Authorization Reference's "Actions, resources, and condition keys"
// pages:
//   - Amazon Chime (prefix chime):
//     https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonchime.html
//     Its actions for accounts, users and settings name no resource type and no
//     condition key: a statement must name Resource "*" to grant them. (Its resource types
//     are the Chime SDK's: meeting, app-instance, channel, voice-connector, ...) Each API
//     operation authorizes the action of the same name ("API operations defined by
//     Amazon Chime", list_chime.html, lists CreateAccount -> chime:CreateAccount,
//     DeleteAccount -> chime:DeleteAccount, ...).
//   - Amazon WorkDocs (prefix workdocs):
//     https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonworkdocs.html
//     No action names a resource type or a condition key (the table's resource and
//     condition columns are empty for ActivateUser, CreateUser, DeactivateUser,
//     DeleteUser, DescribeUsers, GetCurrentUser and UpdateUser).
//   - Alexa for Business (prefix a4b):
//     https://docs.aws.amazon.com/service-authorization/latest/reference/list_alexaforbusiness.html
//     Resource type user: arn:${Partition}:a4b:${Region}:${Account}:user/${Resource_id}.
//
// The rows were read from the machine-readable copy of the reference in
// github.com/iann0036/iam-dataset (aws/iam_definition.json): every a4b row listed here;
// for chime, GetAccount, GetAccountSettings and DisassociateSigninDelegateGroupsFromAccount
// (no resource type, no condition key, like the 2020 page's account and user actions);
// for workdocs, ActivateUser, CreateUser and DeactivateUser (the service defines no
// condition key and no resource type at all).
//
// The global condition keys (aws:SourceIp, aws:CurrentTime, aws:EpochTime,
// aws:SecureTransport, aws:PrincipalArn, aws:PrincipalAccount, aws:username, aws:userid)
// apply to every action and are not repeated in ConditionKeys.
//
// How each service answered an IAM denial (the face owns the wording; DenialError is
// what the face should send):
//   - Chime: every operation in the model (aws-sdk-go models/apis/chime/2018-05-01/api-2.json)
//     declares ForbiddenException (403, "The client is permanently forbidden from making the
//     request."); the model's AccessDeniedException (403) is declared only by 14 later
//     operations (phone numbers, SIP), none of rollcall's. What the service sent for an IAM
//     denial was ForbiddenException, 403, message "AWS authorization failed"
//     (aws/aws-sdk-java-v2 issue 1943: "chime.model.ForbiddenException: AWS authorization
//     failed (Service: Chime, Status Code: 403 ...)"; aws/amazon-chime-sdk-js issues 647
//     and 2245, where the cause was the IAM user's policy; the JS SDK v2 reported the code
//     as "Forbidden", the body's Code). The AWS wording of DenialMessage is rollcall's
//     choice for the message, as it tells the caller more; the shape and status are
//     Chime's.
//   - WorkDocs: every operation declares UnauthorizedOperationException (403, "The operation
//     is not permitted.") and UnauthorizedResourceAccessException (404, "The caller does
//     not have access to perform the action on the resource."); no sample of an actual
//     IAM denial was found. UnauthorizedOperationException 403 is the one for a denied
//     action.
//   - Alexa for Business: its model declares no authorization error on any of these
//     operations, so the service answered with the AWS JSON protocol's common
//     AccessDeniedException. AWS JSON 1.1 services send it with status 400 (e.g.
//     identitystore: "StatusCode: 400 ... AccessDeniedException: User: ... because no
//     identity-based policy allows the identitystore:DescribeUser action",
//     binbashar/le-tf-infra-aws pull request 874; cognito-idp: "400 AccessDeniedException",
//     aws-samples/aws-ai-intelligent-document-processing issue 12).

// Face names, as the faces' Name constants spell them.
const (
	FaceChime            = "chime"
	FaceWorkDocs         = "workdocs"
	FaceAlexaForBusiness = "alexaforbusiness"
)

// DenialError is the error a service answered an IAM denial with.
type DenialError struct {
	Shape  string // the error shape (X-Amzn-ErrorType, __type)
	Status int    // HTTP status
}

// Service is one AWS service a face speaks.
type Service struct {
	Face      string
	Prefix    string // the IAM service prefix: chime, workdocs, a4b
	Reference string // its Service Authorization Reference page
	Denial    DenialError
}

// Operation is one row of a service's table.
type Operation struct {
	Face   string
	Name   string // the API operation
	Action string // the IAM action, prefix:Name
	// ResourceType is the Service Authorization Reference's resource type, "" when the
	// action supports none (the request's resource is then "*"). Required is the table's
	// "*" mark.
	ResourceType string
	Required     bool
	// ARN is the resource type's ARN format, "" when there is no resource type.
	ARN string
	// ConditionKeys are the keys beyond the global ones the action supports.
	ConditionKeys []string
}

// Identifiers are the request's identifiers a resource ARN is built from.
type Identifiers struct {
	Partition  string // "aws" when empty
	Region     string
	Account    string
	ResourceID string // the resource's ID; "*" when empty (a resource not yet created)
	// ResourceARN, when set, is the resource's ARN as the request names it (Alexa for
	// Business DeleteUser's UserArn, TagResource's Arn) and is used as it is.
	ResourceARN string
}

// Services lists the services, by face.
var Services = map[string]Service{
	FaceChime: {Face: FaceChime, Prefix: "chime",
		Reference: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonchime.html",
		Denial:    DenialError{Shape: "ForbiddenException", Status: 403}},
	FaceWorkDocs: {Face: FaceWorkDocs, Prefix: "workdocs",
		Reference: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonworkdocs.html",
		Denial:    DenialError{Shape: "UnauthorizedOperationException", Status: 403}},
	FaceAlexaForBusiness: {Face: FaceAlexaForBusiness, Prefix: "a4b",
		Reference: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_alexaforbusiness.html",
		Denial:    DenialError{Shape: "AccessDeniedException", Status: 400}},
}

const a4bUserARN = "arn:${Partition}:a4b:${Region}:${Account}:user/${Resource_id}"

var (
	tagsOnCreate = []string{"aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}", "aws:TagKeys"}
	resourceTag  = []string{"aws:ResourceTag/${TagKey}"}
)

// operations is the table, by face and operation name.
var operations = func() map[string]map[string]*Operation {
	t := map[string]map[string]*Operation{}
	add := func(face, prefix string, o Operation) {
		o.Face, o.Action = face, prefix+":"+o.Name
		if t[face] == nil {
			t[face] = map[string]*Operation{}
		}
		t[face][o.Name] = &o
	}
	for _, name := range []string{
		"CreateAccount", "ListAccounts", "GetAccount", "UpdateAccount", "DeleteAccount",
		"AssociateSigninDelegateGroupsWithAccount", "DisassociateSigninDelegateGroupsFromAccount",
		"GetAccountSettings", "UpdateAccountSettings",
		"CreateUser", "ListUsers", "GetUser", "UpdateUser", "InviteUsers",
		"BatchSuspendUser", "BatchUnsuspendUser", "BatchUpdateUser",
		"ResetPersonalPIN", "LogoutUser", "GetUserSettings", "UpdateUserSettings",
	} {
		add(FaceChime, "chime", Operation{Name: name})
	}
	for _, name := range []string{
		"CreateUser", "DescribeUsers", "GetCurrentUser", "UpdateUser", "DeleteUser",
		"ActivateUser", "DeactivateUser",
	} {
		add(FaceWorkDocs, "workdocs", Operation{Name: name})
	}
	user := func(name string, required bool, keys []string) Operation {
		return Operation{Name: name, ResourceType: "user", Required: required, ARN: a4bUserARN, ConditionKeys: keys}
	}
	for _, o := range []Operation{
		user("CreateUser", true, tagsOnCreate),
		user("DeleteUser", true, resourceTag),
		user("SendInvitation", true, resourceTag),
		user("RevokeInvitation", true, resourceTag),
		// TagResource, UntagResource and ListTags also take device and room ARNs; rollcall
		// serves users only.
		user("TagResource", false, tagsOnCreate),
		user("UntagResource", false, resourceTag),
		user("ListTags", false, resourceTag),
		{Name: "SearchUsers"},
		{Name: "PutInvitationConfiguration"},
		{Name: "GetInvitationConfiguration"},
	} {
		add(FaceAlexaForBusiness, "a4b", o)
	}
	return t
}()

// Lookup returns the row for a face's operation.
func Lookup(face, operation string) (*Operation, bool) {
	o, ok := operations[face][operation]
	return o, ok
}

// Operations lists a face's rows, by operation name.
func Operations(face string) []*Operation {
	out := make([]*Operation, 0, len(operations[face]))
	for _, o := range operations[face] {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names lists the names of a face's operations, sorted.
func Names(face string) []string {
	ops := Operations(face)
	out := make([]string, len(ops))
	for i, o := range ops {
		out[i] = o.Name
	}
	return out
}

// Authorize returns the action and the resource a request for the operation is evaluated
// on: the resource's ARN, or "*" when the action has no resource type.
func (o *Operation) Authorize(ids Identifiers) (action, resource string) {
	if o.ResourceType == "" {
		return o.Action, "*"
	}
	if ids.ResourceARN != "" {
		return o.Action, ids.ResourceARN
	}
	partition, id := ids.Partition, ids.ResourceID
	if partition == "" {
		partition = "aws"
	}
	if id == "" {
		id = "*"
	}
	return o.Action, strings.NewReplacer(
		"${Partition}", partition, "${Region}", ids.Region,
		"${Account}", ids.Account, "${Resource_id}", id,
	).Replace(o.ARN)
}

// Authorize looks up a face's operation and returns its action and resource.
func Authorize(face, operation string, ids Identifiers) (action, resource string, ok bool) {
	o, ok := Lookup(face, operation)
	if !ok {
		return "", "", false
	}
	action, resource = o.Authorize(ids)
	return action, resource, true
}
