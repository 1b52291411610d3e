// Package admin is rollcall's own API under /_rollcall/: health, and (with the admin
// token) tenants, directories, the outbox, the audit trail (/_rollcall/events), temporary
// AWS credentials (package auth), WorkDocs Authentication tokens (auth/token), IAM
// principals, their policies, keys' principals and the policy simulator (iam.go),
// fault-injection rules (package fault), and reset and snapshots (state.go). It is not
// an AWS API; its errors are {"error":{"code":...,"message":...}}.
//
// Every call but the health check is recorded in the audit trail (audit/trail).
//
// It imports the core, operator (the operator's view), auth, auth/token, iam, fault,
// audit, audit/trail, pagetoken, httpx and the standard library; never a store, another
// face or a product package.
package admin
