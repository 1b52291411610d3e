// Package loginwithamazon is the token endpoint Amazon Business callers get their access
// tokens from, in the style of Login with Amazon: POST /auth/o2/token with a
// form-encoded client_credentials or refresh_token grant, answered with
// {"access_token", "token_type": "bearer", "expires_in", ...} or an OAuth 2.0 error
// {"error", "error_description"}.
//
// It imports the core, httpx and the standard library; never a storage package or
// another face.
package loginwithamazon
