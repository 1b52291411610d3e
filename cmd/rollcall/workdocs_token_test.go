package main

import (
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
)

// createWithToken is a WorkDocs CreateUser made with an Authentication token.
func createWithToken(wd *workdocs.WorkDocs, token, username string) error {
	_, err := wd.CreateUser(&workdocs.CreateUserInput{AuthenticationToken: aws.String(token), OrganizationId: aws.String(rollcall.DevOrganizationID),
		Username: aws.String(username), GivenName: aws.String("Ada"), Surname: aws.String("Lovelace"), Password: aws.String("correct-horse-1")})
	return err
}

// workDocsUserID finds a dev organization user's ID with AWS credentials; "" if none.
func workDocsUserID(tb testing.TB, wd *workdocs.WorkDocs, username string) string {
	tb.Helper()
	out, err := wd.DescribeUsers(&workdocs.DescribeUsersInput{OrganizationId: aws.String(rollcall.DevOrganizationID), Query: aws.String(username), Include: aws.String("ALL")})
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range out.Users {
		if aws.StringValue(u.Username) == username {
			return aws.StringValue(u.Id)
		}
	}
	return ""
}

// TestDeletedSeededAdminTokenRefused reproduces the report: the seeded admin is deleted,
// rollcall restarts (the seed creates the admin again), and the deleted admin's token
// must not create a user. It is refused at once, before the restart too; the admin the
// seed creates again is a new user, with a new ID, whose own tokens work.
func TestDeletedSeededAdminTokenRefused(t *testing.T) {
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	aws4 := workdocs.New(sdkSession(t, m.URL, "test", "test"))
	anon := tokenClient(t, m.URL)
	old := issueWorkDocsToken(t, m.URL, rollcall.DevWorkDocsAdmin)
	if err := createWithToken(anon, old, "before"); err != nil {
		t.Fatal(err)
	}
	oldID := workDocsUserID(t, aws4, rollcall.DevWorkDocsAdmin)
	if _, err := aws4.DeleteUser(&workdocs.DeleteUserInput{UserId: aws.String(oldID)}); err != nil {
		t.Fatal(err)
	}
	if err := createWithToken(anon, old, "deleted"); awsCode(err) != workdocs.ErrCodeUnauthorizedOperationException {
		t.Fatalf("the deleted admin's token: %v, want UnauthorizedOperationException", err)
	}

	m.Close()
	m = MustRunMain(t, dir)
	aws4, anon = workdocs.New(sdkSession(t, m.URL, "test", "test")), tokenClient(t, m.URL)
	if err := createWithToken(anon, old, "after-restart"); awsCode(err) != workdocs.ErrCodeUnauthorizedOperationException {
		t.Fatalf("the deleted admin's token after a restart: %v, want UnauthorizedOperationException", err)
	}
	for _, name := range []string{"deleted", "after-restart"} {
		if id := workDocsUserID(t, aws4, name); id != "" {
			t.Errorf("the refused token created %s", name)
		}
	}
	newID := workDocsUserID(t, aws4, rollcall.DevWorkDocsAdmin)
	if newID == "" || newID == oldID {
		t.Fatalf("the seed re-created the admin with ID %q, want a new one (the deleted one was %q)", newID, oldID)
	}
	if err := createWithToken(anon, issueWorkDocsToken(t, m.URL, rollcall.DevWorkDocsAdmin), "by-new-admin"); err != nil {
		t.Fatalf("the new admin's token: %v", err)
	}
}

// TestDeactivationRevokesTokens: deactivating a user revokes its tokens at once, and
// activating it again does not bring them back; a token issued after works.
func TestDeactivationRevokesTokens(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	aws4, anon := workdocs.New(sdkSession(t, m.URL, "test", "test")), tokenClient(t, m.URL)
	old := issueWorkDocsToken(t, m.URL, rollcall.DevWorkDocsAdmin)
	id := aws.String(workDocsUserID(t, aws4, rollcall.DevWorkDocsAdmin))
	if _, err := aws4.DeactivateUser(&workdocs.DeactivateUserInput{UserId: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := anon.GetCurrentUser(&workdocs.GetCurrentUserInput{AuthenticationToken: aws.String(old)}); awsCode(err) != workdocs.ErrCodeUnauthorizedOperationException {
		t.Fatalf("token of a deactivated user: %v, want UnauthorizedOperationException", err)
	}
	if _, err := aws4.ActivateUser(&workdocs.ActivateUserInput{UserId: id}); err != nil {
		t.Fatal(err)
	}
	if err := createWithToken(anon, old, "revived"); awsCode(err) != workdocs.ErrCodeUnauthorizedOperationException {
		t.Fatalf("token from before the deactivation, after activation: %v, want UnauthorizedOperationException", err)
	}
	if err := createWithToken(anon, issueWorkDocsToken(t, m.URL, rollcall.DevWorkDocsAdmin), "fresh"); err != nil {
		t.Fatalf("a token issued after activation: %v", err)
	}
}
