package alexaforbusiness_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

// TestSearchUsersCLI: the AWS CLI's auto-pagination walks every page (--page-size is
// MaxResults) and returns each user once; then delete-user and the tag commands.
func TestSearchUsersCLI(t *testing.T) {
	h := MustHarness(t)
	log := h.srv.Log
	cli := h.srv.CLI(t, "alexaforbusiness")
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
		var out struct {
			Users     []userData
			NextToken string
		}
		stdout := cli.MustJSON(&out, append([]string{"search-users"}, args...)...)
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
	cli.Must("tag-resource", "--arn", u.UserArn, "--tags", "Key=team,Value=engine", "Key=floor,Value=3")
	cli.Must("untag-resource", "--arn", u.UserArn, "--tag-keys", "floor")
	if stdout := cli.Must("list-tags", "--arn", u.UserArn); strings.Join(strings.Fields(stdout), "") != `{"Tags":[{"Key":"team","Value":"engine"}]}` {
		t.Fatalf("list-tags printed %q", stdout)
	}
	cli.Must("delete-user", "--user-arn", u.UserArn, "--enrollment-id", u.EnrollmentId)
	cli.MustFail([]string{"delete-user", "--user-arn", u.UserArn, "--enrollment-id", u.EnrollmentId},
		"(NotFoundException) when calling the DeleteUser operation")
	if n := len(h.MustUsers(t, rollcall.DevAccountID)); n != 11 {
		t.Fatalf("%d users after delete-user, want 11", n)
	}
	cli.MustFail([]string{"search-users", "--page-size", "5", "--starting-token", "forged"}, "ValidationException")
}
