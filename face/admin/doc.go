// Package admin is rollcall's own API under /_rollcall/: health, and (with the admin
// token) tenants and the outbox. It is not an AWS API; its errors are
// {"error":{"code":...,"message":...}}.
//
// It imports the core, httpx and the standard library; never a storage package or a face.
package admin
