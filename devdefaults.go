package rollcall

// Dev defaults: what rollcall serves out of the box, for local use only.
const (
	DevAccountID      = "000000000000"
	DevAccessKeyID    = "test"
	DevSecretKey      = "test"
	DevOrganizationID = "d-0000000000"
	DevBusinessID     = "dev-business"
	DevGroupID        = "dev-group"
	DevAccessToken    = "Atza|rollcall-dev-access-token"
	DevClientID       = "amzn1.application-oa2-client.rollcall-dev"
	DevClientSecret   = "rollcall-dev-client-secret"
	DevRefreshToken   = "Atzr|rollcall-dev-refresh-token"
	DevWorkDocsAdmin  = "admin"
)
