package iam_test

import (
	"testing"

	"github.com/rollcall/rollcall/iam"
)

// Sources cited by the cases (IAM User Guide, docs.aws.amazon.com/IAM/latest/UserGuide/):
//
//	[logic]     reference_policies_evaluation-logic.html (policy evaluation logic, explicit and implicit deny)
//	[interplay] reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html
//	[action]    reference_policies_elements_action.html (case-insensitive, * and ? wildcards)
//	[notaction] reference_policies_elements_notaction.html
//	[resource]  reference_policies_elements_resource.html (ARN wildcards, case-sensitive)
//	[notres]    reference_policies_elements_notresource.html
//	[condop]    reference_policies_elements_condition_operators.html
//	[logicmv]   reference_policies_condition-logic-multiple-context-keys-or-values.html
//	[setops]    reference_policies_condition-single-vs-multi-valued-context-keys.html
//	[vars]      reference_policies_variables.html
//	[session]   access_policies.html#policies_session (session policies narrow)
//	[global]    reference_policies_condition-keys.html (global keys, case-insensitive names)

const (
	acct     = "111122223333"
	userARN  = "arn:aws:a4b:us-east-1:111122223333:user/u-1"
	otherARN = "arn:aws:a4b:us-east-1:444455556666:user/u-9"
)

// stmt builds a one-statement policy.
func stmt(effect, body string) string {
	return `{"Version":"2012-10-17","Statement":{"Sid":"S","Effect":"` + effect + `",` + body + `}}`
}

// allowIf is an identity policy that allows every action on every resource under the
// condition block cond (JSON).
func allowIf(cond string) []string {
	return []string{stmt("Allow", `"Action":"*","Resource":"*","Condition":`+cond)}
}

type evalCase struct {
	name     string
	identity []string
	session  string
	action   string
	resource string
	ctx      map[string][]string
	want     iam.Outcome
	wantSid  string // the deciding statement's Sid, when it matters
	wantType iam.PolicyType
}

