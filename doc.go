// Package rollcall is the domain core of rollcall: one durable user directory behind the
// user-provisioning APIs of Amazon Chime, Amazon WorkDocs, Alexa for Business and Amazon
// Business.
//
// It holds the entities (tenants, access keys, directories, groups, users, invitations,
// outbound mail, idempotency records), the transport-neutral error kinds and reasons (no
// wire words: an error carries a kind, the parameter at fault and its values), the Store
// interface that every storage backend implements, and the Service the rules are built
// on: the clock, IDs and tokens, the password-hash gate, tenant scoping (DirectoryOf),
// the invitation rule (EndInvitations, DeleteUser) and the mail-queued notification.
// Credentials are checked and issued by package auth (and auth/token, auth/session); the
// core keeps their records (AccessKey, AccessToken, Session), the IAM principals keys
// belong to with their policy documents (Principal; parsed by an injected PolicyChecker,
// package iam being outside the core), and lends auth its clock and randomness
// (Service.Time, NewToken, NewHex).
//
// Each product's rules and attributes are a package beside it (chime, workdocs, alexa,
// business): a user's or directory's product attributes are a document (User.Attrs,
// Directory.Attrs) the core and the stores carry without reading, and what a product
// sorts and filters by reaches the store as neutral keys it computes (ProductKeys);
// invitations are package invite, the operator's view package operator. This package
// imports the standard library only and none of them: no net/http, no database/sql.
// Faces (package face/...) call the product packages; storage packages (package
// store/...) implement Store; only cmd/rollcall wires them together.
package rollcall
