package chime

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/awsx"
)

// TestOperationRoutes pins how a request's method, path and operation query parameter
// pick its operation: each target is sent with every method, and "" is no operation.
func TestOperationRoutes(t *testing.T) {
	f := &Face{}
	methods := []string{"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"}
	for _, c := range []struct {
		target string
		want   [4]string // for GET, POST, PUT and DELETE; HEAD and PATCH route nowhere
	}{
		{"/accounts", [4]string{"ListAccounts", "CreateAccount", "", ""}},
		{"/accounts?operation=anything", [4]string{"ListAccounts", "CreateAccount", "", ""}},
		{"/accounts/a", [4]string{"GetAccount", "UpdateAccount", "", "DeleteAccount"}},
		{"/accounts/", [4]string{"GetAccount", "UpdateAccount", "", "DeleteAccount"}},
		{"/accounts/a?operation=", [4]string{"GetAccount", "UpdateAccount", "", "DeleteAccount"}},
		{"/accounts/a?operation=create", [4]string{"GetAccount", "UpdateAccount", "", "DeleteAccount"}},
		{"/accounts/a?operation=associate-signin-delegate-groups",
			[4]string{"GetAccount", "AssociateSigninDelegateGroupsWithAccount", "", "DeleteAccount"}},
		{"/accounts/a?operation=disassociate-signin-delegate-groups",
			[4]string{"GetAccount", "DisassociateSigninDelegateGroupsFromAccount", "", "DeleteAccount"}},
		{"/accounts/a/settings", [4]string{"GetAccountSettings", "", "UpdateAccountSettings", ""}},
		{"/accounts/a/settings?operation=x", [4]string{"GetAccountSettings", "", "UpdateAccountSettings", ""}},
		{"/accounts/a/other", [4]string{}},
		{"/accounts/a/users", [4]string{"ListUsers", "BatchUpdateUser", "", ""}},
		{"/accounts/a/users?operation=create", [4]string{"ListUsers", "CreateUser", "", ""}},
		{"/accounts/a/users?operation=add", [4]string{"ListUsers", "InviteUsers", "", ""}},
		{"/accounts/a/users?operation=suspend", [4]string{"ListUsers", "BatchSuspendUser", "", ""}},
		{"/accounts/a/users?operation=unsuspend", [4]string{"ListUsers", "BatchUnsuspendUser", "", ""}},
		{"/accounts/a/users?operation=", [4]string{"ListUsers", "", "", ""}},
		{"/accounts/a/users?operation=logout", [4]string{"ListUsers", "", "", ""}},
		{"/accounts/a/users?operation=create&operation=add", [4]string{"ListUsers", "CreateUser", "", ""}},
		{"/accounts/a/users/u", [4]string{"GetUser", "UpdateUser", "", ""}},
		{"/accounts/a/users/u?operation=reset-personal-pin", [4]string{"GetUser", "ResetPersonalPIN", "", ""}},
		{"/accounts/a/users/u?operation=logout", [4]string{"GetUser", "LogoutUser", "", ""}},
		{"/accounts/a/users/u?operation=", [4]string{"GetUser", "", "", ""}},
		{"/accounts/a/users/u?operation=create", [4]string{"GetUser", "", "", ""}},
		{"/accounts/a/settings/u", [4]string{}},
		{"/accounts/a/users/u/settings", [4]string{"GetUserSettings", "", "UpdateUserSettings", ""}},
		{"/accounts/a/users/u/settings?operation=x", [4]string{"GetUserSettings", "", "UpdateUserSettings", ""}},
		{"/accounts/a/users/u/other", [4]string{}},
		{"/accounts/a/other/u/settings", [4]string{}},
		{"/accounts/a/users/u/settings/x", [4]string{}},
	} {
		for i, method := range methods {
			var want string
			if i < len(c.want) {
				want = c.want[i]
			}
			rt, ok := f.route(httptest.NewRequest(method, c.target, nil))
			if rt.op != want || ok != (want != "") {
				t.Errorf("%s %s: operation %q (%v), want %q", method, c.target, rt.op, ok, want)
			}
		}
	}
}

