package awsx

import (
	"net/http"
	"strings"
)

// Headers that carry a secret of the caller.
const (
	headerSecurityToken  = "X-Amz-Security-Token"
	headerAuthentication = "Authentication"     // a WorkDocs user token
	headerAccessToken    = "X-Amz-Access-Token" // an Amazon Business access token
)

// minSecret is the shortest value treated as a secret: shorter ones would match text by
// chance, and no credential is that short.
const minSecret = 8

// Secrets returns the secrets r carries: its SigV4 signature (Authorization header or
// presigned query), session token, WorkDocs Authentication token and Amazon Business
// access token, each at least minSecret long.
func Secrets(r *http.Request) []string {
	var out []string
	for _, s := range []string{
		signatureOf(r.Header.Get("Authorization")),
		r.URL.Query().Get("X-Amz-Signature"),
		r.URL.Query().Get("X-Amz-Security-Token"),
		r.Header.Get(headerSecurityToken),
		r.Header.Get(headerAuthentication),
		r.Header.Get(headerAccessToken),
	} {
		if len(s) >= minSecret {
			out = append(out, s)
		}
	}
	return out
}

// LeaksSecret reports whether msg would echo one of r's secrets, or any signature.
func LeaksSecret(r *http.Request, msg string) bool {
	if strings.Contains(msg, "Signature=") {
		return true
	}
	for _, s := range Secrets(r) {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// Redacted stands in a log line for a secret.
const Redacted = "[redacted]"

// Scrub returns err with r's secrets, and any "Signature=" value, replaced by Redacted
// in its text; errors.As and errors.Is see through it to err. nil stays nil.
func Scrub(r *http.Request, err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if !LeaksSecret(r, msg) {
		return err
	}
	return &scrubbed{err: err, msg: scrubText(msg, Secrets(r))}
}

func scrubText(msg string, secrets []string) string {
	for _, s := range secrets {
		msg = strings.ReplaceAll(msg, s, Redacted)
	}
	for from := 0; ; {
		i := strings.Index(msg[from:], "Signature=")
		if i < 0 {
			return msg
		}
		start := from + i + len("Signature=")
		end := start + strings.IndexAny(msg[start:]+",", ", \"'")
		msg = msg[:start] + Redacted + msg[end:]
		from = start + len(Redacted)
	}
}

type scrubbed struct {
	err error
	msg string
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

func signatureOf(authorization string) string {
	_, sig, ok := strings.Cut(authorization, "Signature=")
	if !ok {
		return ""
	}
	sig, _, _ = strings.Cut(sig, ",")
	return strings.TrimSpace(sig)
}
