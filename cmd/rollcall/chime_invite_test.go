package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall/mail/mailtest"
)

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestChimeInvitationAccepted: InviteUsers through the SDK sends an invitation over SMTP;
// accepting its link shows through GetUser as Accepted and Registered.
func TestChimeInvitationAccepted(t *testing.T) {
	relay := mailtest.Start(t, mailtest.Options{})
	m := MustRunMain(t, t.TempDir(), "--smtp-url", relay.URL())
	ch := devChime(t, m)
	acct := mustChimeAccount(t, ch, "Team")
	out, err := ch.InviteUsers(&chime.InviteUsersInput{AccountId: acct.AccountId, UserEmailList: []*string{aws.String("grace@example.com")}})
	if err != nil || len(out.Invites) != 1 {
		t.Fatalf("InviteUsers: %v %v", out, err)
	}
	e, err := mailtest.Parse(relay.Wait(t, 1, 30*time.Second)[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	link := e.InvitationLink()
	path := link[strings.Index(link, "/invitations/"):]
	resp, page := mustDo(t, mustRequest(t, http.MethodGet, m.URL+path, ""))
	tok := csrfInput.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || tok == nil || !strings.Contains(page, "Team") {
		t.Fatalf("invitation page: %d\n%s", resp.StatusCode, page)
	}
	form := url.Values{"csrf": {tok[1]}, "accept": {"1"}}
	req := mustRequest(t, http.MethodPost, m.URL+path, form.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, body := mustDo(t, req); resp.StatusCode != http.StatusOK {
		t.Fatalf("accept: %d\n%s", resp.StatusCode, body)
	}
	users, err := ch.ListUsers(&chime.ListUsersInput{AccountId: acct.AccountId, UserEmail: aws.String("grace@example.com")})
	if err != nil || len(users.Users) != 1 {
		t.Fatalf("ListUsers: %v %v", users, err)
	}
	u := users.Users[0]
	if aws.StringValue(u.UserInvitationStatus) != "Accepted" || aws.StringValue(u.UserRegistrationStatus) != "Registered" || u.RegisteredOn == nil {
		t.Fatalf("after acceptance: %v", u)
	}
	// The link worked once.
	if resp, _ := mustDo(t, mustRequest(t, http.MethodGet, m.URL+path, "")); resp.StatusCode != http.StatusGone {
		t.Fatalf("the used link answers %d", resp.StatusCode)
	}
}

func mustRequest(tb testing.TB, method, url, body string) *http.Request {
	tb.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return req
}
