package alexaforbusiness_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

// mustCLI returns a runner of Debian's AWS CLI against the harness. Under CI=true a
// missing CLI fails the test; elsewhere it skips.
func mustCLI(t *testing.T, h *harness) func(args ...string) (string, string, error) {
	t.Helper()
	return h.srv.CLI(t, "alexaforbusiness")
}

// TestSearchUsersCLI: the AWS CLI's auto-pagination walks every page (--page-size is
// MaxResults) and returns each user once; then delete-user and the tag commands.
func TestSearchUsersCLI(t *testing.T) {
	h := MustHarness(t)
	log := h.srv.Log
	run := mustCLI(t, h)
	var people []person
	for i := 0; i < 12; i++ {
		people = append(people, person{ID: fmt.Sprintf("user%02d", i), First: "First", Last: fmt.Sprintf("Last%02d", 11-i), Email: fmt.Sprintf("u%d@example.com", i)})
	}
	arns := h.MustCreate(t, rollcall.DevAccountID, people...)
	h.MustCreate(t, otherAccountID, person{ID: "theirs"})

	type userData struct{ UserArn, FirstName, LastName, Email, EnrollmentStatus, EnrollmentId string }
	search := func(args ...string) []userData {
		t.Helper()
		before := log.Count("op=SearchUsers")
		stdout, stderr, err := run(append([]string{"search-users"}, args...)...)
		if err != nil {
			t.Fatalf("search-users %v: %v\n%s", args, err, stderr)
		}
		var out struct {
			Users     []userData
			NextToken string
		}
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("search-users printed %q: %v", stdout, err)
		}
		if out.NextToken != "" {
			t.Fatalf("auto-pagination left a NextToken: %s", stdout)
		}
		t.Logf("search-users %v: %d requests", args, log.Count("op=SearchUsers")-before)
		if n := log.Count("op=SearchUsers") - before; n != 3 {
			t.Errorf("search-users %v made %d requests, want 3 pages", args, n)
		}
		return out.Users
	}
	ids := func(users []userData) []string {
		byArn := map[string]string{}
		for id, arn := range arns {
			byArn[arn] = id
		}
		var out []string
		for _, u := range users {
			out = append(out, byArn[u.UserArn])
		}
		return out
	}
	// By UserId, descending (index-backed), and by LastName (scan): 12 users in pages of 5.
	got := ids(search("--page-size", "5", "--sort-criteria", "Key=UserId,Value=DESC"))
	want := []string{"user11", "user10", "user09", "user08", "user07", "user06", "user05", "user04", "user03", "user02", "user01", "user00"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("by UserId DESC: %v", got)
	}
	users := search("--page-size", "5", "--filters", "Key=FirstName,Values=First", "--sort-criteria", "Key=LastName,Value=ASC")
	if got := ids(users); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("by LastName: %v", got)
	}
	u := users[0]
	if u.FirstName != "First" || u.LastName != "Last00" || u.Email != "u11@example.com" || u.EnrollmentStatus != "INITIALIZED" ||
		u.EnrollmentId != strings.Replace(arns["user11"], ":user/", ":enrollment/", 1) {
		t.Errorf("user %+v", u)
	}

	// Tags, then delete-user with the EnrollmentId search-users printed.
	if _, stderr, err := run("tag-resource", "--arn", u.UserArn, "--tags", "Key=team,Value=engine", "Key=floor,Value=3"); err != nil {
		t.Fatalf("tag-resource: %v\n%s", err, stderr)
	}
	if _, stderr, err := run("untag-resource", "--arn", u.UserArn, "--tag-keys", "floor"); err != nil {
		t.Fatalf("untag-resource: %v\n%s", err, stderr)
	}
	stdout, stderr, err := run("list-tags", "--arn", u.UserArn)
	if err != nil || strings.Join(strings.Fields(stdout), "") != `{"Tags":[{"Key":"team","Value":"engine"}]}` {
		t.Fatalf("list-tags: %v %q\n%s", err, stdout, stderr)
	}
	if _, stderr, err := run("delete-user", "--user-arn", u.UserArn, "--enrollment-id", u.EnrollmentId); err != nil {
		t.Fatalf("delete-user: %v\n%s", err, stderr)
	}
	_, stderr, err = run("delete-user", "--user-arn", u.UserArn, "--enrollment-id", u.EnrollmentId)
	if err == nil || !strings.Contains(stderr, "(NotFoundException) when calling the DeleteUser operation") {
		t.Fatalf("second delete-user: %v %q", err, stderr)
	}
	if n := len(h.MustUsers(t, rollcall.DevAccountID)); n != 11 {
		t.Fatalf("%d users after delete-user, want 11", n)
	}
	_, stderr, err = run("search-users", "--page-size", "5", "--starting-token", "forged")
	if err == nil || !strings.Contains(stderr, "ValidationException") {
		t.Fatalf("forged starting token: %v %q", err, stderr)
	}
}
