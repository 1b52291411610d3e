// Package auth authenticates callers of the AWS faces: it verifies a request's SigV4
// signature (package auth/sigv4) against the access keys in the directory and turns the
// result into a rollcall.Caller, or into an Unauthorized/Forbidden rollcall.Error whose
// Reason tells the face which of its error shapes to answer with.
//
// It imports the core, auth/sigv4 and the standard library; never a face or a store.
package auth
