package chime_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	chimev1 "github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall/face/facetest"
)

func (h *harness) mustUserSettings(tb testing.TB, c *chimev1.Chime, account string, id *string) *chimev1.TelephonySettings {
	tb.Helper()
	out, err := c.GetUserSettings(&chimev1.GetUserSettingsInput{AccountId: aws.String(account), UserId: id})
	if err != nil {
		tb.Fatal(err)
	}
	return out.UserSettings.Telephony
}

func (h *harness) mustAccountSettings(tb testing.TB, c *chimev1.Chime, account string) *chimev1.AccountSettings {
	tb.Helper()
	out, err := c.GetAccountSettings(&chimev1.GetAccountSettingsInput{AccountId: aws.String(account)})
	if err != nil {
		tb.Fatal(err)
	}
	return out.AccountSettings
}

func telephony(in, out, sms bool) *chimev1.TelephonySettings {
	return &chimev1.TelephonySettings{InboundCalling: aws.Bool(in), OutboundCalling: aws.Bool(out), SMS: aws.Bool(sms)}
}

func TestUserSettingsSDK(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	account := h.MustAccount(t)
	id := h.mustUser(t, c, account, "ada@example.com").UserId

	// The service documents no defaults: rollcall allows all three until an update.
	if got := h.mustUserSettings(t, c, account, id); got.String() != telephony(true, true, true).String() {
		t.Fatalf("defaults: %v", got)
	}
	for _, want := range []*chimev1.TelephonySettings{telephony(false, true, false), telephony(true, false, true), telephony(false, false, false)} {
		if _, err := c.UpdateUserSettings(&chimev1.UpdateUserSettingsInput{AccountId: aws.String(account), UserId: id,
			UserSettings: &chimev1.UserSettings{Telephony: want}}); err != nil {
			t.Fatal(err)
		}
		if got := h.mustUserSettings(t, c, account, id); got.String() != want.String() {
			t.Fatalf("after update: %v, want %v", got, want)
		}
	}

	body := []byte(`{"UserSettings":{"Telephony":{"InboundCalling":true,"OutboundCalling":true,"SMS":false}}}`)
	if r := h.do(t, http.MethodPut, "/accounts/"+account+"/users/"+*id+"/settings", body); r.status != http.StatusNoContent || r.raw != "" {
		t.Fatalf("UpdateUserSettings answered %d %q, want 204 and no body", r.status, r.raw)
	}
	r := h.do(t, http.MethodGet, "/accounts/"+account+"/users/"+*id+"/settings", nil)
	if want := `{"UserSettings":{"Telephony":{"InboundCalling":true,"OutboundCalling":true,"SMS":false}}}`; r.status != http.StatusOK || r.raw != want+"\n" && r.raw != want {
		t.Fatalf("GetUserSettings answered %d %s", r.status, r.raw)
	}

	// Unknown users and accounts are NotFound, for both operations.
	for name, call := range map[string]func(acc, user string) error{
		"Get": func(acc, user string) error {
			_, err := c.GetUserSettings(&chimev1.GetUserSettingsInput{AccountId: aws.String(acc), UserId: aws.String(user)})
			return err
		},
		"Update": func(acc, user string) error {
			_, err := c.UpdateUserSettings(&chimev1.UpdateUserSettingsInput{AccountId: aws.String(acc), UserId: aws.String(user),
				UserSettings: &chimev1.UserSettings{Telephony: telephony(true, true, true)}})
			return err
		},
	} {
		if err := call(account, "no-such-user"); code(err) != chimev1.ErrCodeNotFoundException || status(err) != http.StatusNotFound {
			t.Errorf("%s, unknown user: %v", name, err)
		}
		if err := call("no-such-account", *id); code(err) != chimev1.ErrCodeNotFoundException {
			t.Errorf("%s, unknown account: %v", name, err)
		}
	}
	if got := h.mustUserSettings(t, c, account, id); got.String() != telephony(true, true, false).String() {
		t.Fatalf("refused updates changed the settings: %v", got)
	}
}

