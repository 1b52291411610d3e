// Package httpx holds the HTTP plumbing every face shares: request IDs, the request log,
// body limits, strict JSON decoding, and writing the two AWS error formats (REST-JSON and
// JSON 1.1).
//
// It may import the core (package rollcall) and the standard library plus the JSON
// decoder; never a face and never a storage package.
package httpx
