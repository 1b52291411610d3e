package workdocs_test

import (
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
	cli := h.srv.CLI(t, "workdocs")
	var out struct {
		User struct {
			Id, Username, Status, Type, OrganizationId, CreatedTimestamp string
			Storage                                                      struct {
				StorageRule struct{ StorageAllocatedInBytes int64 }
			}
		}
	}
	stdout := cli.MustJSON(&out, "create-user", "--organization-id", rollcall.DevOrganizationID, "--username", "ada",
		"--given-name", "Ada", "--surname", "Lovelace", "--password", "correct-horse-1", "--email-address", "ada@example.com",
		"--time-zone-id", "Europe/London", "--storage-rule", "StorageAllocatedInBytes=1073741824,StorageType=QUOTA")
	u := out.User
	created, err := time.Parse(time.RFC3339Nano, u.CreatedTimestamp)
	if u.Id == "" || u.Username != "ada" || u.Status != "ACTIVE" || u.Type != "USER" || u.OrganizationId != rollcall.DevOrganizationID ||
		u.Storage.StorageRule.StorageAllocatedInBytes != 1<<30 || err != nil || time.Since(created).Abs() > time.Minute {
		t.Fatalf("create-user printed %s", stdout)
	}
	h.MustUser(t, rollcall.DevOrganizationID, "ada")

	cli.MustFail([]string{"create-user", "--username", "ADA", "--given-name", "A", "--surname", "L", "--password", "pass"},
		"(EntityAlreadyExistsException) when calling the CreateUser operation",
		": The user ADA already exists in organization d-0000000000.")
	cli.MustFail([]string{"create-user", "--username", "a b", "--given-name", "A", "--surname", "L", "--password", "pass"},
		"(ValidationException) when calling the CreateUser operation",
		": 1 validation error detected: Value at 'username' failed to satisfy constraint")
}

// TestLifecycleCLI drives the companion operations with the real AWS CLI: describe-users
// auto-paginates (--page-size) over several pages and returns every user exactly once;
// update-user, deactivate-user, activate-user and delete-user work as documented.
func TestLifecycleCLI(t *testing.T) {
	h := MustHarness(t)
	cli := h.srv.CLI(t, "workdocs")
	var specs []spec
	for i := range 7 {
		specs = append(specs, spec{username: "cli" + strconv.Itoa(i)})
	}
	users := h.MustCreate(t, specs...)

	var list struct {
		Users []struct{ Id, Username, Status string }
	}
	cli.MustJSON(&list, "describe-users", "--organization-id", rollcall.DevOrganizationID, "--page-size", "2")
	seen := map[string]int{}
	for _, u := range list.Users {
		seen[u.Username]++
	}
	if len(list.Users) != 8 || len(seen) != 8 || seen["admin"] != 1 || seen["cli6"] != 1 {
		t.Fatalf("describe-users over pages of 2 returned %v", seen)
	}
	out := cli.MustJSON(&list, "describe-users", "--user-query", "cli", "--sort", "USER_NAME", "--order", "DESCENDING", "--max-items", "3")
	if len(list.Users) != 3 || list.Users[0].Username != "cli6" {
		t.Fatalf("describe-users --max-items 3: %s", out)
	}

	var one struct {
		User struct{ Id, Surname, Type, Status, Locale string }
	}
	out = cli.MustJSON(&one, "update-user", "--user-id", users[0].ID, "--surname", "Lovelace", "--type", "POWERUSER", "--locale", "de")
	if one.User.Surname != "Lovelace" || one.User.Type != "POWERUSER" || one.User.Locale != "de" {
		t.Fatalf("update-user printed %s", out)
	}
	if out := cli.Must("deactivate-user", "--user-id", users[0].ID); strings.TrimSpace(out) != "" {
		t.Fatalf("deactivate-user printed %q", out)
	}
	if st := h.MustUser(t, rollcall.DevOrganizationID, "cli0"); st.Status != "INACTIVE" {
		t.Fatalf("status %s", st.Status)
	}
	out = cli.MustJSON(&one, "activate-user", "--user-id", users[0].ID)
	if one.User.Status != "ACTIVE" {
		t.Fatalf("activate-user printed %s", out)
	}
	cli.Must("delete-user", "--user-id", users[0].ID)
	if n := len(h.MustUsers(t, rollcall.DevOrganizationID)); n != 6 {
		t.Fatalf("%d users left, want 6", n)
	}
}