// TestUpdateUserSettingsConstraints: every member of UserSettings is required; a
// refused update changes nothing.
func TestUpdateUserSettingsConstraints(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	account := h.MustAccount(t)
	id := *h.mustUser(t, c, account, "ada@example.com").UserId
	path := "/accounts/" + account + "/users/" + id + "/settings"
	null := func(member string) string { return facetest.Detected(facetest.Null(member)) }
	for _, tc := range []struct{ name, body, message string }{
		{"no body", ``, null("userSettings")},
		{"null settings", `{"UserSettings":null}`, null("userSettings")},
		{"no telephony", `{"UserSettings":{}}`, null("userSettings.telephony")},
		{"no InboundCalling", `{"UserSettings":{"Telephony":{"OutboundCalling":false,"SMS":false}}}`, null("userSettings.telephony.inboundCalling")},
		{"no OutboundCalling", `{"UserSettings":{"Telephony":{"InboundCalling":false,"SMS":false}}}`, null("userSettings.telephony.outboundCalling")},
		{"null SMS", `{"UserSettings":{"Telephony":{"InboundCalling":false,"OutboundCalling":false,"SMS":null}}}`, null("userSettings.telephony.sMS")},
		{"all three missing", `{"UserSettings":{"Telephony":{}}}`, "3 validation errors detected: Value null at 'userSettings.telephony.inboundCalling' failed to satisfy constraint: Member must not be null; " +
			"Value null at 'userSettings.telephony.outboundCalling' failed to satisfy constraint: Member must not be null; Value null at 'userSettings.telephony.sMS' failed to satisfy constraint: Member must not be null"},
		{"a string for a boolean", `{"UserSettings":{"Telephony":{"InboundCalling":"false","OutboundCalling":false,"SMS":false}}}`, ""},
		{"member names match exactly", `{"userSettings":{"telephony":{"inboundCalling":false,"outboundCalling":false,"sms":false}}}`, null("userSettings")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.do(t, http.MethodPut, path, []byte(tc.body)).wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", tc.message)
		})
	}
	if got := h.mustUserSettings(t, c, account, &id); got.String() != telephony(true, true, true).String() {
		t.Fatalf("refused updates changed the settings: %v", got)
	}
}

