package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/chromedp/chromedp"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/mail/mailtest"
)

// TestBrowserAlexaEnrollment drives an Alexa for Business enrollment end to end: the AWS
// CLI configures the invitation and invites, aws-sdk-go v1 re-sends and revokes and
// watches SearchUsers, the invitations arrive at a real SMTP relay, and Debian's
// Chromium follows their links. A user goes INITIALIZED -> PENDING -> REGISTERED; a
// re-sent invitation's old link and a revoked invitation's link show the same "no
// longer valid" page as a used one; the console shows each state.
func TestBrowserAlexaEnrollment(t *testing.T) {
	testdeps.AWSCLI(t)
	ctx := mustBrowser(t)
	artifacts := artifactsDir(t)
	relay := mailtest.Start(t, mailtest.Options{})
	m := MustRunMain(t, t.TempDir(), "--smtp-url", relay.URL())
	a4b := alexaforbusiness.New(sdkSession(t, m.URL, "test", "test"))

	runCLI(t, m.URL, nil, "alexaforbusiness", "put-invitation-configuration", "--organization-name", "Acme Café",
		"--contact-email", "it-help@acme.example", "--private-skill-ids", "amzn1.ask.skill.0123abcd")
	var cfg struct {
		OrganizationName, ContactEmail string
		PrivateSkillIds                []string
	}
	runCLI(t, m.URL, &cfg, "alexaforbusiness", "get-invitation-configuration")
	if cfg.OrganizationName != "Acme Café" || cfg.ContactEmail != "it-help@acme.example" || len(cfg.PrivateSkillIds) != 1 {
		t.Fatalf("get-invitation-configuration: %+v", cfg)
	}
	arns := map[string]string{}
	for _, id := range []string{"ada", "grace"} {
		out, err := a4b.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String(id), FirstName: aws.String(strings.ToUpper(id[:1]) + id[1:]),
			LastName: aws.String("Example"), Email: aws.String(id + "@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		arns[id] = aws.StringValue(out.UserArn)
	}
	status := func(id string) string {
		t.Helper()
		out, err := a4b.SearchUsers(&alexaforbusiness.SearchUsersInput{Filters: []*alexaforbusiness.Filter{{Key: aws.String("UserId"), Values: aws.StringSlice([]string{id})}}})
		if err != nil || len(out.Users) != 1 {
			t.Fatalf("SearchUsers %s: %v %v", id, out, err)
		}
		return aws.StringValue(out.Users[0].EnrollmentStatus)
	}
	// received waits for the n-th message at the relay and returns its link.
	received := func(n int, to string) string {
		t.Helper()
		got := relay.Wait(t, n, time.Minute)[n-1]
		e, err := mailtest.Parse(got.Data)
		if err != nil {
			t.Fatalf("message %d does not parse: %v", n, err)
		}
		link := e.InvitationLink()
		if len(got.To) != 1 || got.To[0] != to || !strings.HasPrefix(link, m.URL+"/invitations/") ||
			e.Subject != "Acme Café invites you to enroll in Alexa for Business" || !strings.Contains(e.Text, "it-help@acme.example") ||
			!strings.Contains(e.Text, "amzn1.ask.skill.0123abcd") || !strings.Contains(e.HTML, link) {
			t.Fatalf("message %d to %v: subject %q, link %q\n%s", n, got.To, e.Subject, link, e.Text)
		}
		return link
	}
	h1 := func(link string) string {
		t.Helper()
		step(t, ctx, "open "+link, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("h1")))
		return eval[string](t, ctx, `document.querySelector("h1").textContent`)
	}

	if s := status("ada"); s != "INITIALIZED" {
		t.Fatalf("a new user is %s", s)
	}
	runCLI(t, m.URL, nil, "alexaforbusiness", "send-invitation", "--user-arn", arns["ada"])
	if s := status("ada"); s != "PENDING" {
		t.Fatalf("after send-invitation: %s", s)
	}
	first := received(1, "ada@example.com")

	// Sent again: a new link; the first is no longer valid.
	if _, err := a4b.SendInvitation(&alexaforbusiness.SendInvitationInput{UserArn: aws.String(arns["ada"])}); err != nil {
		t.Fatal(err)
	}
	second := received(2, "ada@example.com")
	if second == first {
		t.Fatal("the re-sent invitation has the old link")
	}
	if got := h1(first); got != "Invitation no longer valid" {
		t.Errorf("the replaced link shows %q", got)
	}
	screenshot(t, ctx, artifacts, "a4b-replaced-link.png")

	// The current link: the organization's name, no password, one button.
	step(t, ctx, "open the enrollment", chromedp.Navigate(second), chromedp.WaitVisible(chromedp.CSS(`button[type=submit]`)))
	if title := eval[string](t, ctx, `document.title`); !strings.Contains(title, "Join Acme Café") {
		t.Errorf("title = %q", title)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("input[type=password]").length`); n != 0 {
		t.Errorf("the enrollment page asks for a password (%d fields)", n)
	}
	if b := eval[string](t, ctx, `document.querySelector("button[type=submit]").textContent`); b != "Enroll" {
		t.Errorf("button %q", b)
	}
	screenshot(t, ctx, artifacts, "a4b-enrollment.png")
	if s := status("ada"); s != "PENDING" {
		t.Fatalf("opening the page changed the enrollment to %s", s)
	}
	step(t, ctx, "enroll", chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`[role=status]`)))
	if text := eval[string](t, ctx, `document.querySelector("main").innerText`); !strings.Contains(text, "You are enrolled in Alexa for Business.") ||
		!strings.Contains(text, "Acme Café") {
		t.Fatalf("confirmation page: %s", text)
	}
	screenshot(t, ctx, artifacts, "a4b-enrolled.png")
	if s := status("ada"); s != "REGISTERED" {
		t.Fatalf("after enrolling: %s", s)
	}
	used := h1(second)
	if used != "Invitation no longer valid" {
		t.Errorf("the used link shows %q", used)
	}

	// Revoked: grace's link shows the same page as a used one, and she is INITIALIZED again.
	if _, err := a4b.SendInvitation(&alexaforbusiness.SendInvitationInput{UserArn: aws.String(arns["grace"])}); err != nil {
		t.Fatal(err)
	}
	revoked := received(3, "grace@example.com")
	runCLI(t, m.URL, nil, "alexaforbusiness", "revoke-invitation", "--user-arn", arns["grace"],
		"--enrollment-id", strings.Replace(arns["grace"], ":user/", ":enrollment/", 1))
	if got := h1(revoked); got != used {
		t.Errorf("the revoked link shows %q, the used one %q", got, used)
	}
	screenshot(t, ctx, artifacts, "a4b-revoked-link.png")
	if s := status("grace"); s != "INITIALIZED" {
		t.Fatalf("after revoke-invitation: %s", s)
	}

	// SearchUsers filters and sorts by the state; the console shows it.
	var search struct {
		Users []struct{ Email, EnrollmentStatus string }
	}
	runCLI(t, m.URL, &search, "alexaforbusiness", "search-users", "--filters", "Key=EnrollmentStatus,Values=REGISTERED,PENDING")
	if len(search.Users) != 1 || search.Users[0].Email != "ada@example.com" || search.Users[0].EnrollmentStatus != "REGISTERED" {
		t.Fatalf("search-users by EnrollmentStatus: %+v", search)
	}
	for email, want := range map[string]string{"ada@example.com": `status-ok">REGISTERED`, "grace@example.com": `status-wait">INITIALIZED`} {
		req, _ := http.NewRequest("GET", m.URL+"/_rollcall/console/users?face=a4b&q="+email, nil)
		req.Header.Set("Authorization", "Bearer "+testAdminToken)
		if resp, body := mustDo(t, req); resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("console for %s: %d, want %s", email, resp.StatusCode, want)
		}
	}
	for _, link := range []string{first, second, revoked} {
		token := link[strings.LastIndex(link, "/")+1:]
		if strings.Contains(m.log.String(), token) {
			t.Errorf("the log contains a link token")
		}
		if _, err := m.Invite.Accept(context.Background(), token, ""); !rollcall.IsKind(err, rollcall.Invalid) {
			t.Errorf("a dead link was accepted: %v", err)
		}
	}
}
