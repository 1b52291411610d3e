package main

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"
)

// TestChimeInviteUsersDefaultLimit: InviteUsers mails up to 50 people a call, so it is
// limited by default (0.2/s, burst 5): the sixth call at once is ThrottledClientException
// and invites nobody; --rate-limit chime.InviteUsers=off lifts it.
func TestChimeInviteUsersDefaultLimit(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	c := devChime(t, m)
	id := mustChimeAccount(t, c, "Team").AccountId
	invite := func(email string) error {
		_, err := c.InviteUsers(&chime.InviteUsersInput{AccountId: id, UserEmailList: []*string{aws.String(email)}})
		return err
	}
	for i := range 5 {
		if err := invite(fmt.Sprintf("u%d@example.com", i)); err != nil {
			t.Fatalf("call %d of the burst: %v", i+1, err)
		}
	}
	if err := invite("sixth@example.com"); awsCode(err) != chime.ErrCodeThrottledClientException {
		t.Fatalf("sixth call: %v, want ThrottledClientException", err)
	}
	users, err := c.ListUsers(&chime.ListUsersInput{AccountId: id, UserEmail: aws.String("sixth@example.com")})
	if err != nil || len(users.Users) != 0 {
		t.Fatalf("the throttled call invited: %v %v", users, err)
	}

	m = MustRunMain(t, t.TempDir(), "--rate-limit", "chime.InviteUsers=off")
	c = devChime(t, m)
	id = mustChimeAccount(t, c, "Team").AccountId
	for i := range 10 {
		if err := invite(fmt.Sprintf("v%d@example.com", i)); err != nil {
			t.Fatalf("limit off, call %d: %v", i+1, err)
		}
	}
}
