// Package auth is the one place rollcall checks and issues credentials. This package
// authenticates SigV4-signed requests of the AWS faces: it verifies the signature (package
// auth/sigv4) against the access keys in the directory, takes the caller's tenant from the
// key that signed (sigv4.Result.Owner), and turns failures into Unauthorized/Forbidden
// rollcall.Errors whose Reason tells the face which of its error shapes to answer with.
// It also looks access keys up and issues temporary credentials, optionally of an IAM
// principal with a session policy (keys.go), and resolves an access key to its IAM
// subject: the principal and its parsed policies, cached per key (iam.go, Policies).
//
// Its subpackages hold the other credential kinds: auth/token (Amazon Business access
// tokens and their Login-with-Amazon grants, WorkDocs Authentication tokens), auth/session
// (console sessions), auth/password (argon2id and password strength), auth/sigv4.
//
// It imports the core, auth/sigv4, iam and the standard library; never a store, a face or a
// product package (the store is reached through rollcall.Store).
package auth
