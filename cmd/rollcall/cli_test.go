package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/testdeps"
)

// runCLI runs the AWS CLI against rollcall and decodes its JSON output into out.
func runCLI(tb testing.TB, url string, out any, args ...string) {
	tb.Helper()
	stdout, stderr, err := testdeps.AWS(tb, url, args...)
	if err != nil {
		tb.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(stdout), out); err != nil {
			tb.Fatalf("aws %s: %v in %s", strings.Join(args, " "), err, stdout)
		}
	}
}

func TestAWSCLI(t *testing.T) {
	testdeps.AWSCLI(t)
	m := MustRunMain(t, t.TempDir())

	var acct struct {
		Account struct{ AccountId, Name string }
	}
	runCLI(t, m.URL, &acct, "chime", "create-account", "--name", "CLI Demo")
	if acct.Account.AccountId == "" || acct.Account.Name != "CLI Demo" {
		t.Fatalf("chime create-account = %+v", acct)
	}
	var cu struct {
		User struct{ UserId, PrimaryEmail, UserType string }
	}
	runCLI(t, m.URL, &cu, "chime", "create-user", "--account-id", acct.Account.AccountId, "--email", "ada@example.com", "--user-type", "SharedDevice")
	if cu.User.UserId == "" || cu.User.PrimaryEmail != "ada@example.com" || cu.User.UserType != "SharedDevice" {
		t.Fatalf("chime create-user = %+v", cu)
	}
	var wu struct {
		User struct{ Id, Username, Status string }
	}
	runCLI(t, m.URL, &wu, "workdocs", "create-user", "--organization-id", rollcall.DevOrganizationID,
		"--username", "ada", "--given-name", "Ada", "--surname", "Lovelace", "--password", "correct-horse-1")
	if wu.User.Id == "" || wu.User.Username != "ada" || wu.User.Status != "ACTIVE" {
		t.Fatalf("workdocs create-user = %+v", wu)
	}
	var au struct{ UserArn string }
	runCLI(t, m.URL, &au, "alexaforbusiness", "create-user", "--user-id", "ada", "--first-name", "Ada", "--email", "ada@example.com")
	if !strings.HasPrefix(au.UserArn, "arn:aws:a4b:us-east-1:000000000000:user/") {
		t.Fatalf("alexaforbusiness create-user = %+v", au)
	}
}
