package rollcall

import "time"

// IdempotencyRecord remembers the outcome of a request made with a client token, so a
// retry returns the same result and creates nothing.
type IdempotencyRecord struct {
	Scope       string // IdempotencyScope: e.g. "a4b:<account>"
	Token       string
	RequestHash string // hex SHA-256 of the request's parameters
	ResultID    string // the created resource (a user ID)
	CreatedAt   time.Time
}

// IdempotencyScope is the scope of a product's client tokens within a tenant: tokens
// of one scope are one namespace, and the tenant's records are found by the scope's
// end (Tx.DeleteContents).
func IdempotencyScope(product, tenantID string) string { return product + ":" + tenantID }
