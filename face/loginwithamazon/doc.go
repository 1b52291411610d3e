// Package loginwithamazon is the token endpoint Amazon Business callers get their access
// tokens from, in the style of Login with Amazon: POST /auth/o2/token with a
// form-encoded client_credentials or refresh_token grant, answered with
// {"access_token", "token_type": "bearer", "expires_in", ...} or an OAuth 2.0 error
// {"error", "error_description"}. Tokens are issued by auth/token (the Issuer New is
// given); the OAuth error codes (invalid_client, invalid_grant, ...) are this face's
// wording, in its one error table, toWire. Each call is recorded in the audit trail
// (audit/trail.Handler).
//
// It imports the core, auth/token, audit/trail, httpx and the standard library; never a
// store, another face or a product package.
package loginwithamazon
