package alexaforbusiness_test

import (
	"testing"

	"github.com/rollcall/rollcall"
)

// TestCreateUserCLI runs the quickstart's command with the real AWS CLI.
func TestCreateUserCLI(t *testing.T) {
	h := MustHarness(t)
	cli := h.srv.CLI(t, "alexaforbusiness")
	var out struct{ UserArn string }
	if stdout := cli.MustJSON(&out, "create-user", "--user-id", "ada", "--first-name", "Ada", "--last-name", "Lovelace",
		"--email", "ada@example.com", "--tags", "Key=team,Value=engine"); !userArn.MatchString(out.UserArn) {
		t.Fatalf("create-user printed %q", stdout)
	}
	if users := h.MustUsers(t, rollcall.DevAccountID); len(users) != 1 || len(users[0].Attrs.Tags) != 1 {
		t.Fatalf("stored %+v", users)
	}
	cli.MustFail([]string{"create-user", "--user-id", "ada"},
		"(ResourceInUseException) when calling the CreateUser operation", ": A user with UserId ada already exists.")
	cli.MustFail([]string{"create-user", "--user-id", "a b"}, "(ValidationException)")
}
