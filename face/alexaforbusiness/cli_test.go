package alexaforbusiness_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

// TestCreateUserCLI runs the quickstart's command with the real AWS CLI.
func TestCreateUserCLI(t *testing.T) {
	h := MustHarness(t)
	run := h.srv.CLI(t, "alexaforbusiness")
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
