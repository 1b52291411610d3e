// Package httpx holds the HTTP plumbing every face shares: request IDs, the request log,
// the router over the faces (Router), body limits, strict JSON decoding, writing the two
// AWS error formats (REST-JSON and JSON 1.1), the browser-origin check (Sites,
// CheckSite), Retry-After on refusals that waiting cures (SetRetryAfter), and the
// Observer hook (Observe) through which metrics and traces see every request, with the
// auth failures and rate-limit refusals the faces record in its Info.
//
// It may import the core (package rollcall) and the standard library plus the JSON
// decoder; never a face and never a storage package.
package httpx
