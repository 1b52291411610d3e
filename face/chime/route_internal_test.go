package chime

import (
	"net/http/httptest"
	"testing"
)

// TestOperationRoutes pins how a request's method, path and operation query parameter
// pick its operation: every route of the model, and the near misses that pick none.
func TestOperationRoutes(t *testing.T) {
	f := &Face{}
	for _, c := range []struct{ method, target, want string }{
		{"POST", "/accounts", "CreateAccount"},
		{"POST", "/accounts?operation=anything", "CreateAccount"},
		{"GET", "/accounts", "ListAccounts"},
		{"GET", "/accounts?operation=create", "ListAccounts"},
		{"PUT", "/accounts", ""},
		{"DELETE", "/accounts", ""},
		{"GET", "/accounts/a", "GetAccount"},
		{"GET", "/accounts/", "GetAccount"},
		{"GET", "/accounts/a?operation=logout", "GetAccount"},
		{"POST", "/accounts/a?operation=associate-signin-delegate-groups", "AssociateSigninDelegateGroupsWithAccount"},
		{"POST", "/accounts/a?operation=disassociate-signin-delegate-groups", "DisassociateSigninDelegateGroupsFromAccount"},
		{"POST", "/accounts/a", "UpdateAccount"},
		{"POST", "/accounts/a?operation=", "UpdateAccount"},
		{"POST", "/accounts/a?operation=create", "UpdateAccount"},
		{"DELETE", "/accounts/a", "DeleteAccount"},
		{"DELETE", "/accounts/a?operation=x", "DeleteAccount"},
		{"PUT", "/accounts/a", ""},
		{"GET", "/accounts/a/settings", "GetAccountSettings"},
		{"GET", "/accounts/a/settings?operation=x", "GetAccountSettings"},
		{"PUT", "/accounts/a/settings", "UpdateAccountSettings"},
		{"POST", "/accounts/a/settings", ""},
		{"DELETE", "/accounts/a/settings", ""},
		{"GET", "/accounts/a/other", ""},
		{"POST", "/accounts/a/other", ""},
		{"GET", "/accounts/a/users", "ListUsers"},
		{"GET", "/accounts/a/users?operation=create", "ListUsers"},
		{"POST", "/accounts/a/users?operation=create", "CreateUser"},
		{"POST", "/accounts/a/users?operation=add", "InviteUsers"},
		{"POST", "/accounts/a/users?operation=suspend", "BatchSuspendUser"},
		{"POST", "/accounts/a/users?operation=unsuspend", "BatchUnsuspendUser"},
		{"POST", "/accounts/a/users", "BatchUpdateUser"},
		{"POST", "/accounts/a/users?operation=", ""},
		{"POST", "/accounts/a/users?operation=logout", ""},
		{"POST", "/accounts/a/users?operation=create&operation=add", "CreateUser"},
		{"PUT", "/accounts/a/users", ""},
		{"DELETE", "/accounts/a/users", ""},
		{"GET", "/accounts/a/users/u", "GetUser"},
		{"GET", "/accounts/a/users/u?operation=logout", "GetUser"},
		{"POST", "/accounts/a/users/u?operation=reset-personal-pin", "ResetPersonalPIN"},
		{"POST", "/accounts/a/users/u?operation=logout", "LogoutUser"},
		{"POST", "/accounts/a/users/u", "UpdateUser"},
		{"POST", "/accounts/a/users/u?operation=", ""},
		{"POST", "/accounts/a/users/u?operation=create", ""},
		{"DELETE", "/accounts/a/users/u", ""},
		{"PUT", "/accounts/a/users/u", ""},
		{"GET", "/accounts/a/settings/u", ""},
		{"GET", "/accounts/a/users/u/settings", "GetUserSettings"},
		{"GET", "/accounts/a/users/u/settings?operation=x", "GetUserSettings"},
		{"PUT", "/accounts/a/users/u/settings", "UpdateUserSettings"},
		{"POST", "/accounts/a/users/u/settings", ""},
		{"GET", "/accounts/a/users/u/other", ""},
		{"GET", "/accounts/a/other/u/settings", ""},
		{"GET", "/accounts/a/users/u/settings/x", ""},
		{"HEAD", "/accounts/a/users", ""},
	} {
		rt, ok := f.route(httptest.NewRequest(c.method, c.target, nil))
		if rt.op != c.want || ok != (c.want != "") {
			t.Errorf("%s %s: operation %q (%v), want %q", c.method, c.target, rt.op, ok, c.want)
		}
	}
}
