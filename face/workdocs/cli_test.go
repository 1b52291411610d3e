package workdocs_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestCreateUserCLI runs the quickstart's command with the real AWS CLI (botocore parses
// the epoch-seconds timestamps and the error shapes).
func TestCreateUserCLI(t *testing.T) {
	h := MustHarness(t)
	run := h.srv.CLI(t, "workdocs")
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

// TestLifecycleCLI drives the companion operations with the real AWS CLI: describe-users
// auto-paginates (--page-size) over several pages and returns every user exactly once;
// update-user, deactivate-user, activate-user and delete-user work as documented.
func TestLifecycleCLI(t *testing.T) {
	h := MustHarness(t)
	cli := h.srv.CLI(t, "workdocs")
	run := func(args ...string) string {
		t.Helper()
		stdout, stderr, err := cli(args...)
		if err != nil {
			t.Fatalf("aws workdocs %s: %v\n%s", strings.Join(args, " "), err, stderr)
		}
		return stdout
	}
	var specs []spec
	for i := range 7 {
		specs = append(specs, spec{username: "cli" + strconv.Itoa(i)})
	}
	users := h.MustCreate(t, specs...)

	var list struct {
		Users []struct{ Id, Username, Status string }
	}
	out := run("describe-users", "--organization-id", rollcall.DevOrganizationID, "--page-size", "2")
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("describe-users printed %q: %v", out, err)
	}
	seen := map[string]int{}
	for _, u := range list.Users {
		seen[u.Username]++
	}
	if len(list.Users) != 8 || len(seen) != 8 || seen["admin"] != 1 || seen["cli6"] != 1 {
		t.Fatalf("describe-users over pages of 2 returned %v", seen)
	}
	out = run("describe-users", "--user-query", "cli", "--sort", "USER_NAME", "--order", "DESCENDING", "--max-items", "3")
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Users) != 3 || list.Users[0].Username != "cli6" {
		t.Fatalf("describe-users --max-items 3: %s", out)
	}

	var one struct {
		User struct{ Id, Surname, Type, Status, Locale string }
	}
	out = run("update-user", "--user-id", users[0].ID, "--surname", "Lovelace", "--type", "POWERUSER", "--locale", "de")
	if err := json.Unmarshal([]byte(out), &one); err != nil || one.User.Surname != "Lovelace" || one.User.Type != "POWERUSER" || one.User.Locale != "de" {
		t.Fatalf("update-user printed %s", out)
	}
	if out := run("deactivate-user", "--user-id", users[0].ID); strings.TrimSpace(out) != "" {
		t.Fatalf("deactivate-user printed %q", out)
	}
	if st := h.MustUser(t, rollcall.DevOrganizationID, "cli0"); st.Status != "INACTIVE" {
		t.Fatalf("status %s", st.Status)
	}
	out = run("activate-user", "--user-id", users[0].ID)
	if err := json.Unmarshal([]byte(out), &one); err != nil || one.User.Status != "ACTIVE" {
		t.Fatalf("activate-user printed %s", out)
	}
	run("delete-user", "--user-id", users[0].ID)
	if n := len(h.MustUsers(t, rollcall.DevOrganizationID)); n != 6 {
		t.Fatalf("%d users left, want 6", n)
	}
}
