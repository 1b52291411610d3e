package chime

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/internal/attrjson"
)

// TestUserResponseBytes: the one-user body (userResponse) is byte for byte what the face
// answered before it had a type, a map with the member "User", for users with every
// optional member empty and with every one set (HTML-escaped characters included).
func TestUserResponseBytes(t *testing.T) {
	now := time.Date(2026, 11, 30, 20, 0, 0, 123e6, time.UTC)
	empty := attrjson.NewUser[chime.UserAttrs](rollcall.User{ID: "u-1", DirectoryID: "a-1", UserType: chime.PrivateUser})
	full := attrjson.NewUser[chime.UserAttrs](rollcall.User{ID: "u-2", DirectoryID: "a-1", Email: "ada<&>@example.com",
		DisplayName: "Ada \u2028 Lovelace", UserType: chime.SharedDevice})
	full.Attrs = chime.UserAttrs{LicenseType: "Pro", InvitationStatus: "Pending", RegistrationStatus: "Registered",
		InvitedOn: &now, RegisteredOn: &now, PersonalPIN: "1234", A4BEnabled: true, A4BRoomArn: "arn:aws:a4b:us-east-1:1:room/x"}
	for _, u := range []*chime.User{empty, full} {
		want, err := json.Marshal(map[string]any{"User": userOf(u)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(userResponse{User: userOf(u)})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("user %s:\n got %s\nwant %s", u.ID, got, want)
		}
	}
	// A new user, as CreateUser answers it: the optional members point into the user.
	created := attrjson.NewUser[chime.UserAttrs](rollcall.User{ID: "u-3", DirectoryID: "a-1", Email: "ada@example.com", UserType: chime.PrivateUser})
	created.Attrs = chime.UserAttrs{LicenseType: "Pro", RegistrationStatus: chime.Unregistered}
	if n := testing.AllocsPerRun(10, func() { userOf(created) }); n != 0 {
		t.Errorf("userOf allocates %v times for a new user, want 0", n)
	}
}
