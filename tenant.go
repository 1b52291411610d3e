package rollcall

import "time"

// TenantKind says what a tenant is.
type TenantKind string

const (
	TenantAWS      TenantKind = "aws"      // an AWS account; owns Chime accounts, WorkDocs organizations and an Alexa for Business directory
	TenantBusiness TenantKind = "business" // an Amazon Business customer; owns one business directory
)

// Tenant is the unit of isolation: nothing of one tenant is visible to another.
type Tenant struct {
	ID        string // a 12-digit AWS account ID, or a business ID
	Kind      TenantKind
	Name      string
	CreatedAt time.Time
}

// AccessKey is an AWS access key pair that authenticates callers of the AWS faces as
// their tenant.
//
// SigV4 verification needs the secret itself (every signature is an HMAC keyed by a key
// derived from it), so the store keeps it as given; see README "Secrets".
type AccessKey struct {
	ID               string // the access key id, e.g. AKIA...
	Secret           string
	TenantID         string
	SessionTokenHash string    // SHA-256 of the session token, for temporary credentials
	ExpiresAt        time.Time // zero for long-term keys
	CreatedAt        time.Time
	// PrincipalARN is the IAM user or role the key belongs to ("": the account itself,
	// with full access). SessionName makes a role's temporary key a role session;
	// SessionPolicy is the session policy of temporary credentials ("": none).
	PrincipalARN  string
	SessionName   string
	SessionPolicy string
}

// AccessToken is a bearer token for the Amazon Business face. Only its SHA-256 is kept.
type AccessToken struct {
	Hash        string // hex SHA-256 of the token
	DirectoryID string // the business directory it acts on
	TenantID    string
	Kind        string    // "access" or "refresh"
	ExpiresAt   time.Time // zero = never
	CreatedAt   time.Time
}
