package business

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/attrjson"
)

// What Amazon Business keeps about its account holders and businesses, in their
// attribute documents (rollcall.User.Attrs, rollcall.Directory.Attrs), which the core
// does not read. The JSON names are those the databases hold since the first release.

// UserAttrs is an account holder's attributes.
type UserAttrs struct {
	GroupID               string   `json:"groupId,omitempty"`
	Role                  string   `json:"role,omitempty"`
	Region                string   `json:"region,omitempty"`
	SuppressNotifications []string `json:"suppressNotifications,omitempty"`
}

var userCodec = attrjson.NewCodec[UserAttrs]()

// DirectoryAttrs is a business's settings.
type DirectoryAttrs struct {
	DefaultGroupID string `json:"defaultGroupId,omitempty"`
	DefaultRole    string `json:"defaultRole,omitempty"`
	ClientID       string `json:"clientId,omitempty"`
	// ClientSecretHash is the SHA-256 of the login client's secret.
	ClientSecretHash string `json:"clientSecretHash,omitempty"`
}

var directoryCodec = attrjson.NewCodec[DirectoryAttrs]()

// User is a user of this product with its attributes, decoded once.
type User = attrjson.User[UserAttrs]

// UserOf decodes u's Amazon Business attributes.
func UserOf(u *rollcall.User) (*User, error) { return attrjson.UserOf[UserAttrs](u) }

// DirectoryOf decodes d's Amazon Business settings. Every create reads them, from the
// same few documents: a document decoded once is kept, by its text (so a business whose
// settings change is decoded afresh), and its settings are copied out of the cache.
func DirectoryOf(d *rollcall.Directory) (DirectoryAttrs, error) {
	return decoded.Get(d.Attrs, func() (a DirectoryAttrs, err error) {
		return a, attrjson.Decode(d.Attrs, "business", d.ID, &a)
	})
}

// decoded keeps the settings of the directory documents DirectoryOf has decoded.
// DirectoryAttrs holds strings only, so a copy shares nothing a caller could change.
var decoded = attrjson.DocCache[DirectoryAttrs]{Max: 1024}

// SetDirectory encodes a into d, to be written (the seed's businesses, operator).
func SetDirectory(d *rollcall.Directory, a DirectoryAttrs) { d.Attrs = directoryCodec.Encode(&a) }

// ClientSecretHash is the SHA-256 of d's login client secret, "" when it has none, for
// auth/token, which cmd gives it: auth reads no product's attributes itself.
func ClientSecretHash(d *rollcall.Directory) (string, error) {
	a, err := DirectoryOf(d)
	return a.ClientSecretHash, err
}

// put encodes u's attributes into the core's user. Amazon Business sorts by none of
// them: its product keys are zero.
func put(u *User) *rollcall.User {
	u.User.Attrs, u.ProductKeys = userCodec.Encode(&u.Attrs), rollcall.ProductKeys{}
	return u.User
}

// NewUser is u with attributes a, encoded, for what writes users straight to the store
// (tools, tests).
func NewUser(u *rollcall.User, a UserAttrs) *rollcall.User {
	return put(&User{User: u, Attrs: a})
}
