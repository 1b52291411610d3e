package workdocs_test

import (
	"context"
	"net/http"
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
