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

// DefaultIdempotencyRetention is how long a client token is honoured. Alexa for
// Business documents no window; other AWS services document 8 to 36 hours (Directory
// Service Data CreateUser 8, SimSpace Weaver and Oracle Database@AWS 24, Cloud Control
// 36): 24 hours honours any retry made within a day. SDKs fill a token into every
// create, so the records are purged once past it (operator.PurgeIdempotency).
const DefaultIdempotencyRetention = 24 * time.Hour

// IdempotencyCutoff is the creation time before which a client token's record has
// expired: a request with its token is then a new request, whether or not the purge
// has deleted the record yet.
func (s *Service) IdempotencyCutoff() time.Time {
	retention := s.IdempotencyRetention
	if retention <= 0 {
		retention = DefaultIdempotencyRetention
	}
	return s.now().Add(-retention)
}

// Expired reports whether r was created before cutoff (Service.IdempotencyCutoff).
func (r *IdempotencyRecord) Expired(cutoff time.Time) bool { return r.CreatedAt.Before(cutoff) }
