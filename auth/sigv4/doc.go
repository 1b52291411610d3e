// Package sigv4 verifies AWS Signature Version 4 on the server side, so that requests
// the official AWS SDKs and CLI sign for Chime, WorkDocs and Alexa for Business are
// accepted unchanged: the Authorization header form and presigned URLs (query form),
// AWS4-HMAC-SHA256 only (not SigV4a, not streaming payloads).
//
// Verifier.Verify rebuilds the canonical request from the request as the server received
// it. The canonical URI is the raw path from the wire, escaped once more ("double
// encoding", as the SDKs sign for every service but S3), optionally normalized. The
// query is decoded and encoded again, in SigV4's order or, where that differs,
// aws-sdk-go v1's. The payload hash is the body's unless X-Amz-Content-Sha256 gives it.
// Signatures and session tokens are compared in constant time; derived signing keys are
// cached. A request signed in the Authorization header is verified without allocating
// once its key is cached (alloc_test.go holds it to that).
//
// Failures are *Error values whose Code each face maps to its own wire error and whose
// Message is safe to show the client.
//
// It imports the standard library only.
package sigv4
