package workdocs_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// awsCLI is Debian's AWS CLI v2 (another aws may come first on PATH).
const awsCLI = "/usr/bin/aws"

// TestCreateUserCLI runs the quickstart's command with the real AWS CLI (botocore parses
// the epoch-seconds timestamps and the error shapes).
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
		cmd := exec.Command(awsCLI, append([]string{"--endpoint-url", h.srv.URL, "--output", "json", "workdocs"}, args...)...)
		cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
			"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=" + home + "/config", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/credentials",
			"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1", "TZ=UTC"}
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}
	stdout, stderr, err := run("create-user", "--organization-id", rollcall.DevOrganizationID, "--username", "ada",
		"--given-name", "Ada", "--surname", "Lovelace", "--password", "correct-horse-1", "--email-address", "ada@example.com",
		"--time-zone-id", "Europe/London", "--storage-rule", "StorageAllocatedInBytes=1073741824,StorageType=QUOTA")
	if err != nil {
		t.Fatalf("create-user: %v\n%s", err, stderr)
	}
	var out struct {
		User struct {
			Id, Username, Status, Type, OrganizationId, CreatedTimestamp string
			Storage                                                      struct {
				StorageRule struct{ StorageAllocatedInBytes int64 }
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("create-user printed %q: %v", stdout, err)
	}
	u := out.User
	created, err := time.Parse(time.RFC3339Nano, u.CreatedTimestamp)
	if u.Id == "" || u.Username != "ada" || u.Status != "ACTIVE" || u.Type != "USER" || u.OrganizationId != rollcall.DevOrganizationID ||
		u.Storage.StorageRule.StorageAllocatedInBytes != 1<<30 || err != nil || time.Since(created).Abs() > time.Minute {
		t.Fatalf("create-user printed %s", stdout)
	}
	h.MustUser(t, rollcall.DevOrganizationID, "ada")

	_, stderr, err = run("create-user", "--username", "ADA", "--given-name", "A", "--surname", "L", "--password", "pass")
	if err == nil || !strings.Contains(stderr, "(EntityAlreadyExistsException) when calling the CreateUser operation") ||
		!strings.Contains(stderr, ": The user ADA already exists in organization d-0000000000.") {
		t.Fatalf("second create-user: err %v, stderr %q", err, stderr)
	}
	_, stderr, err = run("create-user", "--username", "a b", "--given-name", "A", "--surname", "L", "--password", "pass")
	if err == nil || !strings.Contains(stderr, "(ValidationException) when calling the CreateUser operation") ||
		!strings.Contains(stderr, ": 1 validation error detected: Value at 'username' failed to satisfy constraint") {
		t.Fatalf("invalid create-user: err %v, stderr %q", err, stderr)
	}
}
