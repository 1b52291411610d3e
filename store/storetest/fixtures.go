package storetest

import (
	"time"

	"github.com/rollcall/rollcall"
)

// T0 is the suite's clock: a time with milliseconds, in UTC.
var T0 = time.Date(2026, 11, 22, 10, 30, 15, 123_000_000, time.UTC)

// TenantID is the tenant the fixtures belong to unless told otherwise.
const TenantID = "000000000000"

// NewTenant returns an AWS tenant with every field set.
func NewTenant(id string) *rollcall.Tenant {
	return &rollcall.Tenant{ID: id, Kind: rollcall.TenantAWS, Name: "tenant " + id, CreatedAt: T0}
}

// NewAccessKey returns a long-term access key (no expiry) of TenantID.
func NewAccessKey(id string) *rollcall.AccessKey {
	return &rollcall.AccessKey{ID: id, Secret: "secret-" + id, TenantID: TenantID, CreatedAt: T0}
}

// NewAccessToken returns an access token of a business directory, expiring in an hour.
func NewAccessToken(hash, directoryID string) *rollcall.AccessToken {
	return &rollcall.AccessToken{Hash: hash, DirectoryID: directoryID, TenantID: directoryID, Kind: "access",
		ExpiresAt: T0.Add(time.Hour), CreatedAt: T0}
}

// DirectoryAttrs is the attribute document of NewDirectory: what the release before
// products kept their own attributes wrote for a Chime account (false settings included),
// byte for byte, so that a store that returns it as written reads today's databases.
const DirectoryAttrs = `{"accountType":"EnterpriseLWA","accountStatus":"Active","defaultLicense":"Pro",` +
	`"supportedLicenses":["Basic","Pro"],"disableRemoteControl":false,"enableDialOut":true,` +
	`"signinDelegateGroups":["admins","Zoë's group"],"invitation":{"organizationName":"Acme",` +
	`"contactEmail":"it@acme.example","privateSkillIds":["amzn1.ask.skill.0123-abcd"]}}`

// NewDirectory returns a Chime directory of TenantID with attrs set (DirectoryAttrs).
func NewDirectory(id string) *rollcall.Directory {
	return &rollcall.Directory{ID: id, TenantID: TenantID, Kind: rollcall.DirChime, Name: "directory " + id,
		CreatedAt: T0, UpdatedAt: T0.Add(time.Second), Attrs: DirectoryAttrs}
}

// NewGroup returns a tagged business group.
func NewGroup(directoryID, id, tag string) *rollcall.Group {
	return &rollcall.Group{ID: id, DirectoryID: directoryID, Tag: tag, Name: "group " + id, CreatedAt: T0}
}

// UserAttrs is the attribute document of NewUser with id: every member the products
// had when they kept their attributes in the core, as that release wrote them.
func UserAttrs(id string) string {
	return `{"licenseType":"Pro","invitationStatus":"Accepted","registrationStatus":"Registered",` +
		`"invitedOn":"2026-11-22T10:31:15.123Z","registeredOn":"2026-11-22T10:32:15.123Z","personalPin":"12345678",` +
		`"a4bEnabled":true,"a4bRoomArn":"arn:aws:a4b:us-east-1:000000000000:room/r1",` +
		`"telephony":{"inboundCalling":true,"outboundCalling":false,"sms":true},"rootFolderId":"root-` + id + `",` +
		`"recycleBinFolderId":"bin-` + id + `","timeZoneId":"Europe/London","locale":"en","storageType":"QUOTA",` +
		`"storageAllocatedInBytes":1099511627776,"storageUtilizedInBytes":12345,` +
		`"arn":"arn:aws:a4b:us-east-1:000000000000:user/` + id + `",` +
		`"tags":[{"key":"team","value":"eng"},{"key":"floor","value":"3"}],"enrollmentStatus":"PENDING",` +
		`"enrollmentInvitation":"inv-` + id + `","groupId":"g1","role":"Finance","region":"us-east-1",` +
		`"suppressNotifications":["EMAIL"]}`
}

// NewUser returns a user of TenantID with every field set, attrs (UserAttrs) and product
// keys included; its email is key + "@Example.com".
func NewUser(directoryID, id, key string) *rollcall.User {
	return &rollcall.User{
		ID: id, DirectoryID: directoryID, TenantID: TenantID, Kind: rollcall.DirChime, Key: key,
		Email: key + "@Example.com", Username: "user-" + id, GivenName: "Ada", FamilyName: "Lovelace",
		DisplayName: "Ada Lovelace", UserType: "PrivateUser", Status: "Active", PasswordHash: "$argon2id$v=19$hash",
		CreatedAt: T0, UpdatedAt: T0.Add(time.Hour), Attrs: UserAttrs(id),
		ProductKeys: rollcall.ProductKeys{StorageLimit: 1 << 40, StorageUsed: 12345, Enrollment: "PENDING"},
	}
}

// NewIdempotency returns an idempotency record.
func NewIdempotency(scope, token string) *rollcall.IdempotencyRecord {
	return &rollcall.IdempotencyRecord{Scope: scope, Token: token, RequestHash: "hash-" + token, ResultID: "result-" + token, CreatedAt: T0}
}

// TraceParent is a W3C traceparent, for messages queued by a traced request.
const TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

// NewMessage returns a queued message created at created and due then.
func NewMessage(id, tenantID string, created time.Time) *rollcall.Message {
	return &rollcall.Message{ID: id, TenantID: tenantID, DirectoryID: "dir-" + tenantID, UserID: "user-" + id,
		Kind: "invitation", To: "ada@example.com", ToName: "Ada", Subject: "You have been invited",
		TextBody: "text " + id, HTMLBody: "<p>html " + id + "</p>", Status: rollcall.MessageQueued,
		NextAttempt: created, CreatedAt: created}
}

// NewInvitation returns an unused invitation expiring in a week.
func NewInvitation(id, tokenHash, directoryID string) *rollcall.Invitation {
	return &rollcall.Invitation{ID: id, TokenHash: tokenHash, TenantID: TenantID, DirectoryID: directoryID, UserID: "user-" + id,
		ExpiresAt: T0.Add(7 * 24 * time.Hour), CreatedAt: T0}
}

// NewSession returns a console session opened at T0 for twelve hours.
func NewSession(hash string) *rollcall.Session {
	return &rollcall.Session{Hash: hash, Binding: "binding", CreatedAt: T0, LastSeenAt: T0, ExpiresAt: T0.Add(12 * time.Hour)}
}
