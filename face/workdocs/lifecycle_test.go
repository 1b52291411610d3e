package workdocs_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/facetest"
	workdocssvc "github.com/rollcall/rollcall/workdocs"
)

func TestUpdateUserSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	gib := int64(1 << 30)
	u := h.MustCreate(t, spec{username: "ada", given: "Ada", surname: "Byron", alloc: &gib})[0]
	created := h.MustUser(t, rollcall.DevOrganizationID, "ada")
	time.Sleep(2 * time.Millisecond) // so that ModifiedTimestamp moves (the store keeps milliseconds)

	out, err := client.UpdateUser(&workdocs.UpdateUserInput{UserId: aws.String(u.ID), GivenName: aws.String("Augusta Ada"),
		Surname: aws.String("Lovelace"), Type: aws.String("ADMIN"), TimeZoneId: aws.String("Europe/London"), Locale: aws.String("fr")})
	if err != nil {
		t.Fatal(err)
	}
	w := out.User
	if aws.StringValue(w.Id) != u.ID || aws.StringValue(w.GivenName) != "Augusta Ada" || aws.StringValue(w.Surname) != "Lovelace" ||
		aws.StringValue(w.Type) != "ADMIN" || aws.StringValue(w.TimeZoneId) != "Europe/London" || aws.StringValue(w.Locale) != "fr" ||
		aws.StringValue(w.Username) != "ada" || aws.StringValue(w.Status) != "ACTIVE" ||
		aws.Int64Value(w.Storage.StorageRule.StorageAllocatedInBytes) != gib {
		t.Fatalf("UpdateUser returned %v", w)
	}
	if !w.ModifiedTimestamp.After(*w.CreatedTimestamp) || !w.CreatedTimestamp.Equal(created.CreatedAt) {
		t.Errorf("timestamps %v, %v", w.CreatedTimestamp, w.ModifiedTimestamp)
	}
	st := h.MustUser(t, rollcall.DevOrganizationID, "ada")
	if st.GivenName != "Augusta Ada" || st.FamilyName != "Lovelace" || st.DisplayName != "Augusta Ada Lovelace" || st.UserType != "ADMIN" ||
		st.Attrs.Locale != "fr" || st.PasswordHash != created.PasswordHash || st.Attrs.RootFolderID != created.Attrs.RootFolderID {
		t.Fatalf("stored %+v", st)
	}

	// Members left out stay as they are; the storage rule merges.
	steps := []struct {
		name      string
		in        workdocs.UpdateUserInput
		wantType  string
		wantRule  string
		wantAlloc int64 // -1: none
	}{
		{"nothing", workdocs.UpdateUserInput{}, "ADMIN", "QUOTA", gib},
		{"unlimited", workdocs.UpdateUserInput{StorageRule: &workdocs.StorageRuleType{StorageType: aws.String("UNLIMITED")}}, "ADMIN", "UNLIMITED", -1},
		{"quota again: the default", workdocs.UpdateUserInput{StorageRule: &workdocs.StorageRuleType{StorageType: aws.String("QUOTA")}}, "ADMIN", "QUOTA", workdocssvc.DefaultAllocated},
		{"a size alone", workdocs.UpdateUserInput{StorageRule: &workdocs.StorageRuleType{StorageAllocatedInBytes: aws.Int64(0)}}, "ADMIN", "QUOTA", 0},
		{"quota keeps the size", workdocs.UpdateUserInput{StorageRule: &workdocs.StorageRuleType{StorageType: aws.String("QUOTA")}}, "ADMIN", "QUOTA", 0},
		{"empty rule", workdocs.UpdateUserInput{StorageRule: &workdocs.StorageRuleType{}}, "ADMIN", "QUOTA", 0},
		{"grant power user", workdocs.UpdateUserInput{GrantPoweruserPrivileges: aws.String("TRUE")}, "POWERUSER", "QUOTA", 0},
		{"revoke power user", workdocs.UpdateUserInput{GrantPoweruserPrivileges: aws.String("FALSE")}, "USER", "QUOTA", 0},
		{"revoke from a user", workdocs.UpdateUserInput{GrantPoweruserPrivileges: aws.String("FALSE")}, "USER", "QUOTA", 0},
		{"type and grant agree", workdocs.UpdateUserInput{Type: aws.String("POWERUSER"), GrantPoweruserPrivileges: aws.String("TRUE")}, "POWERUSER", "QUOTA", 0},
		{"minimal user", workdocs.UpdateUserInput{Type: aws.String("MINIMALUSER")}, "MINIMALUSER", "QUOTA", 0},
	}
	for _, s := range steps {
		in := s.in
		in.UserId = aws.String(u.ID)
		out, err := client.UpdateUser(&in)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		r := out.User.Storage.StorageRule
		alloc := int64(-1)
		if r.StorageAllocatedInBytes != nil {
			alloc = *r.StorageAllocatedInBytes
		}
		if aws.StringValue(out.User.Type) != s.wantType || aws.StringValue(r.StorageType) != s.wantRule || alloc != s.wantAlloc {
			t.Fatalf("%s: type %s, rule %s %d; want %s, %s %d", s.name, aws.StringValue(out.User.Type), aws.StringValue(r.StorageType), alloc,
				s.wantType, s.wantRule, s.wantAlloc)
		}
		if aws.StringValue(out.User.GivenName) != "Augusta Ada" || aws.StringValue(out.User.Locale) != "fr" {
			t.Fatalf("%s: changed what it did not name: %v", s.name, out.User)
		}
	}

	_, err = client.UpdateUser(&workdocs.UpdateUserInput{UserId: aws.String(u.ID), Type: aws.String("ADMIN"), GrantPoweruserPrivileges: aws.String("TRUE")})
	facetest.WantSDKError(t, err, workdocs.ErrCodeInvalidArgumentException, 400, "GrantPoweruserPrivileges contradicts Type ADMIN.")
	if got := h.MustUser(t, rollcall.DevOrganizationID, "ada").UserType; got != "MINIMALUSER" {
		t.Errorf("a refused update changed the type to %s", got)
	}
}

func TestActivationSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	u := h.MustCreate(t, spec{username: "ada"})[0]
	for range 2 { // the second time changes nothing and is no error
		if _, err := client.DeactivateUser(&workdocs.DeactivateUserInput{UserId: aws.String(u.ID)}); err != nil {
			t.Fatal(err)
		}
		if st := h.MustUser(t, rollcall.DevOrganizationID, "ada"); st.Status != "INACTIVE" {
			t.Fatalf("status %s after DeactivateUser", st.Status)
		}
	}
	out, err := client.DescribeUsers(&workdocs.DescribeUsersInput{UserIds: aws.String(u.ID)})
	if err != nil || len(out.Users) != 0 {
		t.Fatalf("an inactive user is left out by default: %v %v", out, err)
	}
	out, err = client.DescribeUsers(&workdocs.DescribeUsersInput{UserIds: aws.String(u.ID), Include: aws.String("ALL")})
	if err != nil || len(out.Users) != 1 || aws.StringValue(out.Users[0].Status) != "INACTIVE" {
		t.Fatalf("Include=ALL: %v %v", out, err)
	}
	for range 2 {
		a, err := client.ActivateUser(&workdocs.ActivateUserInput{UserId: aws.String(u.ID)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.StringValue(a.User.Status) != "ACTIVE" || aws.StringValue(a.User.Id) != u.ID || aws.StringValue(a.User.Username) != "ada" {
			t.Fatalf("ActivateUser returned %v", a.User)
		}
	}
	if st := h.MustUser(t, rollcall.DevOrganizationID, "ada"); st.Status != "ACTIVE" {
		t.Fatalf("status %s after ActivateUser", st.Status)
	}
}

func TestDeleteUserSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	users := h.MustCreate(t, spec{username: "ada"}, spec{username: "bob"})
	if _, err := client.DeleteUser(&workdocs.DeleteUserInput{UserId: aws.String(users[0].ID)}); err != nil {
		t.Fatal(err)
	}
	left := h.MustUsers(t, rollcall.DevOrganizationID)
	if len(left) != 1 || left[0].Username != "bob" {
		t.Fatalf("left %v", left)
	}
	_, err := client.DeleteUser(&workdocs.DeleteUserInput{UserId: aws.String(users[0].ID)})
	mustNotExist(t, err, users[0].ID)
	// The username is free again.
	h.MustCreate(t, spec{username: "ADA"})
}

// mustNotExist fails unless err is EntityNotExistsException 404 naming id.
func mustNotExist(tb testing.TB, err error, id string) {
	tb.Helper()
	facetest.WantSDKError(tb, err, workdocs.ErrCodeEntityNotExistsException, 404, "")
	e, ok := err.(*workdocs.EntityNotExistsException)
	if !ok {
		tb.Fatalf("err is %T, want *workdocs.EntityNotExistsException", err)
	}
	if len(e.EntityIds) != 1 || aws.StringValue(e.EntityIds[0]) != id || e.Message() != "The user "+id+" does not exist." {
		tb.Fatalf("EntityIds %v, message %q", aws.StringValueSlice(e.EntityIds), e.Message())
	}
}

// TestUserOpsIsolation: every operation on a user of another account (or a user that does
// not exist) is EntityNotExistsException, and changes nothing; DescribeUsers of another
// account's organization is UnauthorizedResourceAccessException, as for CreateUser.
func TestUserOpsIsolation(t *testing.T) {
	h := MustHarness(t)
	dev := h.MustClient(t, "", "")
	other := h.MustClient(t, otherKeyID, otherSecret)
	victim := h.MustCreate(t, spec{org: otherOrgA, username: "victim", given: "Vic", surname: "Tim"})[0]
	mine := h.MustCreate(t, spec{username: "mine"})[0]
	before := h.MustUser(t, otherOrgA, "victim")

	for _, id := range []string{victim.ID, "no-such-user"} {
		t.Run(id, func(t *testing.T) {
			_, err := dev.UpdateUser(&workdocs.UpdateUserInput{UserId: aws.String(id), GivenName: aws.String("Pwned")})
			mustNotExist(t, err, id)
			_, err = dev.DeactivateUser(&workdocs.DeactivateUserInput{UserId: aws.String(id)})
			mustNotExist(t, err, id)
			_, err = dev.ActivateUser(&workdocs.ActivateUserInput{UserId: aws.String(id)})
			mustNotExist(t, err, id)
			_, err = dev.DeleteUser(&workdocs.DeleteUserInput{UserId: aws.String(id)})
			mustNotExist(t, err, id)
			out, err := dev.DescribeUsers(&workdocs.DescribeUsersInput{UserIds: aws.String(id), Include: aws.String("ALL")})
			if err != nil || len(out.Users) != 0 {
				t.Fatalf("DescribeUsers by ID: %v %v", out, err)
			}
		})
	}
	_, err := dev.DescribeUsers(&workdocs.DescribeUsersInput{OrganizationId: aws.String(otherOrgA)})
	facetest.WantSDKError(t, err, workdocs.ErrCodeUnauthorizedResourceAccessException, 404, "The caller does not have access to organization d-1111111111.")
	// The other account sees its own user, and not the dev account's.
	out, err := other.DescribeUsers(&workdocs.DescribeUsersInput{OrganizationId: aws.String(otherOrgA), UserIds: aws.String(victim.ID + "," + mine.ID)})
	if err != nil || len(out.Users) != 1 || aws.StringValue(out.Users[0].Id) != victim.ID {
		t.Fatalf("other account: %v %v", out, err)
	}
	_, err = other.UpdateUser(&workdocs.UpdateUserInput{UserId: aws.String(mine.ID), GivenName: aws.String("Pwned")})
	mustNotExist(t, err, mine.ID)
	// The other account has two organizations and no OrganizationId to find the user by:
	// it finds it anyway.
	if _, err := other.UpdateUser(&workdocs.UpdateUserInput{UserId: aws.String(victim.ID), Locale: aws.String("de")}); err != nil {
		t.Fatal(err)
	}

	after := h.MustUser(t, otherOrgA, "victim")
	if after.GivenName != before.GivenName || after.Status != "ACTIVE" || after.Attrs.Locale != "de" {
		t.Fatalf("the other account's user changed: %+v", after)
	}
	if st := h.MustUser(t, rollcall.DevOrganizationID, "mine"); st.GivenName != "Given" {
		t.Fatalf("the dev account's user changed: %+v", st)
	}
}

