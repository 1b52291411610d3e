package alexaforbusiness_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

// awsCLI is Debian's AWS CLI v2 (another aws may come first on PATH).
const awsCLI = "/usr/bin/aws"

// TestCreateUserCLI runs the quickstart's command with the real AWS CLI.
func TestCreateUserCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: starts the AWS CLI")
	}
	if _, err := os.Stat(awsCLI); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the AWS CLI is missing at " + awsCLI + " (apt-get install awscli)")
		}
		t.Skip("no AWS CLI at " + awsCLI)
	}
	h := MustHarness(t)
	run := func(args ...string) (string, string, error) {
		home := t.TempDir()
		cmd := exec.Command(awsCLI, append([]string{"--endpoint-url", h.srv.URL, "--output", "json", "alexaforbusiness"}, args...)...)
		cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
			"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=" + home + "/config", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/credentials",
			"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1"}
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	stdout, stderr, err := run("create-user", "--user-id", "ada", "--first-name", "Ada", "--last-name", "Lovelace",
		"--email", "ada@example.com", "--tags", "Key=team,Value=engine")
	if err != nil {
		t.Fatalf("create-user: %v\n%s", err, stderr)
	}
	var out struct{ UserArn string }
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || !userArn.MatchString(out.UserArn) {
		t.Fatalf("create-user printed %q (%v)", stdout, err)
	}
	if users := h.MustUsers(t, rollcall.DevAccountID); len(users) != 1 || len(users[0].Attrs.Tags) != 1 {
		t.Fatalf("stored %+v", users)
	}
	_, stderr, err = run("create-user", "--user-id", "ada")
	if err == nil || !strings.Contains(stderr, "(ResourceInUseException) when calling the CreateUser operation") ||
		!strings.Contains(stderr, ": A user with UserId ada already exists.") {
		t.Fatalf("second create-user: err %v, stderr %q", err, stderr)
	}
	_, stderr, err = run("create-user", "--user-id", "a b")
	if err == nil || !strings.Contains(stderr, "(ValidationException)") {
		t.Fatalf("invalid create-user: err %v, stderr %q", err, stderr)
	}
}