func TestAccountSettingsSDK(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	account := h.MustAccount(t)

	// The Policies page's defaults: remote control allowed, dial-out on.
	if got := h.mustAccountSettings(t, c, account); aws.BoolValue(got.DisableRemoteControl) || !aws.BoolValue(got.EnableDialOut) || got.DisableRemoteControl == nil {
		t.Fatalf("defaults: %v", got)
	}
	// A member left out keeps its value.
	steps := []struct {
		in            chimev1.AccountSettings
		disable, dial bool
	}{
		{chimev1.AccountSettings{DisableRemoteControl: aws.Bool(true)}, true, true},
		{chimev1.AccountSettings{EnableDialOut: aws.Bool(false)}, true, false},
		{chimev1.AccountSettings{}, true, false},
		{chimev1.AccountSettings{DisableRemoteControl: aws.Bool(false), EnableDialOut: aws.Bool(true)}, false, true},
	}
	for _, s := range steps {
		in := s.in
		if _, err := c.UpdateAccountSettings(&chimev1.UpdateAccountSettingsInput{AccountId: aws.String(account), AccountSettings: &in}); err != nil {
			t.Fatal(err)
		}
		if got := h.mustAccountSettings(t, c, account); aws.BoolValue(got.DisableRemoteControl) != s.disable || aws.BoolValue(got.EnableDialOut) != s.dial {
			t.Fatalf("after %v: %v", s.in, got)
		}
	}
	if r := h.do(t, http.MethodPut, "/accounts/"+account+"/settings", []byte(`{"AccountSettings":{"EnableDialOut":false}}`)); r.status != http.StatusNoContent || r.raw != "" {
		t.Fatalf("UpdateAccountSettings answered %d %q, want 204 and no body", r.status, r.raw)
	}

	// A suspended account's settings can be read, not changed (the model's ConflictException).
	if got := h.mustAccountSettings(t, c, suspendedAccount); aws.BoolValue(got.DisableRemoteControl) || !aws.BoolValue(got.EnableDialOut) {
		t.Fatalf("suspended account: %v", got)
	}
	_, err := c.UpdateAccountSettings(&chimev1.UpdateAccountSettingsInput{AccountId: aws.String(suspendedAccount),
		AccountSettings: &chimev1.AccountSettings{EnableDialOut: aws.Bool(false)}})
	if code(err) != chimev1.ErrCodeConflictException || status(err) != http.StatusConflict {
		t.Fatalf("suspended account update: %v", err)
	}
	h.do(t, http.MethodPut, "/accounts/"+suspendedAccount+"/settings", []byte(`{"AccountSettings":{}}`)).wantError(t, http.StatusConflict, "ConflictException", "Conflict",
		"The account "+suspendedAccount+" is suspended; its settings cannot be changed.")
	if got := h.mustAccountSettings(t, c, suspendedAccount); !aws.BoolValue(got.EnableDialOut) {
		t.Fatalf("a refused update changed the suspended account: %v", got)
	}

	// Unknown accounts are NotFound; AccountId must satisfy .*\S.*; AccountSettings is required.
	if _, err := c.GetAccountSettings(&chimev1.GetAccountSettingsInput{AccountId: aws.String("no-such-account")}); code(err) != chimev1.ErrCodeNotFoundException {
		t.Fatalf("unknown account: %v", err)
	}
	if _, err := c.UpdateAccountSettings(&chimev1.UpdateAccountSettingsInput{AccountId: aws.String("no-such-account"), AccountSettings: &chimev1.AccountSettings{}}); code(err) != chimev1.ErrCodeNotFoundException {
		t.Fatalf("unknown account: %v", err)
	}
	blank := "1 validation error detected: Value ' ' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*"
	h.do(t, http.MethodGet, "/accounts/%20/settings", nil).wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", blank)
	h.do(t, http.MethodPut, "/accounts/%20/settings", []byte(`{"AccountSettings":{}}`)).wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", blank)
	h.do(t, http.MethodPut, "/accounts/"+account+"/settings", []byte(`{}`)).wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest",
		"1 validation error detected: Value null at 'accountSettings' failed to satisfy constraint: Member must not be null")
	h.do(t, http.MethodPut, "/accounts/"+account+"/settings", []byte(`{"AccountSettings":{"EnableDialOut":"no"}}`)).wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", "")
	if got := h.mustAccountSettings(t, c, account); aws.BoolValue(got.DisableRemoteControl) || aws.BoolValue(got.EnableDialOut) {
		t.Fatalf("refused updates changed the account: %v", got)
	}
}

