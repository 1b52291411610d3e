// Package load builds and sends the load generator's requests: every face's CreateUser,
// each a distinct user, signed as the official clients sign them, and a bare net/http
// handler for the baseline. tools/loadgen drives a server with it; cmd/rollcall's
// benchmarks drive an in-process one with the same requests.
//
// It imports the AWS SDK for Go v1's signer and the standard library; no rollcall
// package.
package load
