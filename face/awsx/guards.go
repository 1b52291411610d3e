package awsx

import "github.com/rollcall/rollcall/ratelimit"

// Guards are what the server sets alike on each SigV4 face (Chime, WorkDocs, Alexa for
// Business) for its Pipeline: per-tenant limits, IAM policy evaluation and fault
// injection. A face embeds them; its Pipeline takes each one.
type Guards struct {
	// Limits throttles per tenant and operation (the face's Name, a dot and the
	// operation: "chime.CreateUser"); nil = no limits.
	Limits *ratelimit.Limiter
	// IAM evaluates the IAM policies of the caller's access key (auth.Policies); nil =
	// none are evaluated.
	IAM Subjects
	// Faults injects the fault rules that match a request (package fault); nil = none.
	Faults Injector
}