func TestSigninDelegateGroupsSDK(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	associate := func(account string, names ...string) error {
		var groups []*chimev1.SigninDelegateGroup
		for _, n := range names {
			groups = append(groups, &chimev1.SigninDelegateGroup{GroupName: aws.String(n)})
		}
		_, err := c.AssociateSigninDelegateGroupsWithAccount(&chimev1.AssociateSigninDelegateGroupsWithAccountInput{AccountId: aws.String(account), SigninDelegateGroups: groups})
		return err
	}
	disassociate := func(account string, names ...string) error {
		_, err := c.DisassociateSigninDelegateGroupsFromAccount(&chimev1.DisassociateSigninDelegateGroupsFromAccountInput{AccountId: aws.String(account), GroupNames: aws.StringSlice(names)})
		return err
	}
	want := func(names ...string) {
		t.Helper()
		if got := facetest.MustSigninDelegateGroups(t, c, lwaAccount); !slices.Equal(got, names) {
			t.Fatalf("groups %q, want %q", got, names)
		}
	}

	want()
	if err := associate(lwaAccount, "Chime admins", "Chime users"); err != nil {
		t.Fatal(err)
	}
	want("Chime admins", "Chime users")
	if err := associate(lwaAccount, "Chime users", "Zoë's group"); err != nil { // one it has already is kept once
		t.Fatal(err)
	}
	want("Chime admins", "Chime users", "Zoë's group")
	if r := h.do(t, http.MethodPost, "/accounts/"+lwaAccount+"?operation=associate-signin-delegate-groups", []byte(`{"SigninDelegateGroups":[]}`)); r.status != http.StatusOK {
		t.Fatalf("an empty list (the model sets no minimum): %d %s", r.status, r.raw)
	}
	if err := disassociate(lwaAccount, "Chime admins", "never associated"); err != nil {
		t.Fatal(err)
	}
	want("Chime users", "Zoë's group")
	if r := h.do(t, http.MethodPost, "/accounts/"+lwaAccount+"?operation=disassociate-signin-delegate-groups", []byte(`{"GroupNames":["Chime users"]}`)); r.status != http.StatusOK || r.raw != "{}\n" && r.raw != "{}" {
		t.Fatalf("Disassociate answered %d %q", r.status, r.raw)
	}
	if r := h.do(t, http.MethodPost, "/accounts/"+lwaAccount+"?operation=associate-signin-delegate-groups", []byte(`{"SigninDelegateGroups":[{"GroupName":"ops"}]}`)); r.status != http.StatusOK || r.raw != "{}\n" && r.raw != "{}" {
		t.Fatalf("Associate answered %d %q", r.status, r.raw)
	}
	want("Zoë's group", "ops")

	// A Team account (what CreateAccount makes) is refused as the service refuses
	// Enterprise-only operations on one (aws/aws-sdk-ruby#2201).
	team := h.MustAccount(t)
	teamMsg := "Chime Account provided is not an Enterprise Chime Account[AWS Account ID: 000000000000][Chime Account ID: " + team + "]"
	for name, err := range map[string]error{"Associate": associate(team, "admins"), "Disassociate": disassociate(team, "admins")} {
		if code(err) != chimev1.ErrCodeForbiddenException || status(err) != http.StatusForbidden {
			t.Errorf("%s on a Team account: %v", name, err)
		}
	}
	h.do(t, http.MethodPost, "/accounts/"+team+"?operation=associate-signin-delegate-groups", []byte(`{"SigninDelegateGroups":[{"GroupName":"a"}]}`)).
		wantError(t, http.StatusForbidden, "ForbiddenException", "Forbidden", teamMsg)
	if got := facetest.MustSigninDelegateGroups(t, c, team); len(got) != 0 {
		t.Fatalf("the Team account has groups %q", got)
	}
	for name, err := range map[string]error{"Associate": associate("no-such-account", "a"), "Disassociate": disassociate("no-such-account", "a")} {
		if code(err) != chimev1.ErrCodeNotFoundException {
			t.Errorf("%s on an unknown account: %v", name, err)
		}
	}

	// Constraints the SDK leaves to the server, through raw requests.
	assoc, disassoc := "/accounts/"+lwaAccount+"?operation=associate-signin-delegate-groups", "/accounts/"+lwaAccount+"?operation=disassociate-signin-delegate-groups"
	null := func(member string) string { return facetest.Detected(facetest.Null(member)) }
	for _, tc := range []struct{ name, path, body, message string }{
		{"associate: no groups", assoc, `{}`, null("signinDelegateGroups")},
		{"associate: a group without a name", assoc, `{"SigninDelegateGroups":[{"GroupName":"x"},{}]}`, null("signinDelegateGroups.2.groupName")},
		{"associate: a null group", assoc, `{"SigninDelegateGroups":[null]}`, null("signinDelegateGroups.1")},
		{"associate: a blank name", assoc, `{"SigninDelegateGroups":[{"GroupName":" "}]}`,
			"1 validation error detected: Value ' ' at 'signinDelegateGroups.1.groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*"},
		{"associate: blank account", "/accounts/%20?operation=associate-signin-delegate-groups", `{"SigninDelegateGroups":[]}`,
			"1 validation error detected: Value ' ' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*"},
		{"associate: not a list", assoc, `{"SigninDelegateGroups":{"GroupName":"x"}}`, ""},
		{"disassociate: no names", disassoc, `{}`, null("groupNames")},
		{"disassociate: empty list", disassoc, `{"GroupNames":[]}`,
			"1 validation error detected: Value '[]' at 'groupNames' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"disassociate: a null name", disassoc, `{"GroupNames":["ops",null]}`, null("groupNames.2")},
		{"disassociate: blank account", "/accounts/%20?operation=disassociate-signin-delegate-groups", `{"GroupNames":["ops"]}`,
			"1 validation error detected: Value ' ' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.do(t, http.MethodPost, tc.path, []byte(tc.body)).wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", tc.message)
		})
	}
	want("Zoë's group", "ops")
}

