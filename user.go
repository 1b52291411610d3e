package rollcall

import "time"

// User is one user of one directory. The common fields are columns every backend indexes;
// what only one face knows lives in Attrs.
type User struct {
	ID          string
	DirectoryID string
	TenantID    string
	Kind        DirectoryKind
	// Key is what makes a user unique within its directory: the lower-cased email for
	// Chime and Amazon Business, the lower-cased username for WorkDocs, the UserId for
	// Alexa for Business.
	Key          string
	Email        string
	Username     string
	GivenName    string
	FamilyName   string
	DisplayName  string
	UserType     string // Chime: PrivateUser | SharedDevice; WorkDocs: USER | ADMIN | ...
	Status       string // Chime: Active | Suspended; WorkDocs: ACTIVE | INACTIVE | PENDING; Business: INVITED | ACTIVE
	PasswordHash string // argon2id for human passwords, sha256 for generated ones; never returned
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Attrs        UserAttrs
}

// UserAttrs holds what only one face knows about a user.
type UserAttrs struct {
	// Chime.
	LicenseType        string     `json:"licenseType,omitempty"`
	InvitationStatus   string     `json:"invitationStatus,omitempty"`   // Pending | Accepted | Failed
	RegistrationStatus string     `json:"registrationStatus,omitempty"` // Unregistered | Registered | Suspended
	InvitedOn          *time.Time `json:"invitedOn,omitempty"`
	RegisteredOn       *time.Time `json:"registeredOn,omitempty"`
	PersonalPIN        string     `json:"personalPin,omitempty"` // shown to the user's account admin, as Chime does
	A4BEnabled         bool       `json:"a4bEnabled,omitempty"`
	A4BRoomArn         string     `json:"a4bRoomArn,omitempty"`
	// Telephony is the user's settings; nil means the defaults (all allowed).
	Telephony *ChimeTelephony `json:"telephony,omitempty"`

	// WorkDocs.
	RootFolderID            string `json:"rootFolderId,omitempty"`
	RecycleBinFolderID      string `json:"recycleBinFolderId,omitempty"`
	TimeZoneID              string `json:"timeZoneId,omitempty"`
	Locale                  string `json:"locale,omitempty"`
	StorageType             string `json:"storageType,omitempty"` // UNLIMITED | QUOTA
	StorageAllocatedInBytes *int64 `json:"storageAllocatedInBytes,omitempty"`
	StorageUtilizedInBytes  int64  `json:"storageUtilizedInBytes,omitempty"`
	// TokenEpoch counts the user's deactivations; an Authentication token carries the
	// epoch it was issued in and works only while the user is still in it.
	TokenEpoch int64 `json:"tokenEpoch,omitempty"`

	// Alexa for Business. EnrollmentStatus "" is INITIALIZED; EnrollmentInvitation is
	// the ID of the one invitation that may still be accepted (PENDING only).
	Arn                  string `json:"arn,omitempty"`
	Tags                 []Tag  `json:"tags,omitempty"`
	EnrollmentStatus     string `json:"enrollmentStatus,omitempty"`
	EnrollmentInvitation string `json:"enrollmentInvitation,omitempty"`

	// Amazon Business.
	GroupID               string   `json:"groupId,omitempty"`
	Role                  string   `json:"role,omitempty"`
	Region                string   `json:"region,omitempty"`
	SuppressNotifications []string `json:"suppressNotifications,omitempty"`
}

// Tag is a key-value pair attached to a resource.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ChimeTelephony is a user's TelephonySettings. The service documents no defaults, so a
// user that was never updated has all three allowed.
type ChimeTelephony struct {
	InboundCalling  bool `json:"inboundCalling"`
	OutboundCalling bool `json:"outboundCalling"`
	SMS             bool `json:"sms"`
}
