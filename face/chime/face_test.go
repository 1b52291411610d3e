package chime_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"

	"github.com/rollcall/rollcall/face/chime"
)

type labelledOp struct{ op, method, path, body string }

// labelled is each operation whose path has labels, with its path ({a} the account, {u}
// the user) and a body it accepts, so that the path is all that is wrong.
var labelled = []labelledOp{
	{"GetAccount", http.MethodGet, "/accounts/{a}", ""},
	{"UpdateAccount", http.MethodPost, "/accounts/{a}", `{}`},
	{"DeleteAccount", http.MethodDelete, "/accounts/{a}", ""},
	{"AssociateSigninDelegateGroupsWithAccount", http.MethodPost, "/accounts/{a}?operation=associate-signin-delegate-groups", `{"SigninDelegateGroups":[]}`},
	{"DisassociateSigninDelegateGroupsFromAccount", http.MethodPost, "/accounts/{a}?operation=disassociate-signin-delegate-groups", `{"GroupNames":["g"]}`},
	{"GetAccountSettings", http.MethodGet, "/accounts/{a}/settings", ""},
	{"UpdateAccountSettings", http.MethodPut, "/accounts/{a}/settings", `{"AccountSettings":{}}`},
	{"CreateUser", http.MethodPost, "/accounts/{a}/users?operation=create", `{}`},
	{"ListUsers", http.MethodGet, "/accounts/{a}/users", ""},
	{"InviteUsers", http.MethodPost, "/accounts/{a}/users?operation=add", `{"UserEmailList":["grace@example.com"]}`},
	{"BatchSuspendUser", http.MethodPost, "/accounts/{a}/users?operation=suspend", `{"UserIdList":[]}`},
	{"BatchUnsuspendUser", http.MethodPost, "/accounts/{a}/users?operation=unsuspend", `{"UserIdList":[]}`},
	{"BatchUpdateUser", http.MethodPost, "/accounts/{a}/users", `{"UpdateUserRequestItems":[]}`},
	{"GetUser", http.MethodGet, "/accounts/{a}/users/{u}", ""},
	{"UpdateUser", http.MethodPost, "/accounts/{a}/users/{u}", `{}`},
	{"ResetPersonalPIN", http.MethodPost, "/accounts/{a}/users/{u}?operation=reset-personal-pin", ""},
	{"LogoutUser", http.MethodPost, "/accounts/{a}/users/{u}?operation=logout", ""},
	{"GetUserSettings", http.MethodGet, "/accounts/{a}/users/{u}/settings", ""},
	{"UpdateUserSettings", http.MethodPut, "/accounts/{a}/users/{u}/settings",
		`{"UserSettings":{"Telephony":{"InboundCalling":false,"OutboundCalling":false,"SMS":false}}}`},
}

// TestPathLabels: every operation whose path names an account or a user checks those
// labels by the same rule (the model's NonEmptyString, .*\S.*), whatever the operation:
// an empty or blank label is BadRequestException 400, never a lookup that answers 404.
func TestPathLabels(t *testing.T) {
	h := MustHarness(t)
	acct := h.MustAccount(t)
	user := aws.StringValue(h.mustUser(t, h.client(t, "test", "test"), acct, "ada@example.com").UserId)

	// Every operation the face serves is here but those whose path names nothing.
	for _, op := range chime.Operations {
		if op != "CreateAccount" && op != "ListAccounts" && op != "Unknown" &&
			!slices.ContainsFunc(labelled, func(o labelledOp) bool { return o.op == op }) {
			t.Errorf("%s is not in the table", op)
		}
	}

	failure := func(value, label string) string {
		return "Value '" + value + "' at '" + label + "' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*"
	}
	one := func(value, label string) string { return "1 validation error detected: " + failure(value, label) }
	for _, o := range labelled {
		t.Run(o.op, func(t *testing.T) {
			send := func(account, userID, want string) {
				t.Helper()
				path := strings.NewReplacer("{a}", account, "{u}", userID).Replace(o.path)
				var body []byte
				if o.body != "" {
					body = []byte(o.body)
				}
				h.do(t, o.method, path, body).wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", want)
			}
			send("", user, one("", "accountId"))
			send("%20", user, one(" ", "accountId"))
			send("%09%0A", user, one("\t\n", "accountId"))
			if strings.Contains(o.path, "{u}") {
				send(acct, "", one("", "userId"))
				send(acct, "%20", one(" ", "userId"))
				send("%20", "", "2 validation errors detected: "+failure(" ", "accountId")+"; "+failure("", "userId"))
			}
		})
	}
	if got := h.do(t, http.MethodGet, "/accounts/"+acct+"/users/"+user+"/settings", nil); got.status != http.StatusOK ||
		got.raw != `{"UserSettings":{"Telephony":{"InboundCalling":true,"OutboundCalling":true,"SMS":true}}}` {
		t.Fatalf("a refused update changed the user's settings: %d %s", got.status, got.raw)
	}
}
