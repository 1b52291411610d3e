// Package token issues and checks rollcall's bearer tokens: Amazon Business access tokens
// (issued by the Login-with-Amazon-style grant of face/loginwithamazon, sent in
// x-amz-access-token) and WorkDocs Authentication tokens (issued by the admin API, sent
// in the Authentication header). Every token is random, returned once, and kept only as
// its SHA-256; a WorkDocs token also names its user and the user's token epoch, so it
// dies with the user's deletion or deactivation. Expired tokens are refused.
//
// Failures are rollcall.Error values with neutral Reasons (the Reason* constants); the
// faces word them (OAuth codes are face/loginwithamazon's).
//
// The token epoch and the login client's secret hash are product attributes, which it
// reads through the readers New is given (Attrs; cmd passes operator.TokenAttrs).
//
// It imports the core and the standard library; never a store, a face or a product
// package.
package token
