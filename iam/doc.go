// Package iam evaluates AWS IAM identity-based policies the way AWS does, for the AWS faces
// (Amazon Chime, Amazon WorkDocs, Alexa for Business).
//
// It has four parts:
//   - the policy grammar (Parse): Version, Statement (one or many), Sid, Effect,
//     Action/NotAction, Resource/NotResource and Condition, refusing malformed documents
//     with a *MalformedPolicyError whose message names the problem, as IAM's
//     MalformedPolicyDocument does. Patterns are compiled once, at parse time;
//   - evaluation (Evaluate): an explicit Deny wins, otherwise an Allow is needed, otherwise
//     the request is implicitly denied; a session policy narrows the identity policies.
//     The Decision says which policy and statement decided and why (Decision.Reason), for
//     the simulator endpoint (POST /_rollcall/iam/simulate);
//   - AWS's denial wording (DenialMessage);
//   - the service authorization tables (actions.go): for each operation the faces serve,
//     its IAM action, resource ARN and condition keys, and the error each service answered
//     an IAM denial with. The faces take the names of their operations from it (Names).
//
// Policy variables (${aws:username}, ${aws:PrincipalAccount}, any request context key, and
// the literals ${*}, ${?}, ${$}, with an optional default: ${aws:username, 'nobody'}) are
// substituted in Resource, NotResource and condition values of policies whose Version is
// 2012-10-17, as AWS does; in 2008-10-17 policies (and policies without a Version) they are
// literal text. A variable whose key is absent from the request, or multi-valued, and has
// no default, makes the element it is in match nothing.
//
// Choices where AWS's documentation is silent or where rollcall is stricter:
//   - Element names are case-sensitive and an unknown element is refused; condition
//     operator names are matched without regard to case.
//   - A condition value its operator cannot read (a Numeric value that is not a number, a
//     Date that is neither ISO 8601 nor epoch seconds, a Bool or Null value that is not
//     true/false, an IpAddress that is not an address or CIDR, a BinaryEquals value that
//     is not base64) refuses the document, rather than never matching.
//   - A Resource pattern with fewer than six ARN segments matches its last segment
//     against the rest of the ARN ("arn:aws:a4b:*" covers every a4b ARN); otherwise each
//     segment is matched on its own, as "a wildcard cannot span segments".
//   - A single-valued operator (no ForAllValues/ForAnyValue) on a key with several values
//     is true when any value matches; negated, when none does.
//   - A request for an action without resource types has the resource "*", which only
//     a Resource of "*" (or a NotResource without "*") covers.
//
// Imports: the standard library only. This package knows nothing of the rest of the module
// (architecture_test.go checks it): callers give it policy documents and a Request.
//
// Wiring: auth resolves an access key to a principal and its policies (auth.Policies);
// face/awsx, once a request is authenticated and routed, finds the face's operation
// (Lookup) and its action and resource (Operation.Authorize), builds the Context
// (NewContext), calls Evaluate, and on a denial answers with the face's DenialError
// (Services) and the message from DenialMessage, before any expensive work.
package iam