// TestUserOpsByToken: an ADMIN's Authentication token manages the users of its own
// organization; a plain user's token may not; a user of another organization of the same
// account does not exist for the token.
func TestUserOpsByToken(t *testing.T) {
	h := MustHarness(t)
	ctx := context.Background()
	anon := h.anonClient(t)
	admin, _, err := h.tokens.IssueWorkDocs(ctx, rollcall.DevAccountID, rollcall.DevOrganizationID, rollcall.DevWorkDocsAdmin, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.WorkDocs.CreateOrganization(ctx, rollcall.Caller{TenantID: rollcall.DevAccountID},
		workdocssvc.CreateOrganizationInput{ID: "d-0000000001"}); err != nil {
		t.Fatal(err)
	}
	users := h.MustCreate(t, spec{username: "ada"}, spec{username: "plain"}, spec{org: "d-0000000001", username: "elsewhere"})
	ada, elsewhere := users[0], users[2]
	plain, _, err := h.tokens.IssueWorkDocs(ctx, rollcall.DevAccountID, rollcall.DevOrganizationID, "plain", time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	out, err := anon.UpdateUser(&workdocs.UpdateUserInput{AuthenticationToken: aws.String(admin), UserId: aws.String(ada.ID), Surname: aws.String("Lovelace")})
	if err != nil || aws.StringValue(out.User.Surname) != "Lovelace" {
		t.Fatalf("UpdateUser by an admin's token: %v %v", out, err)
	}
	if _, err := anon.DeactivateUser(&workdocs.DeactivateUserInput{AuthenticationToken: aws.String(admin), UserId: aws.String(ada.ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := anon.ActivateUser(&workdocs.ActivateUserInput{AuthenticationToken: aws.String(admin), UserId: aws.String(ada.ID)}); err != nil {
		t.Fatal(err)
	}
	d, err := anon.DescribeUsers(&workdocs.DescribeUsersInput{AuthenticationToken: aws.String(admin), Limit: aws.Int64(1)})
	if err != nil || len(d.Users) != 1 || d.Marker == nil {
		t.Fatalf("DescribeUsers by an admin's token: %v %v", d, err)
	}
	// Any active user of the organization may see who is in it (but change no one).
	if pd, err := anon.DescribeUsers(&workdocs.DescribeUsersInput{AuthenticationToken: aws.String(plain)}); err != nil || len(pd.Users) != 3 {
		t.Fatalf("DescribeUsers by a plain user's token: %v %v", pd, err)
	}
	// A marker minted for the token is not good for the account's AWS credentials.
	_, err = h.MustClient(t, "", "").DescribeUsers(&workdocs.DescribeUsersInput{Marker: d.Marker})
	facetest.WantSDKError(t, err, workdocs.ErrCodeInvalidArgumentException, 400, "")
	d, err = anon.DescribeUsers(&workdocs.DescribeUsersInput{AuthenticationToken: aws.String(admin), Marker: d.Marker, Limit: aws.Int64(10)})
	if err != nil || len(d.Users) != 2 {
		t.Fatalf("DescribeUsers' next page by an admin's token: %v %v", d, err)
	}

	for _, tc := range []struct {
		name string
		err  func() error
	}{
		{"update", func() error {
			_, err := anon.UpdateUser(&workdocs.UpdateUserInput{AuthenticationToken: aws.String(plain), UserId: aws.String(ada.ID), Surname: aws.String("X")})
			return err
		}},
		{"delete", func() error {
			_, err := anon.DeleteUser(&workdocs.DeleteUserInput{AuthenticationToken: aws.String(plain), UserId: aws.String(ada.ID)})
			return err
		}},
		{"deactivate", func() error {
			_, err := anon.DeactivateUser(&workdocs.DeactivateUserInput{AuthenticationToken: aws.String(plain), UserId: aws.String(ada.ID)})
			return err
		}},
		{"activate", func() error {
			_, err := anon.ActivateUser(&workdocs.ActivateUserInput{AuthenticationToken: aws.String(plain), UserId: aws.String(ada.ID)})
			return err
		}},
		{"unknown user", func() error { // authorization comes first: no probing of IDs
			_, err := anon.DeleteUser(&workdocs.DeleteUserInput{AuthenticationToken: aws.String(plain), UserId: aws.String("no-such-user")})
			return err
		}},
	} {
		t.Run("plain user may not "+tc.name, func(t *testing.T) {
			rf := facetest.WantSDKError(t, tc.err(), workdocs.ErrCodeUnauthorizedOperationException, 403, "")
			if !strings.HasPrefix(rf.Message, "The operation is not permitted: only an administrator of the organization may ") {
				t.Errorf("message %q", rf.Message)
			}
		})
	}
	_, err = anon.DeleteUser(&workdocs.DeleteUserInput{AuthenticationToken: aws.String(admin), UserId: aws.String(elsewhere.ID)})
	mustNotExist(t, err, elsewhere.ID)
	_, err = anon.DescribeUsers(&workdocs.DescribeUsersInput{AuthenticationToken: aws.String(admin), OrganizationId: aws.String("d-0000000001")})
	facetest.WantSDKError(t, err, workdocs.ErrCodeUnauthorizedResourceAccessException, 404, "")
	if st := h.MustUser(t, rollcall.DevOrganizationID, "ada"); st.FamilyName != "Lovelace" || st.Status != "ACTIVE" {
		t.Fatalf("ada %+v", st)
	}
	h.MustUser(t, "d-0000000001", "elsewhere")

	// A deactivated admin's token no longer manages anything.
	adminUser := h.MustUser(t, rollcall.DevOrganizationID, rollcall.DevWorkDocsAdmin)
	if _, err := h.MustClient(t, "", "").DeactivateUser(&workdocs.DeactivateUserInput{UserId: aws.String(adminUser.ID)}); err != nil {
		t.Fatal(err)
	}
	_, err = anon.DeleteUser(&workdocs.DeleteUserInput{AuthenticationToken: aws.String(admin), UserId: aws.String(ada.ID)})
	facetest.WantSDKError(t, err, workdocs.ErrCodeUnauthorizedOperationException, 403, "")
	h.MustUser(t, rollcall.DevOrganizationID, "ada")
}

func TestGetCurrentUser(t *testing.T) {
	h := MustHarness(t)
	ctx := context.Background()
	h.MustCreate(t, spec{username: "ada", given: "Ada", surname: "Lovelace"}, spec{org: otherOrgA, username: "otto"})
	token, _, err := h.tokens.IssueWorkDocs(ctx, rollcall.DevAccountID, rollcall.DevOrganizationID, "ada", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ottoToken, _, err := h.tokens.IssueWorkDocs(ctx, otherAccountID, otherOrgA, "otto", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ada := h.MustUser(t, rollcall.DevOrganizationID, "ada")
	for name, client := range map[string]*workdocs.WorkDocs{
		"token only":           h.anonClient(t),
		"signed, with a token": h.MustClient(t, "", ""),
	} {
		t.Run(name, func(t *testing.T) {
			out, err := client.GetCurrentUser(&workdocs.GetCurrentUserInput{AuthenticationToken: aws.String(token)})
			if err != nil {
				t.Fatal(err)
			}
			u := out.User
			if aws.StringValue(u.Id) != ada.ID || aws.StringValue(u.Username) != "ada" || aws.StringValue(u.GivenName) != "Ada" ||
				aws.StringValue(u.OrganizationId) != rollcall.DevOrganizationID || u.Storage == nil || aws.StringValue(u.Type) != "USER" {
				t.Fatalf("GetCurrentUser = %v", u)
			}
		})
	}
	t.Run("signed, without a token", func(t *testing.T) {
		h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/me")).MustError(t, 400, "ValidationException",
			facetest.Detected(facetest.Null("authenticationToken")))
	})
	t.Run("signed by one account, another account's token", func(t *testing.T) {
		_, err := h.MustClient(t, "", "").GetCurrentUser(&workdocs.GetCurrentUserInput{AuthenticationToken: aws.String(ottoToken)})
		facetest.WantSDKError(t, err, workdocs.ErrCodeUnauthorizedOperationException, 403, "")
	})
	t.Run("unknown token", func(t *testing.T) {
		_, err := h.anonClient(t).GetCurrentUser(&workdocs.GetCurrentUserInput{AuthenticationToken: aws.String("x" + token)})
		facetest.WantSDKError(t, err, workdocs.ErrCodeUnauthorizedOperationException, 403, "The security token included in the request is invalid.")
	})
	t.Run("deactivated, then deleted", func(t *testing.T) {
		dev := h.MustClient(t, "", "")
		anon := h.anonClient(t)
		if _, err := dev.DeactivateUser(&workdocs.DeactivateUserInput{UserId: aws.String(ada.ID)}); err != nil {
			t.Fatal(err)
		}
		// Deactivation revokes the user's tokens: they are unknown from then on.
		_, err := anon.GetCurrentUser(&workdocs.GetCurrentUserInput{AuthenticationToken: aws.String(token)})
		facetest.WantSDKError(t, err, workdocs.ErrCodeUnauthorizedOperationException, 403, "The security token included in the request is invalid.")
		if _, _, err := h.tokens.IssueWorkDocs(ctx, rollcall.DevAccountID, rollcall.DevOrganizationID, "ada", time.Hour); !rollcall.IsKind(err, rollcall.Conflict) {
			t.Errorf("a token for an INACTIVE user: %v, want Conflict", err)
		}
		_, err = anon.DescribeUsers(&workdocs.DescribeUsersInput{AuthenticationToken: aws.String(token)})
		facetest.WantSDKError(t, err, workdocs.ErrCodeUnauthorizedOperationException, 403, "")
		if _, err := dev.DeleteUser(&workdocs.DeleteUserInput{UserId: aws.String(ada.ID)}); err != nil {
			t.Fatal(err)
		}
		_, err = anon.GetCurrentUser(&workdocs.GetCurrentUserInput{AuthenticationToken: aws.String(token)})
		facetest.WantSDKError(t, err, workdocs.ErrCodeUnauthorizedOperationException, 403, "The security token included in the request is invalid.")
	})
	if strings.Contains(h.log.String(), token) || strings.Contains(h.log.String(), ottoToken) {
		t.Error("the log contains a token")
	}
}

// TestLifecycleWire checks what the SDK does not show: 204 without a body, 200 with one
// member, and EntityNotExistsException's body.
func TestLifecycleWire(t *testing.T) {
	h := MustHarness(t)
	u := h.MustCreate(t, spec{username: "ada"})[0]
	path := "/api/v1/users/" + u.ID
	for _, tc := range []struct{ method, path string }{{http.MethodDelete, path + "/activation"}, {http.MethodDelete, path}} {
		resp, body := h.MustSend(t, "", withRoute(tc.method, tc.path))
		if resp.StatusCode != http.StatusNoContent || len(body) != 0 || resp.Header.Get("x-amzn-RequestId") == "" {
			t.Fatalf("%s %s: %d %q", tc.method, tc.path, resp.StatusCode, body)
		}
	}
	h.MustDo(t, "", withRoute(http.MethodPost, path+"/activation")).mustNotExist(t, u.ID)
	v := h.MustCreate(t, spec{username: "bob"})[0]
	rp := h.MustDo(t, `{"Locale":"de"}`, withRoute(http.MethodPatch, "/api/v1/users/"+v.ID))
	if rp.Status != 200 || len(rp.JSON) != 1 || rp.JSON["User"] == nil {
		t.Fatalf("UpdateUser: %d %s", rp.Status, rp.Body)
	}
	// A UserId the SDK percent-encodes arrives decoded.
	h.MustDo(t, `{}`, withRoute(http.MethodPatch, "/api/v1/users/a%26b%2Bc%40d")).mustNotExist(t, "a&b+c@d")
	rp = h.MustDo(t, `{}`, withRoute(http.MethodPatch, "/api/v1/users/a%2Fb"))
	rp.MustError(t, 400, "ValidationException", facetest.Detected(facetest.Failure("a/b", "userId", facetest.Pattern(patOrg))))
}

// TestLifecycleUnavailable: when the store cannot commit, every write answers
// ServiceUnavailableException 503 and changes nothing; DescribeUsers (a read) still works.
func TestLifecycleUnavailable(t *testing.T) {
	h := MustHarness(t, failWith(&rollcall.Error{Kind: rollcall.Unavailable, Message: "The directory is unavailable; retry."}))
	client := h.MustClient(t, "", "")
	admin := h.MustUser(t, rollcall.DevOrganizationID, rollcall.DevWorkDocsAdmin)
	id := aws.String(admin.ID)
	calls := map[string]func() error{
		"UpdateUser": func() error {
			_, err := client.UpdateUser(&workdocs.UpdateUserInput{UserId: id, GivenName: aws.String("X")})
			return err
		},
		"DeleteUser": func() error { _, err := client.DeleteUser(&workdocs.DeleteUserInput{UserId: id}); return err },
		"ActivateUser": func() error {
			_, err := client.ActivateUser(&workdocs.ActivateUserInput{UserId: id})
			return err
		},
		"DeactivateUser": func() error {
			_, err := client.DeactivateUser(&workdocs.DeactivateUserInput{UserId: id})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			facetest.WantSDKError(t, call(), workdocs.ErrCodeServiceUnavailableException, 503, "The directory is unavailable; retry.")
		})
	}
	after := h.MustUser(t, rollcall.DevOrganizationID, rollcall.DevWorkDocsAdmin)
	if after.GivenName != admin.GivenName || after.Status != "ACTIVE" || !after.UpdatedAt.Equal(admin.UpdatedAt) {
		t.Fatalf("admin changed: %+v", after)
	}
	out, err := client.DescribeUsers(&workdocs.DescribeUsersInput{})
	if err != nil || len(out.Users) != 1 {
		t.Fatalf("DescribeUsers: %v %v", out, err)
	}
}

func minValue(n string) string { return "Member must have value greater than or equal to " + n }
func maxValue(n string) string { return "Member must have value less than or equal to " + n }
func enum(values string) string {
	return "Member must satisfy enum value set: [" + values + "]"
}

const (
	enumUserType = "USER, ADMIN, POWERUSER, MINIMALUSER, WORKSPACESUSER"
	enumLocale   = "en, fr, ko, de, es, ja, ru, zh_CN, zh_TW, pt_BR, default"
	patUserIds   = `[&\w+-.@, ]+`
	patQuery     = `[\u0020-\uFFFF]+`
	patFields    = `[\w,]+`
)

// TestUpdateUserConstraints sends each UpdateUser member's boundary value (accepted: 200)
// and the value one past it (400 ValidationException with the exact message).
func TestUpdateUserConstraints(t *testing.T) {
	h := MustHarness(t)
	u := h.MustCreate(t, spec{username: "ada"})[0]
	path := "/api/v1/users/" + u.ID
	s64, s65 := strings.Repeat("a", 64), strings.Repeat("a", 65)
	s256, s257 := strings.Repeat("z", 256), strings.Repeat("z", 257)
	cases := []struct {
		name string
		body string
		want string // "" = accepted
	}{
		{"GivenName 64", `{"GivenName":"` + s64 + `"}`, ""},
		{"GivenName 65", `{"GivenName":"` + s65 + `"}`, facetest.Detected(facetest.Hidden("givenName", facetest.MaxLen(64)))},
		{"GivenName empty", `{"GivenName":""}`, facetest.Detected(facetest.Hidden("givenName", facetest.MinLen(1)))},
		{"Surname 64", `{"Surname":"` + s64 + `"}`, ""},
		{"Surname 65", `{"Surname":"` + s65 + `"}`, facetest.Detected(facetest.Hidden("surname", facetest.MaxLen(64)))},
		{"Surname empty", `{"Surname":""}`, facetest.Detected(facetest.Hidden("surname", facetest.MinLen(1)))},
		{"Type WORKSPACESUSER", `{"Type":"WORKSPACESUSER"}`, ""},
		{"Type lower case", `{"Type":"admin"}`, facetest.Detected(facetest.Failure("admin", "type", enum(enumUserType)))},
		{"StorageAllocatedInBytes 0", `{"StorageRule":{"StorageAllocatedInBytes":0}}`, ""},
		{"StorageAllocatedInBytes -1", `{"StorageRule":{"StorageAllocatedInBytes":-1}}`, facetest.Detected(facetest.Failure("-1", "storageRule.storageAllocatedInBytes", minValue("0")))},
		{"StorageType UNLIMITED", `{"StorageRule":{"StorageType":"UNLIMITED"}}`, ""},
		{"StorageType other", `{"StorageRule":{"StorageType":"BIG"}}`, facetest.Detected(facetest.Failure("BIG", "storageRule.storageType", enumStorage))},
		{"TimeZoneId 256", `{"TimeZoneId":"` + s256 + `"}`, ""},
		{"TimeZoneId 257", `{"TimeZoneId":"` + s257 + `"}`, facetest.Detected(facetest.Failure(s257, "timeZoneId", facetest.MaxLen(256)))},
		{"TimeZoneId empty", `{"TimeZoneId":""}`, facetest.Detected(facetest.Failure("", "timeZoneId", facetest.MinLen(1)))},
		{"Locale pt_BR", `{"Locale":"pt_BR"}`, ""},
		{"Locale pt-BR", `{"Locale":"pt-BR"}`, facetest.Detected(facetest.Failure("pt-BR", "locale", enum(enumLocale)))},
		{"GrantPoweruserPrivileges FALSE", `{"GrantPoweruserPrivileges":"FALSE"}`, ""},
		{"GrantPoweruserPrivileges true", `{"GrantPoweruserPrivileges":"true"}`, facetest.Detected(facetest.Failure("true", "grantPoweruserPrivileges", enum("TRUE, FALSE")))},
		{"several", `{"GivenName":"","Locale":"xx","Type":"x"}`,
			facetest.Detected(facetest.Hidden("givenName", facetest.MinLen(1)), facetest.Failure("x", "type", enum(enumUserType)), facetest.Failure("xx", "locale", enum(enumLocale)))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := h.MustUser(t, rollcall.DevOrganizationID, "ada")
			rp := h.MustDo(t, tc.body, withRoute(http.MethodPatch, path))
			if tc.want == "" {
				if rp.Status != 200 || rp.JSON["User"] == nil {
					t.Fatalf("got %d %s", rp.Status, rp.Body)
				}
				return
			}
			rp.MustError(t, 400, "ValidationException", tc.want)
			if after := h.MustUser(t, rollcall.DevOrganizationID, "ada"); !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Error("a refused request changed the user")
			}
		})
	}
	bad := []struct{ name, body, want string }{
		{"GivenName number", `{"GivenName":5}`, "Invalid type for 'givenName': expected a string, found a number."},
		{"StorageRule list", `{"StorageRule":[]}`, "Invalid type for 'storageRule': expected an object, found a list."},
		{"allocated fraction", `{"StorageRule":{"StorageAllocatedInBytes":1.5}}`,
			"Invalid value for 'storageRule.storageAllocatedInBytes': expected a whole number from -9223372036854775808 to 9223372036854775807."},
		{"duplicate member", `{"Locale":"en","Locale":"fr"}`, "Duplicate member name 'locale' in JSON object."},
		{"not an object", `[]`, "The request body must be a JSON object."},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			h.MustDo(t, tc.body, withRoute(http.MethodPatch, path)).MustError(t, 400, "ValidationException", tc.want)
		})
	}
}

// TestUserIDConstraints: UserId and the Authentication header on every single-user
// operation. An accepted UserId that names no user is EntityNotExistsException.
func TestUserIDConstraints(t *testing.T) {
	h := MustHarness(t)
	id256, id257 := strings.Repeat("u", 256), strings.Repeat("u", 257)
	tok8199, tok8200 := strings.Repeat("t", 8199), strings.Repeat("t", 8200)
	ops := []struct {
		name, method, suffix string
	}{
		{"UpdateUser", http.MethodPatch, ""},
		{"DeleteUser", http.MethodDelete, ""},
		{"ActivateUser", http.MethodPost, "/activation"},
		{"DeactivateUser", http.MethodDelete, "/activation"},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			do := func(id string, opts ...func(*raw)) reply {
				return h.MustDo(t, `{}`, append([]func(*raw){withRoute(op.method, "/api/v1/users/"+id+op.suffix)}, opts...)...)
			}
			do(id256).mustNotExist(t, id256)
			do("&+,-.@_x9").mustNotExist(t, "&+,-.@_x9")
			do(id257).MustError(t, 400, "ValidationException", facetest.Detected(facetest.Failure(id257, "userId", facetest.MaxLen(256))))
			// An empty label (the SDKs refuse one before sending) is the operation's UserId,
			// refused as any other that breaks its constraints, not an unknown operation.
			do("").MustError(t, 400, "ValidationException",
				facetest.Detected(facetest.Failure("", "userId", facetest.MinLen(1)), facetest.Failure("", "userId", facetest.Pattern(patOrg))))
			do("", unsigned).MustError(t, 403, "UnauthorizedOperationException", "Request is missing Authentication Token")
			do("a%20b").MustError(t, 400, "ValidationException", facetest.Detected(facetest.Failure("a b", "userId", facetest.Pattern(patOrg))))
			do("u", withHeader("Authentication", tok8199)).mustNotExist(t, "u")
			do("u", withHeader("Authentication", tok8200)).MustError(t, 400, "ValidationException",
				facetest.Detected(facetest.Hidden("authenticationToken", facetest.MaxLen(8199))))
			do(id257, withHeader("Authentication", "")).MustError(t, 400, "ValidationException",
				facetest.Detected(facetest.Failure(id257, "userId", facetest.MaxLen(256)), facetest.Hidden("authenticationToken", facetest.MinLen(1))))
		})
	}
	t.Run("GetCurrentUser", func(t *testing.T) {
		me := withRoute(http.MethodGet, "/api/v1/me")
		h.MustDo(t, "", me, withHeader("Authentication", tok8199)).MustError(t, 403, "UnauthorizedOperationException",
			"The security token included in the request is invalid.")
		h.MustDo(t, "", me, withHeader("Authentication", tok8200)).MustError(t, 400, "ValidationException",
			facetest.Detected(facetest.Hidden("authenticationToken", facetest.MaxLen(8199))))
		h.MustDo(t, "", me, withHeader("Authentication", "")).MustError(t, 400, "ValidationException",
			facetest.Detected(facetest.Hidden("authenticationToken", facetest.MinLen(1))))
	})
}

