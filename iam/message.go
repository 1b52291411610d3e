package iam

// DenialMessage is the message AWS gives for a denied request, from "Troubleshoot access
// denied error messages", IAM User Guide
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html; the
// source is doc_source/troubleshoot_access-denied.md in github.com/awsdocs/iam-user-guide):
//
//	User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action
//	User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy
//	User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories because no session policy allows the codecommit:ListRepositories action
//
// The page spells the session variant of the explicit deny "in a sessions policy"; this
// function writes "in a session policy", the form of every other variant. The resource
// clause is written whenever a resource is known, "*" included: services answer
// "on resource: * because no identity-based policy allows ..." for actions without resource
// types (e.g. cognito-idp:CreateUserPool in
// github.com/aws-samples/aws-ai-intelligent-document-processing issue 12). The message has
// no final period, as AWS's has none. An allowed decision has no denial message: "".
func DenialMessage(principalARN string, d *Decision) string {
	if d.Outcome == Allowed {
		return ""
	}
	msg := "User: " + principalARN + " is not authorized to perform: " + d.Action
	if d.Resource != "" {
		msg += " on resource: " + d.Resource
	}
	kind := "an identity-based policy"
	if d.Type == SessionPolicy {
		kind = "a session policy"
	}
	if d.Outcome == ExplicitDeny {
		return msg + " with an explicit deny in " + kind
	}
	return msg + " because no " + d.Type.String() + " policy allows the " + d.Action + " action"
}
