package httpx

import "net/http"

// RetryAfterSeconds is the Retry-After rollcall's browser and OAuth endpoints send with a
// 429 or a 503. What throttles them is the password-hash gate: a request is refused once
// it has waited its turn, and the hashes ahead of it end within a few seconds. A 503 is
// the store not answering for now (PostgreSQL away, a full disk): rollcall serves again
// without a restart, within a second of the cause clearing, so a short wait costs a
// client one more request at most.
const RetryAfterSeconds = "5"

// SetRetryAfter says when to come back (Retry-After, RFC 9110 section 10.2.3) on a
// refusal that waiting cures: a 429 or a 503. Any other status is left alone.
func SetRetryAfter(h http.Header, status int) {
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		h.Set("Retry-After", RetryAfterSeconds)
	}
}