// TestDescribeUsersConstraints: every member of DescribeUsers, in the query string.
func TestDescribeUsersConstraints(t *testing.T) {
	h := MustHarness(t)
	long := "d-" + strings.Repeat("0", 254)
	if _, err := h.WorkDocs.CreateOrganization(context.Background(), rollcall.Caller{TenantID: rollcall.DevAccountID},
		workdocssvc.CreateOrganizationInput{ID: long}); err != nil {
		t.Fatal(err)
	}
	ids2000 := strings.Repeat("a, ", 666) + "ab"
	cases := []struct {
		name  string
		query string // raw
		want  string // "" = accepted (200); otherwise the ValidationException message
	}{
		{"organizationId 256", "organizationId=" + long, ""},
		{"organizationId 257", "organizationId=" + long + "0", facetest.Detected(facetest.Failure(long+"0", "organizationId", facetest.MaxLen(256)))},
		{"organizationId empty", "organizationId=&userIds=x", facetest.Detected(facetest.Failure("", "organizationId", facetest.MinLen(1)), facetest.Failure("", "organizationId", facetest.Pattern(patOrg)))},
		{"organizationId pattern", "organizationId=d%2F0", facetest.Detected(facetest.Failure("d/0", "organizationId", facetest.Pattern(patOrg)))},
		{"userIds 2000", "organizationId=d-0000000000&userIds=" + url.QueryEscape(ids2000), ""},
		{"userIds 2001", "organizationId=d-0000000000&userIds=" + url.QueryEscape(ids2000+"c"), facetest.Detected(facetest.Failure(ids2000+"c", "userIds", facetest.MaxLen(2000)))},
		{"userIds pattern", "organizationId=d-0000000000&userIds=a%3Bb", facetest.Detected(facetest.Failure("a;b", "userIds", facetest.Pattern(patUserIds)))},
		{"userIds empty", "organizationId=d-0000000000&userIds=", facetest.Detected(facetest.Failure("", "userIds", facetest.MinLen(1)), facetest.Failure("", "userIds", facetest.Pattern(patUserIds)))},
		{"query 512", "query=" + strings.Repeat("q", 512), ""},
		{"query 513", "query=" + strings.Repeat("q", 513), facetest.Detected(facetest.Hidden("query", facetest.MaxLen(512)))},
		{"query space and beyond Latin-1", "query=" + url.QueryEscape(" \uFFFF"), ""},
		{"query with an emoji (two UTF-16 units, as the service counts)", "query=" + url.QueryEscape(strings.Repeat("q", 510)+"\U0001F600"), ""},
		{"query with an emoji, one unit over", "query=" + url.QueryEscape(strings.Repeat("q", 511)+"\U0001F600"), facetest.Detected(facetest.Hidden("query", facetest.MaxLen(512)))},
		{"query control character", "query=a%1F", facetest.Detected(facetest.Hidden("query", facetest.Pattern(patQuery)))},
		{"query empty", "query=", facetest.Detected(facetest.Hidden("query", facetest.MinLen(1)), facetest.Hidden("query", facetest.Pattern(patQuery)))},
		{"include ALL", "include=ALL", ""},
		{"include ACTIVE_PENDING", "include=ACTIVE_PENDING", ""},
		{"include lower case", "include=all", facetest.Detected(facetest.Failure("all", "include", enum("ALL, ACTIVE_PENDING")))},
		{"order DESCENDING", "order=DESCENDING", ""},
		{"order other", "order=DOWN", facetest.Detected(facetest.Failure("DOWN", "order", enum("ASCENDING, DESCENDING")))},
		{"sort STORAGE_USED", "sort=STORAGE_USED", ""},
		{"sort other", "sort=EMAIL", facetest.Detected(facetest.Failure("EMAIL", "sort", enum("USER_NAME, FULL_NAME, STORAGE_LIMIT, USER_STATUS, STORAGE_USED")))},
		{"marker empty", "marker=", facetest.Detected(facetest.Failure("", "marker", facetest.MinLen(1)))},
		{"limit 1", "limit=1", ""},
		{"limit 0", "limit=0", facetest.Detected(facetest.Failure("0", "limit", minValue("1")))},
		{"limit 999", "limit=999", ""},
		{"limit 1000", "limit=1000", facetest.Detected(facetest.Failure("1000", "limit", maxValue("999")))},
		{"limit huge", "limit=9223372036854775807", facetest.Detected(facetest.Failure("9223372036854775807", "limit", maxValue("999")))},
		{"limit not a number", "limit=ten", "Invalid value for 'limit': expected a whole number from 1 to 999."},
		{"limit fraction", "limit=1.5", "Invalid value for 'limit': expected a whole number from 1 to 999."},
		{"limit twice", "limit=1&limit=2", "The query parameter 'limit' is given more than once."},
		{"fields 256", "fields=" + strings.Repeat("F", 256), ""},
		{"fields 257", "fields=" + strings.Repeat("F", 257), facetest.Detected(facetest.Failure(strings.Repeat("F", 257), "fields", facetest.MaxLen(256)))},
		{"fields pattern", "fields=STORAGE_METADATA%3Bx", facetest.Detected(facetest.Failure("STORAGE_METADATA;x", "fields", facetest.Pattern(patFields)))},
		{"fields list", "fields=X,STORAGE_METADATA", ""},
		{"several", "sort=x&limit=0&include=y",
			facetest.Detected(facetest.Failure("y", "include", enum("ALL, ACTIVE_PENDING")), facetest.Failure("x", "sort", enum("USER_NAME, FULL_NAME, STORAGE_LIMIT, USER_STATUS, STORAGE_USED")), facetest.Failure("0", "limit", minValue("1")))},
		{"unknown parameters are ignored", "x=1&Limit=0", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The dev account has two organizations now: name one.
			if !strings.Contains(tc.query, "organizationId=") {
				tc.query = "organizationId=d-0000000000&" + tc.query
			}
			rp := h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/users?"+tc.query))
			if tc.want == "" {
				if rp.Status != 200 || rp.JSON["Users"] == nil {
					t.Fatalf("got %d %s", rp.Status, rp.Body)
				}
				return
			}
			rp.MustError(t, 400, "ValidationException", tc.want)
		})
	}
	t.Run("bad escape", func(t *testing.T) {
		// The SDK's signer re-encodes the query string, so this is a token caller's request.
		token, _, err := h.tokens.IssueWorkDocs(context.Background(), rollcall.DevAccountID, rollcall.DevOrganizationID, rollcall.DevWorkDocsAdmin, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/users?query=%zz"), withHeader("Authentication", token), unsigned).
			MustError(t, 400, "ValidationException", "The query string is not validly encoded.")
	})
	t.Run("query is never echoed", func(t *testing.T) {
		secret := strings.Repeat("s3cr3t", 100)
		rp := h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/users?query="+secret))
		if rp.Status != 400 || strings.Contains(string(rp.Body), secret) || strings.Contains(h.log.String(), secret) {
			t.Fatalf("got %d %s", rp.Status, rp.Body)
		}
	})
	t.Run("fields selects storage", func(t *testing.T) {
		rp := h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/users?organizationId=d-0000000000&fields=x,storage_metadata"))
		users, _ := rp.JSON["Users"].([]any)
		if len(users) != 1 || users[0].(map[string]any)["Storage"] == nil {
			t.Fatalf("got %s", rp.Body)
		}
		if rp.JSON["TotalNumberOfUsers"] != float64(1) || rp.JSON["Marker"] != nil {
			t.Fatalf("got %s", rp.Body)
		}
	})
}

// mustNotExist fails unless rp is EntityNotExistsException 404 for id, with EntityIds.
func (rp reply) mustNotExist(tb testing.TB, id string) {
	tb.Helper()
	if rp.Status != 404 || rp.Type != "EntityNotExistsException" || rp.Msg != "The user "+id+" does not exist." {
		tb.Fatalf("got %d %s %s", rp.Status, rp.Type, rp.Body)
	}
	if ids, _ := rp.JSON["EntityIds"].([]any); len(ids) != 1 || ids[0] != id || len(rp.JSON) != 2 {
		tb.Fatalf("body %s", rp.Body)
	}
}
