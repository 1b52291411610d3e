package iam

// Subject is a caller with the policies its requests are evaluated against, as a
// credential store resolves an access key (package auth) for the pipeline (face/awsx).
type Subject struct {
	Principal Principal
	Identity  []*Policy // the principal's identity-based policies
	Session   *Policy   // the session policy of temporary credentials; nil when none
	// Unrestricted is a caller no policy restricts (a key of the account itself, or of a
	// principal declared without policies, without a session policy): it has full access
	// to its own account and is not evaluated.
	Unrestricted bool
}
