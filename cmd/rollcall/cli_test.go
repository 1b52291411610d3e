package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

// awsCLI finds Debian's AWS CLI v2: ROLLCALL_TEST_AWS_CLI, else /usr/bin/aws. A different
// aws may come first on PATH (an old v1 without these services), so PATH is not searched.
// Missing, the test fails under CI=true and skips elsewhere.
func awsCLI(tb testing.TB) string {
	tb.Helper()
	path := os.Getenv("ROLLCALL_TEST_AWS_CLI")
	if path == "" {
		path = "/usr/bin/aws"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the AWS CLI is missing at %s (apt-get install awscli)", path)
		}
		tb.Skipf("the AWS CLI is missing at %s", path)
	}
	return path
}

// runCLI runs the AWS CLI against rollcall and decodes its JSON output into out.
func runCLI(tb testing.TB, cli, url string, out any, args ...string) {
	tb.Helper()
	cmd := exec.Command(cli, append(args, "--endpoint-url", url, "--output", "json")...)
	cmd.Env = []string{
		"HOME=" + tb.TempDir(), "PATH=/usr/bin:/bin",
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1",
	}
	b, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		tb.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			tb.Fatalf("aws %s: %v in %s", strings.Join(args, " "), err, b)
		}
	}
}

func TestAWSCLI(t *testing.T) {
	cli := awsCLI(t)
	m := MustRunMain(t, t.TempDir())

	var acct struct {
		Account struct{ AccountId, Name string }
	}
	runCLI(t, cli, m.URL, &acct, "chime", "create-account", "--name", "CLI Demo")
	if acct.Account.AccountId == "" || acct.Account.Name != "CLI Demo" {
		t.Fatalf("chime create-account = %+v", acct)
	}
	var cu struct {
		User struct{ UserId, PrimaryEmail, UserType string }
	}
	runCLI(t, cli, m.URL, &cu, "chime", "create-user", "--account-id", acct.Account.AccountId, "--email", "ada@example.com", "--user-type", "SharedDevice")
	if cu.User.UserId == "" || cu.User.PrimaryEmail != "ada@example.com" || cu.User.UserType != "SharedDevice" {
		t.Fatalf("chime create-user = %+v", cu)
	}
	var wu struct {
		User struct{ Id, Username, Status string }
	}
	runCLI(t, cli, m.URL, &wu, "workdocs", "create-user", "--organization-id", rollcall.DevOrganizationID,
		"--username", "ada", "--given-name", "Ada", "--surname", "Lovelace", "--password", "correct-horse-1")
	if wu.User.Id == "" || wu.User.Username != "ada" || wu.User.Status != "ACTIVE" {
		t.Fatalf("workdocs create-user = %+v", wu)
	}
	var au struct{ UserArn string }
	runCLI(t, cli, m.URL, &au, "alexaforbusiness", "create-user", "--user-id", "ada", "--first-name", "Ada", "--email", "ada@example.com")
	if !strings.HasPrefix(au.UserArn, "arn:aws:a4b:us-east-1:000000000000:user/") {
		t.Fatalf("alexaforbusiness create-user = %+v", au)
	}
}