// TestRouteTableNames: every operation the table routes has its row in the IAM table
// (Operations), and each is routed once.
func TestRouteTableNames(t *testing.T) {
	seen := map[string]bool{}
	for _, o := range routeTable {
		if !slices.Contains(Operations, o.name) || seen[o.name] {
			t.Errorf("%s: in Operations %v, routed before %v", o.name, slices.Contains(Operations, o.name), seen[o.name])
		}
		seen[o.name] = true
	}
	if len(seen) != len(Operations)-1 { // all but Unknown
		t.Errorf("%d operations routed, %d named", len(seen), len(Operations)-1)
	}
}

// TestUserResponseBytes: the one-user body (userResponse) is byte for byte what the face
// answered before it had a type, a map with the member "User", for users with every
// optional member empty and with every one set (HTML-escaped characters included),
// and so is what its AppendJSON, which the pipeline writes, writes.
func TestUserResponseBytes(t *testing.T) {
	now := time.Date(2026, 11, 30, 20, 0, 0, 123e6, time.UTC)
	empty := newUser(rollcall.User{ID: "u-1", DirectoryID: "a-1", UserType: chime.PrivateUser})
	full := newUser(rollcall.User{ID: "u-2", DirectoryID: "a-1", Email: "ada<&>@example.com",
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
		// What the pipeline writes: the body's own encoder.
		if got := (userResponse{User: userOf(u)}).AppendJSON(nil); string(got) != string(want) {
			t.Errorf("user %s, AppendJSON:\n got %s\nwant %s", u.ID, got, want)
		}
	}
	withLists := userOf(full)
	withLists.Delegates, withLists.Devices, withLists.EmailAlias = []string{"d<1>", "d2"}, []string{}, []string{"a\xff"}
	want, err := json.Marshal(userResponse{User: withLists})
	if got := (userResponse{User: withLists}).AppendJSON(nil); err != nil || string(got) != string(want) {
		t.Errorf("lists, AppendJSON:\n got %s\nwant %s (%v)", got, want, err)
	}
	// A new user, as CreateUser answers it: the optional members point into the user.
	created := newUser(rollcall.User{ID: "u-3", DirectoryID: "a-1", Email: "ada@example.com", UserType: chime.PrivateUser})
	created.Attrs = chime.UserAttrs{LicenseType: "Pro", RegistrationStatus: chime.Unregistered}
	if n := testing.AllocsPerRun(10, func() { userOf(created) }); n != 0 {
		t.Errorf("userOf allocates %v times for a new user, want 0", n)
	}
	buf := make([]byte, 0, 1024)
	if n := testing.AllocsPerRun(10, func() { userResponse{User: userOf(created)}.AppendJSON(buf) }); n != 0 {
		t.Errorf("AppendJSON allocates %v times for a new user, want 0", n)
	}
	// The body the handlers answer: the same bytes, and held in a Response without a copy.
	for _, u := range []*chime.User{empty, full, created} {
		want, _ := json.Marshal(userResponse{User: userOf(u)})
		got, err := json.Marshal(userBody{u})
		if string(userBody{u}.AppendJSON(nil)) != string(want) || err != nil || string(got) != string(want) {
			t.Errorf("userBody of %s: %s, %s (%v), want %s", u.ID, userBody{u}.AppendJSON(nil), got, err, want)
		}
	}
	var resp awsx.Response
	if n := testing.AllocsPerRun(10, func() { resp = awsx.Created(userBody{created}) }); n != 0 || resp.Value == nil {
		t.Errorf("a one-user Response allocates %v times, want 0", n)
	}
}

func newUser(u rollcall.User) *chime.User { return &chime.User{User: &u} }
