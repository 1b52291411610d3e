package workdocs

import (
	"math"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/attrjson"
)

// UserAttrs is what WorkDocs keeps about a user, in its attribute document
// (rollcall.User.Attrs), which the core does not read. The JSON names are those the
// databases hold since the first release.
type UserAttrs struct {
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
}

// User is a user of this product with its attributes, decoded once.
type User = attrjson.User[UserAttrs]

// UserOf decodes u's WorkDocs attributes.
func UserOf(u *rollcall.User) (*User, error) { return attrjson.UserOf[UserAttrs](u) }

// TokenEpoch is the token epoch of u (UserAttrs.TokenEpoch), for auth/token, which cmd
// gives it: auth reads no product's attributes itself.
func TokenEpoch(u *rollcall.User) (int64, error) {
	wu, err := UserOf(u)
	if err != nil {
		return 0, err
	}
	return wu.Attrs.TokenEpoch, nil
}

// put encodes u's attributes into the core's user, and the keys DescribeUsers sorts
// by: the storage limit (UNLIMITED, or no rule, above every quota) and use.
func put(u *User) *rollcall.User {
	a := &u.Attrs
	u.User.Attrs = userCodec.Encode(a)
	limit := int64(math.MaxInt64)
	if a.StorageAllocatedInBytes != nil && a.StorageType != Unlimited {
		limit = *a.StorageAllocatedInBytes
	}
	u.ProductKeys = rollcall.ProductKeys{StorageLimit: limit, StorageUsed: a.StorageUtilizedInBytes}
	return u.User
}

var userCodec = attrjson.NewCodec[UserAttrs]()

// NewUser is u with attributes a, encoded, for what writes users straight to the store
// (the seed, tools, tests).
func NewUser(u *rollcall.User, a UserAttrs) *rollcall.User {
	return put(&User{User: u, Attrs: a})
}
