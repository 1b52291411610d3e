// Package rollcall is the domain core of rollcall: one durable user directory behind the
// user-provisioning APIs of Amazon Chime, Amazon WorkDocs, Alexa for Business and Amazon
// Business.
//
// It holds the entities (tenants, access keys, directories, groups, users, invitations,
// outbound mail), the transport-neutral error kinds, the Store interface that every storage
// backend implements, and the Service that enforces the business rules: tenant scoping,
// uniqueness, idempotency, defaults and invitation state. Every backend therefore behaves
// the same. Credentials are checked and issued by package auth (and auth/token,
// auth/session); the core keeps their records (AccessKey, AccessToken, Session) and lends
// auth its clock and randomness (Service.Time, NewToken, NewHex).
//
// This package imports the standard library only: no net/http, no database/sql. Faces
// (package face/...) translate wire requests into Service calls; storage packages
// (package store/...) implement Store; only cmd/rollcall wires them together.
package rollcall
