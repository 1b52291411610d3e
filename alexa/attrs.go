package alexa

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/attrjson"
)

// What Alexa for Business keeps about its users and its directories, in their attribute
// documents (rollcall.User.Attrs, rollcall.Directory.Attrs), which the core does not
// read. The JSON names are those the databases hold since the first release.

// UserAttrs is an Alexa for Business user's attributes. EnrollmentStatus "" is
// INITIALIZED; EnrollmentInvitation is the ID of the one invitation that may still be
// accepted (PENDING only).
type UserAttrs struct {
	Arn                  string `json:"arn,omitempty"`
	Tags                 []Tag  `json:"tags,omitempty"`
	EnrollmentStatus     string `json:"enrollmentStatus,omitempty"`
	EnrollmentInvitation string `json:"enrollmentInvitation,omitempty"`
}

var userCodec = attrjson.NewCodec[UserAttrs]()

// Tag is a key-value pair attached to a user.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// DirectoryAttrs is what an account's Alexa for Business directory keeps: the
// enrollment invitation's template (PutInvitationConfiguration).
type DirectoryAttrs struct {
	Invitation *InvitationConfig `json:"invitation,omitempty"`
}

var directoryCodec = attrjson.NewCodec[DirectoryAttrs]()

// InvitationConfig is the template of the enrollment email, per AWS account.
// PrivateSkillIDs are stored and shown in the email only: rollcall has no skills.
type InvitationConfig struct {
	OrganizationName string   `json:"organizationName"`
	ContactEmail     string   `json:"contactEmail,omitempty"`
	PrivateSkillIDs  []string `json:"privateSkillIds,omitempty"`
}

// User is a user of this product with its attributes, decoded once.
type User = attrjson.User[UserAttrs]

// UserOf decodes u's Alexa for Business attributes.
func UserOf(u *rollcall.User) (*User, error) { return attrjson.UserOf[UserAttrs](u) }

// DirectoryOf decodes d's Alexa for Business attributes.
func DirectoryOf(d *rollcall.Directory) (DirectoryAttrs, error) {
	var a DirectoryAttrs
	return a, attrjson.Decode(d.Attrs, "directory", d.ID, &a)
}

// put encodes u's attributes into the core's user, and the key enrollment filters and
// sorts read (INITIALIZED when none is recorded).
func put(u *User) *rollcall.User {
	u.User.Attrs = userCodec.Encode(&u.Attrs)
	u.ProductKeys = rollcall.ProductKeys{Enrollment: EnrollmentStatus(u)}
	return u.User
}

// putDirectory encodes a into d, to be written.
func putDirectory(d *rollcall.Directory, a DirectoryAttrs) { d.Attrs = directoryCodec.Encode(&a) }

// NewUser is u with attributes a, encoded, for what writes users straight to the store
// (tools, tests).
func NewUser(u *rollcall.User, a UserAttrs) *rollcall.User {
	return put(&User{User: u, Attrs: a})
}