// TestSettingsIsolation: another AWS account can neither read nor change this one's
// settings or delegate groups: every operation is NotFound and nothing changes.
func TestSettingsIsolation(t *testing.T) {
	h := MustHarness(t)
	mine := h.client(t, "test", "test")
	other := h.client(t, otherKey, otherSecret)
	account := h.MustAccount(t)
	id := h.mustUser(t, mine, account, "ada@example.com").UserId
	if _, err := mine.AssociateSigninDelegateGroupsWithAccount(&chimev1.AssociateSigninDelegateGroupsWithAccountInput{AccountId: aws.String(lwaAccount),
		SigninDelegateGroups: []*chimev1.SigninDelegateGroup{{GroupName: aws.String("admins")}}}); err != nil {
		t.Fatal(err)
	}
	acc, lwa := aws.String(account), aws.String(lwaAccount)
	for name, call := range map[string]func() error{
		"GetUserSettings": func() error {
			_, err := other.GetUserSettings(&chimev1.GetUserSettingsInput{AccountId: acc, UserId: id})
			return err
		},
		"UpdateUserSettings": func() error {
			_, err := other.UpdateUserSettings(&chimev1.UpdateUserSettingsInput{AccountId: acc, UserId: id, UserSettings: &chimev1.UserSettings{Telephony: telephony(false, false, false)}})
			return err
		},
		"GetAccountSettings": func() error {
			_, err := other.GetAccountSettings(&chimev1.GetAccountSettingsInput{AccountId: acc})
			return err
		},
		"UpdateAccountSettings": func() error {
			_, err := other.UpdateAccountSettings(&chimev1.UpdateAccountSettingsInput{AccountId: acc, AccountSettings: &chimev1.AccountSettings{EnableDialOut: aws.Bool(false)}})
			return err
		},
		"AssociateSigninDelegateGroupsWithAccount": func() error {
			_, err := other.AssociateSigninDelegateGroupsWithAccount(&chimev1.AssociateSigninDelegateGroupsWithAccountInput{AccountId: lwa,
				SigninDelegateGroups: []*chimev1.SigninDelegateGroup{{GroupName: aws.String("intruders")}}})
			return err
		},
		"DisassociateSigninDelegateGroupsFromAccount": func() error {
			_, err := other.DisassociateSigninDelegateGroupsFromAccount(&chimev1.DisassociateSigninDelegateGroupsFromAccountInput{AccountId: lwa, GroupNames: aws.StringSlice([]string{"admins"})})
			return err
		},
	} {
		if err := call(); code(err) != chimev1.ErrCodeNotFoundException {
			t.Errorf("other tenant %s: %v", name, err)
		}
	}
	if got := h.mustUserSettings(t, mine, account, id); got.String() != telephony(true, true, true).String() {
		t.Fatalf("the user's settings changed: %v", got)
	}
	if got := h.mustAccountSettings(t, mine, account); !aws.BoolValue(got.EnableDialOut) {
		t.Fatalf("the account's settings changed: %v", got)
	}
	if got := facetest.MustSigninDelegateGroups(t, mine, lwaAccount); !slices.Equal(got, []string{"admins"}) {
		t.Fatalf("the delegate groups changed: %q", got)
	}
}
