package rollcall

// Content names a kind of row the store keeps, for Tx.DeleteContents. What a reset
// removes is a list of them, decided once above storage (operator.ResetContents); a
// store only knows where one kind's rows are and which of them are a tenant's.
type Content string

const (
	ContentTenants      Content = "tenants"
	ContentAccessKeys   Content = "access keys"
	ContentAccessTokens Content = "access tokens"
	ContentPrincipals   Content = "IAM principals"
	ContentDirectories  Content = "directories"
	ContentGroups       Content = "groups" // a tenant's are found through its directories
	ContentUsers        Content = "users"
	ContentInvitations  Content = "invitations"
	ContentMessages     Content = "messages"
	ContentIdempotency  Content = "idempotency records" // a tenant's by their scope (IdempotencyScope)
	ContentAuditEvents  Content = "audit events"
	ContentFaults       Content = "faults"
	ContentSessions     Content = "sessions" // console sessions: they belong to no tenant
)

// TenantContents is every Content a tenant has rows of (all but the sessions), in an
// order Tx.DeleteContents allows: a tenant's groups are found through its directories,
// so they go first. A Content added above belongs here unless it is of no tenant.
var TenantContents = []Content{
	ContentGroups, ContentTenants, ContentAccessKeys, ContentAccessTokens,
	ContentPrincipals, ContentDirectories, ContentUsers, ContentInvitations,
	ContentMessages, ContentIdempotency, ContentAuditEvents, ContentFaults,
}

// CheckTenant is the Invalid error Tx.DeleteContents returns when asked for a tenant's
// rows of a kind that belongs to no tenant (sessions), or nil.
func (c Content) CheckTenant(tenantID string) error {
	if tenantID != "" && c == ContentSessions {
		return &Error{Kind: Invalid, Op: "DeleteContents", Message: string(c) + " belong to no tenant"}
	}
	return nil
}
