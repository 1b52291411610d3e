package chime

import (
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/attrjson"
)

// What Chime keeps about its users and accounts, in their attribute documents
// (rollcall.User.Attrs, rollcall.Directory.Attrs), which the core does not read. The
// JSON names are those the databases hold since the first release.

// UserAttrs is a Chime user's attributes.
type UserAttrs struct {
	LicenseType        string     `json:"licenseType,omitempty"`
	InvitationStatus   string     `json:"invitationStatus,omitempty"`   // Pending | Accepted | Failed
	RegistrationStatus string     `json:"registrationStatus,omitempty"` // Unregistered | Registered | Suspended
	InvitedOn          *time.Time `json:"invitedOn,omitempty"`
	RegisteredOn       *time.Time `json:"registeredOn,omitempty"`
	PersonalPIN        string     `json:"personalPin,omitempty"` // shown to the user's account admin, as Chime does
	A4BEnabled         bool       `json:"a4bEnabled,omitempty"`
	A4BRoomArn         string     `json:"a4bRoomArn,omitempty"`
	// Telephony is the user's settings; nil means the defaults (all allowed).
	Telephony *Telephony `json:"telephony,omitempty"`
}

var userCodec = attrjson.NewCodec[UserAttrs]()

// Telephony is a user's TelephonySettings. The service documents no defaults, so a
// user that was never updated has all three allowed.
type Telephony struct {
	InboundCalling  bool `json:"inboundCalling"`
	OutboundCalling bool `json:"outboundCalling"`
	SMS             bool `json:"sms"`
}

// AccountAttrs is a Chime account's settings.
type AccountAttrs struct {
	AccountType       string   `json:"accountType,omitempty"`    // Team | EnterpriseDirectory | EnterpriseLWA | EnterpriseOIDC
	AccountStatus     string   `json:"accountStatus,omitempty"`  // Active | Suspended
	DefaultLicense    string   `json:"defaultLicense,omitempty"` // Basic | Plus | Pro | ProTrial
	SupportedLicenses []string `json:"supportedLicenses,omitempty"`
	// Account settings; nil means the default (remote control allowed, dial-out enabled).
	DisableRemoteControl *bool    `json:"disableRemoteControl,omitempty"`
	EnableDialOut        *bool    `json:"enableDialOut,omitempty"`
	SigninDelegateGroups []string `json:"signinDelegateGroups,omitempty"`
}

var accountCodec = attrjson.NewCodec[AccountAttrs]()

// User is a user of this product with its attributes, decoded once.
type User = attrjson.User[UserAttrs]

// Account is a Chime account with its settings, decoded once.
type Account struct {
	*rollcall.Directory
	Attrs AccountAttrs
}

// UserOf decodes u's Chime attributes.
func UserOf(u *rollcall.User) (*User, error) { return attrjson.UserOf[UserAttrs](u) }

// AccountOf decodes d's Chime settings.
func AccountOf(d *rollcall.Directory) (*Account, error) {
	a := &Account{Directory: d}
	return a, attrjson.Decode(d.Attrs, "Chime account", d.ID, &a.Attrs)
}

// usersOf decodes each of users.
func usersOf(users []*rollcall.User) ([]*User, error) {
	out := make([]*User, len(users))
	for i, u := range users {
		var err error
		if out[i], err = UserOf(u); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// put encodes u's attributes into the core's user, to be written. Chime sorts by none
// of them: its product keys are zero.
func put(u *User) *rollcall.User {
	u.User.Attrs, u.ProductKeys = userCodec.Encode(&u.Attrs), rollcall.ProductKeys{}
	return u.User
}

// put encodes a's settings into the core's directory, to be written.
func (a *Account) put() *rollcall.Directory {
	a.Directory.Attrs = accountCodec.Encode(&a.Attrs)
	return a.Directory
}

// NewAccount is d with settings a, encoded, for the seed (operator) to write.
func NewAccount(d *rollcall.Directory, a AccountAttrs) *rollcall.Directory {
	return (&Account{Directory: d, Attrs: a}).put()
}

// NewUser is u with attributes a, encoded, for what writes users straight to the store
// (tools, tests).
func NewUser(u *rollcall.User, a UserAttrs) *rollcall.User {
	return put(&User{User: u, Attrs: a})
}
