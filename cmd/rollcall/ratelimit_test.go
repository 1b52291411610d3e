package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/request"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
)

func createBusinessUser(tb testing.TB, m *testMain, email string) (*http.Response, string) {
	tb.Helper()
	body := `{"accountHolder":{"email":"` + email + `","givenName":"Ada","familyName":"Lovelace"},"region":"US","notificationTypesToSuppress":["EMAIL"]}`
	return mustDo(tb, businessCreateRequest(m.URL, rollcall.DevAccessToken, body))
}

// TestBusinessRateLimit: the documented 1 request/s with a burst of 5 is the default; the
// sixth request in a burst is 429 in ErrorList form and creates nothing.
func TestBusinessRateLimit(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	for i := range 5 {
		resp, body := createBusinessUser(t, m, fmt.Sprintf("u%d@example.com", i))
		if resp.StatusCode != http.StatusCreated || resp.Header.Get("x-amzn-RateLimit-Limit") != "1.0" {
			t.Fatalf("request %d of the burst: %d %s (limit header %q)", i+1, resp.StatusCode, body, resp.Header.Get("x-amzn-RateLimit-Limit"))
		}
	}
	resp, body := createBusinessUser(t, m, "sixth@example.com")
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, `"code":"TOO_MANY_REQUESTS"`) || resp.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("sixth request: %d %s", resp.StatusCode, body)
	}
	// Throttled, so not created: after the bucket refills the same email is still free.
	m.Close()
	m = MustRunMain(t, t.TempDir(), "--rate-limit", "amazonbusiness.createBusinessUserAccount=off")
	for i := range 20 {
		if resp, body := createBusinessUser(t, m, fmt.Sprintf("v%d@example.com", i)); resp.StatusCode != http.StatusCreated {
			t.Fatalf("limit off, request %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
}

func TestChimeRateLimitConfigured(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--rate-limit", "chime.CreateAccount=0.001/2")
	c := devChime(t, m)
	for range 2 {
		if _, err := c.CreateAccount(&chime.CreateAccountInput{Name: aws.String("x")}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.CreateAccount(&chime.CreateAccountInput{Name: aws.String("x")})
	if awsCode(err) != chime.ErrCodeThrottledClientException {
		t.Fatalf("third CreateAccount: %v, want ThrottledClientException", err)
	}
	// Other operations and other tenants have their own buckets.
	if _, err := c.ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatal(err)
	}
}

// TestA4BAndWorkDocsRateLimits: both faces take their limits from --rate-limit and answer
// with their own throttling error; a throttled request creates nothing.
func TestA4BAndWorkDocsRateLimits(t *testing.T) {
	dir := t.TempDir()
	m := MustRunMain(t, dir, "--rate-limit", "alexaforbusiness.CreateUser=0.001/1,workdocs.CreateUser=0.001/1")
	sess := sdkSession(t, m.URL, "test", "test")

	a4b := alexaforbusiness.New(sess)
	if _, err := a4b.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("first")}); err != nil {
		t.Fatal(err)
	}
	_, err := a4b.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("second")})
	if awsCode(err) != "ThrottlingException" {
		t.Fatalf("second a4b CreateUser: %v, want ThrottlingException", err)
	}

	wd := workdocs.New(sess)
	in := func(name string) *workdocs.CreateUserInput {
		return &workdocs.CreateUserInput{OrganizationId: aws.String(rollcall.DevOrganizationID), Username: aws.String(name),
			GivenName: aws.String("Ada"), Surname: aws.String("Lovelace"), Password: aws.String("correct-horse-1")}
	}
	if _, err := wd.CreateUser(in("first")); err != nil {
		t.Fatal(err)
	}
	_, err = wd.CreateUser(in("second"))
	// The model declares no throttling error, so AWS's common one, which the SDK retries.
	if awsCode(err) != "ThrottlingException" || !request.IsErrorThrottle(err) {
		t.Fatalf("second workdocs CreateUser: %v, want ThrottlingException, retried as throttling", err)
	}

	// Neither throttled request created its user: retrying them after the limit is lifted
	// succeeds (a duplicate would be a conflict).
	m.Close()
	m2 := MustRunMain(t, dir, "--rate-limit", "alexaforbusiness.CreateUser=off,workdocs.CreateUser=off")
	sess = sdkSession(t, m2.URL, "test", "test")
	if _, err := alexaforbusiness.New(sess).CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("second")}); err != nil {
		t.Fatalf("a4b user 'second' after the limit is lifted: %v", err)
	}
	if _, err := workdocs.New(sess).CreateUser(in("second")); err != nil {
		t.Fatalf("workdocs user 'second' after the limit is lifted: %v", err)
	}
}

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
