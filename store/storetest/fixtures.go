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

// NewDirectory returns a Chime directory of TenantID with attrs set (false settings
// included, which must not read back as unset).
func NewDirectory(id string) *rollcall.Directory {
	no, yes := false, true
	return &rollcall.Directory{ID: id, TenantID: TenantID, Kind: rollcall.DirChime, Name: "directory " + id,
		CreatedAt: T0, UpdatedAt: T0.Add(time.Second),
		Attrs: rollcall.DirectoryAttrs{AccountType: "EnterpriseLWA", AccountStatus: "Active", DefaultLicense: "Pro",
			SupportedLicenses: []string{"Basic", "Pro"}, DisableRemoteControl: &no, EnableDialOut: &yes,
			SigninDelegateGroups: []string{"admins", "Zoë's group"},
			Invitation: &rollcall.AlexaInvitationConfig{OrganizationName: "Acme", ContactEmail: "it@acme.example",
				PrivateSkillIDs: []string{"amzn1.ask.skill.0123-abcd"}}}}
}

// NewGroup returns a tagged business group.
func NewGroup(directoryID, id, tag string) *rollcall.Group {
	return &rollcall.Group{ID: id, DirectoryID: directoryID, Tag: tag, Name: "group " + id, CreatedAt: T0}
}

// NewUser returns a user of TenantID with every field set, attrs included; its email is
// key + "@Example.com".
func NewUser(directoryID, id, key string) *rollcall.User {
	invited, registered := T0.Add(time.Minute), T0.Add(2*time.Minute)
	allocated := int64(1) << 40
	return &rollcall.User{
		ID: id, DirectoryID: directoryID, TenantID: TenantID, Kind: rollcall.DirChime, Key: key,
		Email: key + "@Example.com", Username: "user-" + id, GivenName: "Ada", FamilyName: "Lovelace",
		DisplayName: "Ada Lovelace", UserType: "PrivateUser", Status: "Active", PasswordHash: "$argon2id$v=19$hash",
		CreatedAt: T0, UpdatedAt: T0.Add(time.Hour),
		Attrs: rollcall.UserAttrs{
			LicenseType: "Pro", InvitationStatus: "Accepted", RegistrationStatus: "Registered",
			InvitedOn: &invited, RegisteredOn: &registered, PersonalPIN: "12345678", A4BEnabled: true, A4BRoomArn: "arn:aws:a4b:us-east-1:" + TenantID + ":room/r1",
			Telephony:        &rollcall.ChimeTelephony{InboundCalling: true, OutboundCalling: false, SMS: true},
			EnrollmentStatus: "PENDING", EnrollmentInvitation: "inv-" + id,
			RootFolderID: "root-" + id, RecycleBinFolderID: "bin-" + id, TimeZoneID: "Europe/London", Locale: "en",
			StorageType: "QUOTA", StorageAllocatedInBytes: &allocated, StorageUtilizedInBytes: 12345,
			Arn:     "arn:aws:a4b:us-east-1:" + TenantID + ":user/" + id,
			Tags:    []rollcall.Tag{{Key: "team", Value: "eng"}, {Key: "floor", Value: "3"}},
			GroupID: "g1", Role: "Finance", Region: "us-east-1", SuppressNotifications: []string{"EMAIL"},
		},
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
