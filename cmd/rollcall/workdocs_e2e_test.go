package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
)

// TestWorkDocsLifecycleEndToEnd drives the WorkDocs user lifecycle through the real
// server with the official aws-sdk-go v1 client: CreateUser, DescribeUsersPages over
// several pages, GetCurrentUser with a token from the admin API, UpdateUser,
// DeactivateUser, ActivateUser and DeleteUser; then restarts rollcall on the same data
// directory and checks that every change is still there and that a Marker minted before
// the restart still pages on.
func TestWorkDocsLifecycleEndToEnd(t *testing.T) {
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	wd := workdocs.New(sdkSession(t, m.URL, "test", "test"))

	ids := map[string]string{}
	for i := range 23 {
		name := fmt.Sprintf("user%02d", i)
		out, err := wd.CreateUser(&workdocs.CreateUserInput{OrganizationId: aws.String(rollcall.DevOrganizationID), Username: aws.String(name),
			GivenName: aws.String("Given"), Surname: aws.String(fmt.Sprintf("Surname%02d", 22-i)), Password: aws.String("correct-horse-1")})
		if err != nil {
			t.Fatalf("CreateUser %s: %v", name, err)
		}
		ids[name] = aws.StringValue(out.User.Id)
	}

	// Every user (and the seeded admin) exactly once, by user name, over 5 pages.
	var names []string
	pages := 0
	err := wd.DescribeUsersPages(&workdocs.DescribeUsersInput{OrganizationId: aws.String(rollcall.DevOrganizationID), Limit: aws.Int64(5)},
		func(out *workdocs.DescribeUsersOutput, last bool) bool {
			pages++
			for _, u := range out.Users {
				names = append(names, aws.StringValue(u.Username))
			}
			return true
		})
	if err != nil {
		t.Fatal(err)
	}
	if pages != 5 || len(names) != 24 || names[0] != "admin" || names[1] != "user00" || names[23] != "user22" {
		t.Fatalf("%d pages: %v", pages, names)
	}
	// Sorted by full name, descending: "Given Surname22" (user00) first.
	byName, err := wd.DescribeUsers(&workdocs.DescribeUsersInput{Sort: aws.String("FULL_NAME"), Order: aws.String("DESCENDING"),
		Query: aws.String("given"), Limit: aws.Int64(3), Fields: aws.String("STORAGE_METADATA")})
	if err != nil || len(byName.Users) != 3 || aws.StringValue(byName.Users[0].Username) != "user00" || byName.Users[0].Storage == nil || byName.Marker == nil {
		t.Fatalf("DescribeUsers by full name: %v %v", byName, err)
	}

	// GetCurrentUser with a token the admin API issues.
	token := issueWorkDocsToken(t, m.URL, rollcall.DevWorkDocsAdmin)
	anon := tokenClient(t, m.URL)
	me, err := anon.GetCurrentUser(&workdocs.GetCurrentUserInput{AuthenticationToken: aws.String(token)})
	if err != nil || aws.StringValue(me.User.Username) != rollcall.DevWorkDocsAdmin || aws.StringValue(me.User.Type) != "ADMIN" {
		t.Fatalf("GetCurrentUser: %v %v", me, err)
	}

	// The admin's token manages the organization's users.
	up, err := anon.UpdateUser(&workdocs.UpdateUserInput{AuthenticationToken: aws.String(token), UserId: aws.String(ids["user01"]),
		GivenName: aws.String("Ada"), Surname: aws.String("Lovelace"), Type: aws.String("ADMIN"), Locale: aws.String("en"),
		StorageRule: &workdocs.StorageRuleType{StorageType: aws.String("UNLIMITED")}})
	if err != nil || aws.StringValue(up.User.GivenName) != "Ada" || aws.StringValue(up.User.Type) != "ADMIN" ||
		aws.StringValue(up.User.Storage.StorageRule.StorageType) != "UNLIMITED" {
		t.Fatalf("UpdateUser: %v %v", up, err)
	}
	if _, err := wd.DeactivateUser(&workdocs.DeactivateUserInput{UserId: aws.String(ids["user02"])}); err != nil {
		t.Fatalf("DeactivateUser: %v", err)
	}
	if _, err := wd.DeactivateUser(&workdocs.DeactivateUserInput{UserId: aws.String(ids["user03"])}); err != nil {
		t.Fatalf("DeactivateUser: %v", err)
	}
	act, err := wd.ActivateUser(&workdocs.ActivateUserInput{UserId: aws.String(ids["user03"])})
	if err != nil || aws.StringValue(act.User.Status) != "ACTIVE" {
		t.Fatalf("ActivateUser: %v %v", act, err)
	}
	if _, err := anon.DeleteUser(&workdocs.DeleteUserInput{AuthenticationToken: aws.String(token), UserId: aws.String(ids["user04"])}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	_, err = wd.DeleteUser(&workdocs.DeleteUserInput{UserId: aws.String(ids["user04"])})
	if nf, ok := err.(*workdocs.EntityNotExistsException); !ok || aws.StringValue(nf.EntityIds[0]) != ids["user04"] {
		t.Fatalf("DeleteUser twice: %v", err)
	}
	// Another account sees none of it.
	other := workdocs.New(sdkSession(t, m.URL, "AKIANOSUCHKEY0000000", "x"))
	if _, err := other.DescribeUsers(&workdocs.DescribeUsersInput{}); awsCode(err) != workdocs.ErrCodeUnauthorizedOperationException {
		t.Fatalf("an unknown key: %v", err)
	}

	// A first page, then a restart.
	first, err := wd.DescribeUsers(&workdocs.DescribeUsersInput{Limit: aws.Int64(10)})
	if err != nil || len(first.Users) != 10 || first.Marker == nil {
		t.Fatalf("first page: %v %v", first, err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m = MustRunMain(t, dir)
	wd = workdocs.New(sdkSession(t, m.URL, "test", "test"))
	rest, err := wd.DescribeUsers(&workdocs.DescribeUsersInput{Limit: aws.Int64(100), Marker: first.Marker})
	if err != nil {
		t.Fatalf("the marker after a restart: %v", err)
	}
	all := append(first.Users, rest.Users...)
	status := map[string]*workdocs.User{}
	for _, u := range all {
		status[aws.StringValue(u.Username)] = u
	}
	// 24 - user04 (deleted) - user02 (inactive, left out by default).
	if len(all) != 22 || len(status) != 22 || status["user04"] != nil || status["user02"] != nil || rest.Marker != nil {
		t.Fatalf("after the restart: %d users: %v", len(all), status)
	}
	if u := status["user01"]; aws.StringValue(u.GivenName) != "Ada" || aws.StringValue(u.Surname) != "Lovelace" || aws.StringValue(u.Type) != "ADMIN" {
		t.Fatalf("user01 after the restart: %v", u)
	}
	inactive, err := wd.DescribeUsers(&workdocs.DescribeUsersInput{UserIds: aws.String(ids["user02"]), Include: aws.String("ALL")})
	if err != nil || len(inactive.Users) != 1 || aws.StringValue(inactive.Users[0].Status) != "INACTIVE" {
		t.Fatalf("user02 after the restart: %v %v", inactive, err)
	}
	if strings.Contains(m.log.String(), token) {
		t.Error("the log contains the WorkDocs token")
	}
}

// issueWorkDocsToken asks the admin API for an Authentication token of a dev
// organization user.
func issueWorkDocsToken(tb testing.TB, url, username string) string {
	tb.Helper()
	body := fmt.Sprintf(`{"accountId":%q,"organizationId":%q,"username":%q}`, rollcall.DevAccountID, rollcall.DevOrganizationID, username)
	req, _ := http.NewRequest(http.MethodPost, url+"/_rollcall/workdocs/tokens", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ AuthenticationToken string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated || out.AuthenticationToken == "" {
		tb.Fatalf("issue a WorkDocs token: %d %v", resp.StatusCode, err)
	}
	return out.AuthenticationToken
}
