package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall/store/postgres/pgtest"
)

// TestAlexaLifecycleEndToEnd drives SearchUsers, DeleteUser and the tag operations with
// the official aws-sdk-go v1 client through the real server, on SQLite and on PostgreSQL.
func TestAlexaLifecycleEndToEnd(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			var args []string
			if backend == "postgres" {
				args = []string{"--store", pgtest.FreshDB(t)}
			}
			m := MustRunMain(t, dir, args...)
			a4b := alexaforbusiness.New(sdkSession(t, m.URL, "test", "test"))
			arns := map[string]string{}
			for i := 0; i < 11; i++ {
				id := fmt.Sprintf("user%02d", i)
				out, err := a4b.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String(id), FirstName: aws.String("F" + fmt.Sprint(i%2)),
					LastName: aws.String(fmt.Sprintf("L%02d", 10-i)), Email: aws.String(id + "@example.com")})
				if err != nil {
					t.Fatalf("CreateUser %s: %v", id, err)
				}
				arns[aws.StringValue(out.UserArn)] = id
			}
			walk := func(in *alexaforbusiness.SearchUsersInput) (ids []string, pages int, users []*alexaforbusiness.UserData) {
				t.Helper()
				err := a4b.SearchUsersPages(in, func(out *alexaforbusiness.SearchUsersOutput, last bool) bool {
					pages++
					for _, u := range out.Users {
						ids = append(ids, arns[aws.StringValue(u.UserArn)])
						users = append(users, u)
					}
					return pages < 100
				})
				if err != nil {
					t.Fatalf("SearchUsersPages: %v", err)
				}
				return ids, pages, users
			}
			sortBy := func(k, v string) []*alexaforbusiness.Sort {
				return []*alexaforbusiness.Sort{{Key: aws.String(k), Value: aws.String(v)}}
			}
			// Index-backed (UserId), scan (LastName) and filtered walks, four at a time.
			ids, pages, users := walk(&alexaforbusiness.SearchUsersInput{MaxResults: aws.Int64(4), SortCriteria: sortBy("UserId", "ASC")})
			if strings.Join(ids, ",") != "user00,user01,user02,user03,user04,user05,user06,user07,user08,user09,user10" || pages != 3 {
				t.Fatalf("by UserId: %d pages of %v", pages, ids)
			}
			if u := users[0]; aws.StringValue(u.FirstName) != "F0" || aws.StringValue(u.LastName) != "L10" || aws.StringValue(u.Email) != "user00@example.com" ||
				aws.StringValue(u.EnrollmentStatus) != alexaforbusiness.EnrollmentStatusInitialized || aws.StringValue(u.EnrollmentId) == "" {
				t.Fatalf("first user %s", u)
			}
			ids, pages, _ = walk(&alexaforbusiness.SearchUsersInput{MaxResults: aws.Int64(4), SortCriteria: sortBy("LastName", "ASC")})
			if strings.Join(ids, ",") != "user10,user09,user08,user07,user06,user05,user04,user03,user02,user01,user00" || pages != 3 {
				t.Fatalf("by LastName: %d pages of %v", pages, ids)
			}
			ids, pages, _ = walk(&alexaforbusiness.SearchUsersInput{MaxResults: aws.Int64(2), SortCriteria: sortBy("UserId", "DESC"),
				Filters: []*alexaforbusiness.Filter{{Key: aws.String("FirstName"), Values: aws.StringSlice([]string{"F1"})}}})
			if strings.Join(ids, ",") != "user09,user07,user05,user03,user01" || pages != 3 {
				t.Fatalf("filtered: %d pages of %v", pages, ids)
			}

			// A NextToken works on another replica of the same database (PostgreSQL), and
			// after a restart (SQLite): the key that seals it is shared through the store.
			first, err := a4b.SearchUsers(&alexaforbusiness.SearchUsersInput{MaxResults: aws.Int64(4), SortCriteria: sortBy("LastName", "DESC")})
			if err != nil || first.NextToken == nil {
				t.Fatalf("first page: %v %v", err, first)
			}
			other := m
			if backend == "postgres" {
				other = MustRunMain(t, t.TempDir(), args...)
			} else {
				m.Close()
				m = MustRunMain(t, dir)
				other = m
				a4b = alexaforbusiness.New(sdkSession(t, m.URL, "test", "test"))
			}
			next, err := alexaforbusiness.New(sdkSession(t, other.URL, "test", "test")).SearchUsers(&alexaforbusiness.SearchUsersInput{
				MaxResults: aws.Int64(4), SortCriteria: sortBy("LastName", "DESC"), NextToken: first.NextToken})
			if err != nil || len(next.Users) != 4 || arns[aws.StringValue(next.Users[0].UserArn)] != "user04" {
				t.Fatalf("second page elsewhere: %v %v", err, next)
			}

			// Tags on a user ARN.
			arn, enrollment := users[3].UserArn, users[3].EnrollmentId
			if _, err := a4b.TagResource(&alexaforbusiness.TagResourceInput{Arn: arn, Tags: []*alexaforbusiness.Tag{
				{Key: aws.String("team"), Value: aws.String("engine")}, {Key: aws.String("floor"), Value: aws.String("3")}}}); err != nil {
				t.Fatalf("TagResource: %v", err)
			}
			if _, err := a4b.UntagResource(&alexaforbusiness.UntagResourceInput{Arn: arn, TagKeys: aws.StringSlice([]string{"floor"})}); err != nil {
				t.Fatalf("UntagResource: %v", err)
			}
			tags, err := a4b.ListTags(&alexaforbusiness.ListTagsInput{Arn: arn})
			if err != nil || len(tags.Tags) != 1 || aws.StringValue(tags.Tags[0].Key) != "team" || aws.StringValue(tags.Tags[0].Value) != "engine" {
				t.Fatalf("ListTags: %v %v", err, tags)
			}

			// DeleteUser, then it is gone from every walk.
			if _, err := a4b.DeleteUser(&alexaforbusiness.DeleteUserInput{UserArn: arn, EnrollmentId: enrollment}); err != nil {
				t.Fatalf("DeleteUser: %v", err)
			}
			_, err = a4b.DeleteUser(&alexaforbusiness.DeleteUserInput{UserArn: arn, EnrollmentId: enrollment})
			if awsCode(err) != alexaforbusiness.ErrCodeNotFoundException {
				t.Fatalf("second DeleteUser: %v", err)
			}
			ids, _, _ = walk(&alexaforbusiness.SearchUsersInput{MaxResults: aws.Int64(4)})
			if len(ids) != 10 || strings.Contains(strings.Join(ids, ","), "user03") {
				t.Fatalf("after DeleteUser: %v", ids)
			}
		})
	}
}
