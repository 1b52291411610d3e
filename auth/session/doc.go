// Package session opens, checks and ends console sessions: the cookie holds only a random
// ID, the store keeps its SHA-256 (rollcall.Session), each session is bound to the admin
// token it was opened with, and it ends when idle too long, at the end of its lifetime,
// or at sign-out, on every replica at once.
//
// It imports the core and the standard library; never a store, a face or a product
// package.
package session