func evalCases() []evalCase {
	allowAll := stmt("Allow", `"Action":"*","Resource":"*"`)
	chimeCreate := "chime:CreateUser"
	return []evalCase{
		// --- the evaluation logic: default deny, explicit allow, explicit deny wins ---
		{name: "no policy is an implicit deny", // [logic] "By default, all requests are implicitly denied"
			action: chimeCreate, resource: "*", want: iam.ImplicitDeny},
		{name: "allow all", // [logic] an explicit allow overrides the default
			identity: []string{allowAll}, action: chimeCreate, resource: "*", want: iam.Allowed},
		{name: "unrelated allow is an implicit deny", // [interplay] no applicable Allow
			identity: []string{stmt("Allow", `"Action":"workdocs:*","Resource":"*"`)}, action: chimeCreate, resource: "*", want: iam.ImplicitDeny},
		{name: "deny in the same policy wins", // [interplay] "the Deny statement trumps the Allow statement"
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"D","Effect":"Deny","Action":"chime:*","Resource":"*"}]}`},
			action:   chimeCreate, resource: "*", want: iam.ExplicitDeny, wantSid: "D"},
		{name: "deny in another policy wins", // [logic] an explicit deny in any policy overrides any allow
			identity: []string{allowAll, stmt("Deny", `"Action":"chime:CreateUser","Resource":"*"`)},
			action:   chimeCreate, resource: "*", want: iam.ExplicitDeny, wantSid: "S"},
		{name: "deny of another action leaves the allow", // [interplay] DenyReports example: other actions stay allowed
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Sid":"AllowGetList","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},{"Sid":"DenyReports","Effect":"Deny","Action":"iam:*Report","Resource":"*"}]}`},
			action:   "iam:GetUser", resource: "*", want: iam.Allowed, wantSid: "AllowGetList"},
		{name: "interplay example: report denied", // [interplay] iam:GetOrganizationsAccessReport is explicitly denied
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Sid":"AllowGetList","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},{"Sid":"DenyReports","Effect":"Deny","Action":"iam:*Report","Resource":"*"}]}`},
			action:   "iam:GetOrganizationsAccessReport", resource: "*", want: iam.ExplicitDeny, wantSid: "DenyReports"},
		{name: "interplay example: CreatePolicy implicitly denied", // [interplay] "iam:CreatePolicy are implicitly denied"
			identity: []string{`{"Version":"2012-10-17","Statement":[{"Sid":"AllowGetList","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},{"Sid":"DenyReports","Effect":"Deny","Action":"iam:*Report","Resource":"*"}]}`},
			action:   "iam:CreatePolicy", resource: "*", want: iam.ImplicitDeny},
		{name: "deny whose condition fails does not apply", // [logic] a statement applies only when its conditions match
			identity: []string{allowAll, stmt("Deny", `"Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}`)},
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SecureTransport": {"true"}}, want: iam.Allowed},

		// --- Action: case-insensitive, * and ? ---
		{name: "action names are case-insensitive", // [action] "action names are case insensitive"
			identity: []string{stmt("Allow", `"Action":"CHIME:createuser","Resource":"*"`)}, action: chimeCreate, resource: "*", want: iam.Allowed},
		{name: "service wildcard", // [action] "chime:*" allows every action of the service
			identity: []string{stmt("Allow", `"Action":"chime:*","Resource":"*"`)}, action: chimeCreate, resource: "*", want: iam.Allowed},
		{name: "prefix wildcard", // [action] "iam:*AccessKey*" style wildcards within the name
			identity: []string{stmt("Allow", `"Action":"chime:Create*","Resource":"*"`)}, action: chimeCreate, resource: "*", want: iam.Allowed},
		{name: "prefix wildcard does not match other verbs", // [action]
			identity: []string{stmt("Allow", `"Action":"chime:Create*","Resource":"*"`)}, action: "chime:DeleteAccount", resource: "*", want: iam.ImplicitDeny},
		{name: "question mark is one character", // [action] ? matches one character
			identity: []string{stmt("Allow", `"Action":"chime:?etUser","Resource":"*"`)}, action: "chime:GetUser", resource: "*", want: iam.Allowed},
		{name: "question mark is exactly one character", // [action]
			identity: []string{stmt("Allow", `"Action":"chime:?etUser","Resource":"*"`)}, action: "chime:GetUsers", resource: "*", want: iam.ImplicitDeny},
		{name: "action list is OR", // [action] an array of actions
			identity: []string{stmt("Allow", `"Action":["workdocs:CreateUser","chime:CreateUser"],"Resource":"*"`)}, action: chimeCreate, resource: "*", want: iam.Allowed},
		{name: "service prefix must match", // [action] the prefix is part of the action
			identity: []string{stmt("Allow", `"Action":"workdocs:CreateUser","Resource":"*"`)}, action: chimeCreate, resource: "*", want: iam.ImplicitDeny},
		{name: "middle wildcard", // [action] wildcards anywhere in the name
			identity: []string{stmt("Allow", `"Action":"chime:*User*","Resource":"*"`)}, action: "chime:BatchSuspendUser", resource: "*", want: iam.Allowed},

		// --- NotAction ---
		{name: "NotAction allows every other action", // [notaction] Allow with NotAction matches everything not listed
			identity: []string{stmt("Allow", `"NotAction":"chime:DeleteAccount","Resource":"*"`)}, action: chimeCreate, resource: "*", want: iam.Allowed},
		{name: "NotAction does not allow the listed action", // [notaction] the listed action is implicitly denied
			identity: []string{stmt("Allow", `"NotAction":"chime:DeleteAccount","Resource":"*"`)}, action: "chime:DeleteAccount", resource: "*", want: iam.ImplicitDeny},
		{name: "Deny with NotAction denies all but the listed", // [notaction] "Deny ... NotAction" denies everything else
			identity: []string{allowAll, stmt("Deny", `"NotAction":["chime:Get*","chime:List*"],"Resource":"*"`)}, action: chimeCreate, resource: "*", want: iam.ExplicitDeny},
		{name: "Deny with NotAction leaves the listed actions", // [notaction]
			identity: []string{allowAll, stmt("Deny", `"NotAction":["chime:Get*","chime:List*"],"Resource":"*"`)}, action: "chime:ListUsers", resource: "*", want: iam.Allowed},

		// --- Resource: ARN wildcards, case-sensitive ---
		{name: "exact resource ARN", // [resource]
			identity: []string{stmt("Allow", `"Action":"a4b:DeleteUser","Resource":"`+userARN+`"`)}, action: "a4b:DeleteUser", resource: userARN, want: iam.Allowed},
		{name: "resource wildcard in the resource part", // [resource] "arn:aws:...:user/*"
			identity: []string{stmt("Allow", `"Action":"a4b:DeleteUser","Resource":"arn:aws:a4b:*:111122223333:user/*"`)}, action: "a4b:DeleteUser", resource: userARN, want: iam.Allowed},
		{name: "resource of another account", // [resource] the account segment must match
			identity: []string{stmt("Allow", `"Action":"a4b:DeleteUser","Resource":"arn:aws:a4b:*:111122223333:user/*"`)}, action: "a4b:DeleteUser", resource: otherARN, want: iam.ImplicitDeny},
		{name: "resource ARNs are case-sensitive", // [resource] "resource ARNs are case sensitive"
			identity: []string{stmt("Allow", `"Action":"a4b:DeleteUser","Resource":"arn:aws:a4b:us-east-1:111122223333:user/U-1"`)}, action: "a4b:DeleteUser", resource: userARN, want: iam.ImplicitDeny},
		{name: "a segment wildcard does not span a colon", // [resource] each ARN segment is matched on its own
			identity: []string{stmt("Allow", `"Action":"a4b:DeleteUser","Resource":"arn:aws:a4b:us-east-1*:user/*"`)}, action: "a4b:DeleteUser", resource: userARN, want: iam.ImplicitDeny},
		{name: "question mark in a resource", // [resource] ? in ARNs
			identity: []string{stmt("Allow", `"Action":"a4b:DeleteUser","Resource":"arn:aws:a4b:us-east-1:111122223333:user/u-?"`)}, action: "a4b:DeleteUser", resource: userARN, want: iam.Allowed},
		{name: "an ARN cannot grant an action without resource types", // [resource] actions without resource-level permissions need "*"
			identity: []string{stmt("Allow", `"Action":"chime:CreateUser","Resource":"arn:aws:chime::111122223333:*"`)}, action: chimeCreate, resource: "*", want: iam.ImplicitDeny},
		{name: "a short ARN pattern covers the rest", // rollcall's choice (doc.go): the last segment matches the rest
			identity: []string{stmt("Allow", `"Action":"a4b:*","Resource":"arn:aws:a4b:*"`)}, action: "a4b:DeleteUser", resource: userARN, want: iam.Allowed},
		{name: "NotResource covers a request without resource types", // [notres] "*" is not among the listed ARNs
			identity: []string{stmt("Allow", `"Action":"chime:*","NotResource":"arn:aws:a4b:*:*:user/*"`)}, action: chimeCreate, resource: "*", want: iam.Allowed},
		{name: "resource wildcard in the region", // [resource] wildcards in any segment
			identity: []string{stmt("Allow", `"Action":"a4b:*","Resource":"arn:aws:a4b:*:*:user/*"`)}, action: "a4b:SendInvitation", resource: userARN, want: iam.Allowed},

		// --- NotResource ---
		{name: "NotResource allows other resources", // [notres] Allow with NotResource
			identity: []string{stmt("Allow", `"Action":"a4b:*","NotResource":"`+otherARN+`"`)}, action: "a4b:DeleteUser", resource: userARN, want: iam.Allowed},
		{name: "NotResource excludes the listed", // [notres]
			identity: []string{stmt("Allow", `"Action":"a4b:*","NotResource":"`+otherARN+`"`)}, action: "a4b:DeleteUser", resource: otherARN, want: iam.ImplicitDeny},
		{name: "Deny with NotResource denies everything else", // [notres] "Deny ... NotResource" protects all but the listed
			identity: []string{allowAll, stmt("Deny", `"Action":"a4b:*","NotResource":"arn:aws:a4b:*:111122223333:user/*"`)}, action: "a4b:DeleteUser", resource: otherARN, want: iam.ExplicitDeny},

		// --- String operators ---
		{name: "StringEquals matches", // [condop] StringEquals: exact, case-sensitive
			identity: allowIf(`{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:PrincipalAccount": {acct}}, want: iam.Allowed},
		{name: "StringEquals is case-sensitive", // [condop]
			identity: allowIf(`{"StringEquals":{"aws:RequestTag/team":"Blue"}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:RequestTag/team": {"blue"}}, want: iam.ImplicitDeny},
		{name: "condition key names are case-insensitive", // [global] "Condition key names are not case-sensitive"
			identity: allowIf(`{"StringEquals":{"AWS:PRINCIPALACCOUNT":"111122223333"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:principalAccount": {acct}}, want: iam.Allowed},
		{name: "StringEqualsIgnoreCase", // [condop] case-insensitive match
			identity: allowIf(`{"StringEqualsIgnoreCase":{"aws:RequestTag/team":"BLUE"}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:RequestTag/team": {"blue"}}, want: iam.Allowed},
		{name: "StringNotEqualsIgnoreCase", // [condop]
			identity: allowIf(`{"StringNotEqualsIgnoreCase":{"aws:RequestTag/team":"BLUE"}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:RequestTag/team": {"blue"}}, want: iam.ImplicitDeny},
		{name: "several values of one key are OR", // [logicmv] "multiple values for a single key ... evaluated using a logical OR"
			identity: allowIf(`{"StringEquals":{"aws:RequestTag/team":["red","blue"]}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:RequestTag/team": {"blue"}}, want: iam.Allowed},
		{name: "StringNotEquals with several values is NOR", // [logicmv] negated operators: "logical NOR"
			identity: allowIf(`{"StringNotEquals":{"aws:RequestTag/team":["red","blue"]}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:RequestTag/team": {"blue"}}, want: iam.ImplicitDeny},
		{name: "StringNotEquals on another value", // [condop]
			identity: allowIf(`{"StringNotEquals":{"aws:RequestTag/team":["red","blue"]}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:RequestTag/team": {"green"}}, want: iam.Allowed},
		{name: "several keys are AND", // [logicmv] "multiple context keys ... evaluated using a logical AND"
			identity: allowIf(`{"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:RequestTag/team":"blue"}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:PrincipalAccount": {acct}, "aws:RequestTag/team": {"red"}}, want: iam.ImplicitDeny},
		{name: "several operators are AND", // [logicmv] condition operators are AND'd
			identity: allowIf(`{"StringEquals":{"aws:PrincipalAccount":"111122223333"},"Bool":{"aws:SecureTransport":"true"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:PrincipalAccount": {acct}, "aws:SecureTransport": {"true"}}, want: iam.Allowed},
		{name: "StringLike with wildcards", // [condop] StringLike: * and ? anywhere
			identity: allowIf(`{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/dev*"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:PrincipalArn": {"arn:aws:iam::111122223333:user/developer"}}, want: iam.Allowed},
		{name: "StringNotLike", // [condop]
			identity: allowIf(`{"StringNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/dev*"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:PrincipalArn": {"arn:aws:iam::111122223333:user/developer"}}, want: iam.ImplicitDeny},
		{name: "positive operator on a missing key is false", // [condop] "If the key ... is not present ... the condition is false"
			identity: allowIf(`{"StringEquals":{"aws:RequestTag/team":"blue"}}`),
			action:   chimeCreate, resource: "*", want: iam.ImplicitDeny},
		{name: "negated operator on a missing key is true", // [condop] "StringNotLike ... and the right key is not present, the condition is true"
			identity: allowIf(`{"StringNotLike":{"aws:RequestTag/team":"blue"}}`),
			action:   chimeCreate, resource: "*", want: iam.Allowed},

		// --- IfExists ---
		{name: "IfExists on a missing key is true", // [condop] "...IfExists: if the key is not present, evaluate the condition as true"
			identity: allowIf(`{"StringEqualsIfExists":{"aws:RequestTag/team":"blue"}}`),
			action:   chimeCreate, resource: "*", want: iam.Allowed},
		{name: "IfExists on a present key compares", // [condop]
			identity: allowIf(`{"StringEqualsIfExists":{"aws:RequestTag/team":"blue"}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:RequestTag/team": {"red"}}, want: iam.ImplicitDeny},
		{name: "NumericLessThanIfExists on a missing key", // [condop] IfExists works with every operator but Null
			identity: allowIf(`{"NumericLessThanIfExists":{"aws:MultiFactorAuthAge":"3600"}}`),
			action:   chimeCreate, resource: "*", want: iam.Allowed},

		// --- Numeric, Date, Bool, Binary ---
		{name: "NumericLessThan", // [condop] numeric comparisons
			identity: allowIf(`{"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:MultiFactorAuthAge": {"600"}}, want: iam.Allowed},
		{name: "NumericLessThan fails at the bound", // [condop]
			identity: allowIf(`{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:MultiFactorAuthAge": {"3600"}}, want: iam.ImplicitDeny},
		{name: "NumericGreaterThanEquals at the bound", // [condop]
			identity: allowIf(`{"NumericGreaterThanEquals":{"aws:EpochTime":"1700000000"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:EpochTime": {"1700000000"}}, want: iam.Allowed},
		{name: "NumericNotEquals", // [condop]
			identity: allowIf(`{"NumericNotEquals":{"aws:MultiFactorAuthAge":"1.5"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:MultiFactorAuthAge": {"1.50"}}, want: iam.ImplicitDeny},
		{name: "DateLessThan on aws:CurrentTime", // [condop] date comparisons, ISO 8601
			identity: allowIf(`{"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:CurrentTime": {"2026-11-30T12:00:00Z"}}, want: iam.Allowed},
		{name: "DateGreaterThan with a date only", // [condop] "2013-06-30" is a valid date value
			identity: allowIf(`{"DateGreaterThan":{"aws:CurrentTime":"2027-01-01"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:CurrentTime": {"2026-11-30T12:00:00Z"}}, want: iam.ImplicitDeny},
		{name: "DateLessThan with epoch seconds", // [condop] aws:EpochTime in date conditions
			identity: allowIf(`{"DateLessThan":{"aws:EpochTime":"1800000000"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:EpochTime": {"1764504000"}}, want: iam.Allowed},
		{name: "DateNotEquals across time zones", // [condop] the same instant in another zone is equal
			identity: allowIf(`{"DateNotEquals":{"aws:CurrentTime":"2026-11-30T12:00:00Z"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:CurrentTime": {"2026-11-30T13:00:00+01:00"}}, want: iam.ImplicitDeny},
		{name: "Bool true", // [condop] Bool, e.g. aws:SecureTransport
			identity: allowIf(`{"Bool":{"aws:SecureTransport":true}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SecureTransport": {"true"}}, want: iam.Allowed},
		{name: "Bool false does not match true", // [condop]
			identity: allowIf(`{"Bool":{"aws:SecureTransport":"false"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SecureTransport": {"true"}}, want: iam.ImplicitDeny},
		{name: "deny over plain HTTP", // [condop] the aws:SecureTransport deny example
			identity: []string{allowAll, stmt("Deny", `"Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}`)},
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SecureTransport": {"false"}}, want: iam.ExplicitDeny},
		{name: "BinaryEquals", // [condop] base64 policy value compared byte for byte
			identity: allowIf(`{"BinaryEquals":{"rollcall:Blob":"aGVsbG8="}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"rollcall:Blob": {"hello"}}, want: iam.Allowed},

		// --- IP addresses ---
		{name: "IpAddress in an IPv4 range", // [condop] IpAddress: CIDR
			identity: allowIf(`{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SourceIp": {"203.0.113.7"}}, want: iam.Allowed},
		{name: "IpAddress outside the range", // [condop]
			identity: allowIf(`{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SourceIp": {"198.51.100.7"}}, want: iam.ImplicitDeny},
		{name: "IpAddress IPv6", // [condop] "IpAddress ... IPv4 or IPv6"
			identity: allowIf(`{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SourceIp": {"2001:db8:1234:5678::1"}}, want: iam.Allowed},
		{name: "NotIpAddress deny from outside", // [condop] the deny-by-IP example
			identity: []string{allowAll, stmt("Deny", `"Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`)},
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SourceIp": {"198.51.100.1"}}, want: iam.ExplicitDeny},
		{name: "NotIpAddress deny lets the office in", // [condop]
			identity: []string{allowAll, stmt("Deny", `"Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`)},
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SourceIp": {"192.0.2.44"}}, want: iam.Allowed},
		{name: "a single address is a /32", // [condop] an address without a prefix length
			identity: allowIf(`{"IpAddress":{"aws:SourceIp":"192.0.2.44"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:SourceIp": {"192.0.2.45"}}, want: iam.ImplicitDeny},

		// --- ARN operators ---
		{name: "ArnLike on aws:PrincipalArn", // [condop] ArnLike: each segment with wildcards
			identity: allowIf(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/*"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:PrincipalArn": {"arn:aws:iam::111122223333:user/dev"}}, want: iam.Allowed},
		{name: "ArnEquals of another account", // [condop] ArnEquals
			identity: allowIf(`{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/dev"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:PrincipalArn": {"arn:aws:iam::444455556666:user/dev"}}, want: iam.ImplicitDeny},
		{name: "ArnNotLike", // [condop]
			identity: allowIf(`{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:PrincipalArn": {"arn:aws:iam::111122223333:user/dev"}}, want: iam.Allowed},
		{name: "ArnNotEquals", // [condop]
			identity: allowIf(`{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/dev"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:PrincipalArn": {"arn:aws:iam::111122223333:user/dev"}}, want: iam.ImplicitDeny},

		// --- Null ---
		{name: "Null true on a missing key", // [condop] Null: "true" means the key is absent
			identity: allowIf(`{"Null":{"aws:TagKeys":"true"}}`),
			action:   chimeCreate, resource: "*", want: iam.Allowed},
		{name: "Null true on a present key", // [condop]
			identity: allowIf(`{"Null":{"aws:TagKeys":"true"}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:TagKeys": {"team"}}, want: iam.ImplicitDeny},
		{name: "Null false requires the key", // [condop] "false" means the key is present
			identity: []string{allowAll, stmt("Deny", `"Action":"a4b:CreateUser","Resource":"*","Condition":{"Null":{"aws:RequestTag/team":"true"}}`)},
			action:   "a4b:CreateUser", resource: userARN, want: iam.ExplicitDeny},

		// --- set qualifiers ---
		{name: "ForAllValues: every tag key allowed", // [setops] ForAllValues: each request value is in the policy set
			identity: allowIf(`{"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost"]}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:TagKeys": {"team", "cost"}}, want: iam.Allowed},
		{name: "ForAllValues: one tag key not allowed", // [setops]
			identity: allowIf(`{"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost"]}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:TagKeys": {"team", "owner"}}, want: iam.ImplicitDeny},
		{name: "ForAllValues on a missing key is true", // [setops] "ForAllValues ... returns true if the context key is missing"
			identity: allowIf(`{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}`),
			action:   chimeCreate, resource: "*", want: iam.Allowed},
		{name: "ForAnyValue: one match is enough", // [setops] ForAnyValue: at least one request value matches
			identity: allowIf(`{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:TagKeys": {"owner", "team"}}, want: iam.Allowed},
		{name: "ForAnyValue on a missing key is false", // [setops] "ForAnyValue ... returns false if the key is missing"
			identity: allowIf(`{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}`),
			action:   chimeCreate, resource: "*", want: iam.ImplicitDeny},
		{name: "ForAnyValue:StringNotEquals", // [setops] true when some request value is outside the set
			identity: allowIf(`{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["team"]}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:TagKeys": {"team", "owner"}}, want: iam.Allowed},
		{name: "deny a reserved tag key with ForAnyValue", // [setops] the deny-a-tag-key example: ForAnyValue on aws:TagKeys
			identity: []string{allowAll, stmt("Deny", `"Action":"*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["admin"]}}`)},
			action:   "a4b:TagResource", resource: userARN, ctx: map[string][]string{"aws:TagKeys": {"team", "admin"}}, want: iam.ExplicitDeny},
		{name: "ForAllValues:StringNotEquals: no value in the set", // [setops] negated: every request value is outside the set
			identity: allowIf(`{"ForAllValues:StringNotEquals":{"aws:TagKeys":["admin","owner"]}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:TagKeys": {"team", "cost"}}, want: iam.Allowed},
		{name: "ForAllValues:StringNotEquals: one value in the set", // [setops]
			identity: allowIf(`{"ForAllValues:StringNotEquals":{"aws:TagKeys":["admin","owner"]}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:TagKeys": {"team", "owner"}}, want: iam.ImplicitDeny},
		{name: "ForAnyValue:StringLikeIfExists on a missing key", // [setops] IfExists makes a missing key true
			identity: allowIf(`{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["t*"]}}`),
			action:   chimeCreate, resource: "*", want: iam.Allowed},

		// --- policy variables ---
		{name: "aws:username in the resource", // [vars] "arn:aws:s3:::bucket/${aws:username}/*" pattern
			identity: []string{stmt("Allow", `"Action":"a4b:*","Resource":"arn:aws:a4b:*:111122223333:user/${aws:username}"`)},
			action:   "a4b:DeleteUser", resource: "arn:aws:a4b:us-east-1:111122223333:user/dev", ctx: map[string][]string{"aws:username": {"dev"}}, want: iam.Allowed},
		{name: "aws:username of another user", // [vars]
			identity: []string{stmt("Allow", `"Action":"a4b:*","Resource":"arn:aws:a4b:*:111122223333:user/${aws:username}"`)},
			action:   "a4b:DeleteUser", resource: "arn:aws:a4b:us-east-1:111122223333:user/ops", ctx: map[string][]string{"aws:username": {"dev"}}, want: iam.ImplicitDeny},
		{name: "a missing variable matches nothing", // [vars] no value and no default: the element does not match
			identity: []string{stmt("Allow", `"Action":"a4b:*","Resource":"arn:aws:a4b:*:111122223333:user/${aws:username}"`)},
			action:   "a4b:DeleteUser", resource: "arn:aws:a4b:us-east-1:111122223333:user/dev", want: iam.ImplicitDeny},
		{name: "a variable's default", // [vars] ${aws:username, 'default'}
			identity: []string{stmt("Allow", `"Action":"a4b:*","Resource":"arn:aws:a4b:*:111122223333:user/${aws:username, 'shared'}"`)},
			action:   "a4b:DeleteUser", resource: "arn:aws:a4b:us-east-1:111122223333:user/shared", want: iam.Allowed},
		{name: "a substituted value is literal", // [vars] a value's * is not a wildcard; ${*} is a literal *
			identity: []string{stmt("Allow", `"Action":"a4b:*","Resource":"arn:aws:a4b:*:111122223333:user/${aws:username}"`)},
			action:   "a4b:DeleteUser", resource: "arn:aws:a4b:us-east-1:111122223333:user/dev", ctx: map[string][]string{"aws:username": {"*"}}, want: iam.ImplicitDeny},
		{name: "variables in a condition value", // [vars] variables in StringEquals values
			identity: allowIf(`{"StringEquals":{"aws:RequestTag/owner":"${aws:username}"}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:username": {"dev"}, "aws:RequestTag/owner": {"dev"}}, want: iam.Allowed},
		{name: "a variable in StringLike", // [vars] variables in StringLike values, wildcards kept
			identity: allowIf(`{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/${aws:username}"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:username": {"dev"}, "aws:PrincipalArn": {"arn:aws:iam::111122223333:user/dev"}}, want: iam.Allowed},
		{name: "a variable in ArnLike", // [vars] variables in ARN condition values
			identity: allowIf(`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::${aws:PrincipalAccount}:user/*"}}`),
			action:   chimeCreate, resource: "*", ctx: map[string][]string{"aws:PrincipalAccount": {"444455556666"}, "aws:PrincipalArn": {"arn:aws:iam::111122223333:user/dev"}}, want: iam.ImplicitDeny},
		{name: "a variable in StringEqualsIgnoreCase", // [vars]
			identity: allowIf(`{"StringEqualsIgnoreCase":{"aws:RequestTag/owner":"${aws:username}"}}`),
			action:   "a4b:CreateUser", resource: userARN, ctx: map[string][]string{"aws:username": {"Dev"}, "aws:RequestTag/owner": {"dEV"}}, want: iam.Allowed},
		{name: "${*} is a literal star", // [vars] "${*}" stands for the character *
			identity: []string{stmt("Allow", `"Action":"a4b:CreateUser","Resource":"arn:aws:a4b:*:111122223333:user/${*}"`)},
			action:   "a4b:CreateUser", resource: "arn:aws:a4b:us-east-1:111122223333:user/u-1", want: iam.ImplicitDeny},
		{name: "${*} matches a star", // [vars]
			identity: []string{stmt("Allow", `"Action":"a4b:CreateUser","Resource":"arn:aws:a4b:*:111122223333:user/${*}"`)},
			action:   "a4b:CreateUser", resource: "arn:aws:a4b:us-east-1:111122223333:user/*", want: iam.Allowed},
		{name: "aws:ResourceTag on an Alexa for Business user", // [condop] tag conditions on the resource acted on
			identity: []string{allowAll, stmt("Deny", `"Action":"a4b:DeleteUser","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/protected":"yes"}}`)},
			action:   "a4b:DeleteUser", resource: userARN, ctx: map[string][]string{"aws:ResourceTag/Protected": {"yes"}}, want: iam.ExplicitDeny},
		{name: "no variables in a 2008-10-17 policy", // [vars] "policy variables ... only with Version 2012-10-17"
			identity: []string{`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"a4b:*","Resource":"arn:aws:a4b:*:111122223333:user/${aws:username}"}}`},
			action:   "a4b:DeleteUser", resource: "arn:aws:a4b:us-east-1:111122223333:user/dev", ctx: map[string][]string{"aws:username": {"dev"}}, want: iam.ImplicitDeny},

		// --- session policies ---
		{name: "session policy narrows: both allow", // [session] "permissions are the intersection"
			identity: []string{allowAll}, session: stmt("Allow", `"Action":"chime:*","Resource":"*"`),
			action: chimeCreate, resource: "*", want: iam.Allowed},
		{name: "session policy narrows: session does not allow", // [session] identity allows, session does not
			identity: []string{allowAll}, session: stmt("Allow", `"Action":"workdocs:*","Resource":"*"`),
			action: chimeCreate, resource: "*", want: iam.ImplicitDeny, wantType: iam.SessionPolicy},
		{name: "session policy cannot grant", // [session] "cannot use session policies to grant more permissions"
			identity: []string{stmt("Allow", `"Action":"workdocs:*","Resource":"*"`)}, session: allowAll,
			action: chimeCreate, resource: "*", want: iam.ImplicitDeny, wantType: iam.IdentityPolicy},
		{name: "explicit deny in the session policy", // [logic] an explicit deny in any policy denies
			identity: []string{allowAll}, session: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoChime","Effect":"Deny","Action":"chime:*","Resource":"*"}]}`,
			action: chimeCreate, resource: "*", want: iam.ExplicitDeny, wantSid: "NoChime", wantType: iam.SessionPolicy},
		{name: "identity deny wins over a session allow", // [logic]
			identity: []string{allowAll, stmt("Deny", `"Action":"chime:*","Resource":"*"`)}, session: allowAll,
			action: chimeCreate, resource: "*", want: iam.ExplicitDeny, wantType: iam.IdentityPolicy},
	}
}

func TestEvaluate(t *testing.T) {
	cases := evalCases()
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ids []*iam.Policy
			for i, doc := range tc.identity {
				p := mustParse(t, doc)
				p.Name = "p" + string(rune('0'+i))
				ids = append(ids, p)
			}
			var session *iam.Policy
			if tc.session != "" {
				session = mustParse(t, tc.session)
			}
			req := &iam.Request{Action: tc.action, Resource: tc.resource}
			for k, v := range tc.ctx {
				req.Context.Set(k, v...)
			}
			d := iam.Evaluate(req, ids, session)
			if d.Outcome != tc.want {
				t.Fatalf("outcome %v, want %v (%s)", d.Outcome, tc.want, d.Reason())
			}
			if tc.want != iam.Allowed && d.Type != tc.wantType {
				t.Errorf("type %v, want %v", d.Type, tc.wantType)
			}
			by := d.By()
			switch tc.want {
			case iam.ImplicitDeny:
				if len(by) != 0 {
					t.Errorf("implicit deny names statements %v", by)
				}
			case iam.ExplicitDeny:
				if len(by) != 1 || by[0].Effect != iam.Deny {
					t.Errorf("explicit deny decided by %v", by)
				}
			case iam.Allowed:
				if len(by) == 0 || by[0].Effect != iam.Allow || (session != nil) != (len(by) == 2) {
					t.Errorf("allow decided by %v", by)
				}
			}
			if tc.wantSid != "" && (len(by) == 0 || by[0].Sid != tc.wantSid) {
				t.Errorf("decided by %v, want Sid %q", by, tc.wantSid)
			}
			if d.Reason() == "" {
				t.Error("no reason")
			}
		})
	}
}

func mustParse(tb testing.TB, doc string) *iam.Policy {
	tb.Helper()
	p, err := iam.Parse([]byte(doc))
	if err != nil {
		tb.Fatalf("Parse(%s): %v", doc, err)
	}
	return p
}
