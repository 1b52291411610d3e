package invite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/internal/coretest"
	"github.com/rollcall/rollcall/invite"
)

// sent is when most of the tests' invitations are sent.
var sent = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func TestAcceptInvitation(t *testing.T) {
	svc, now := coretest.MustAt(t, sent)
	var results []string
	svc.Invite.Accepted = func(r string) { results = append(results, r) }
	ctx := context.Background()
	u, token := coretest.MustInvite(t, svc, "adalovelace@example.com")
	if u.Status != business.Invited {
		t.Fatalf("new holder status %s", u.Status)
	}
	for pw, why := range map[string]string{"short": "too short", "ADALOVELACE@EXAMPLE.COM": "email", "my-adalovelace-pw": "name part",
		"Lövelace and Babbage 1843": "family name", "rollcall-dev-business-2026": "business name",
		"            ": "twelve spaces", "aaaaaaaaaaaa": "repeats", "password1234": "common password"} {
		if _, err := svc.Invite.Accept(ctx, token, pw); !rollcall.IsKind(err, rollcall.Invalid) {
			t.Errorf("password %q (%s): err = %v, want Invalid", pw, why, err)
		}
	}
	if _, err := svc.Invite.Invitation(ctx, token); err != nil {
		t.Fatalf("a refused password used up the invitation: %v", err)
	}
	d, err := svc.Invite.Accept(ctx, token, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if d.User.Status != business.Active {
		t.Fatalf("after acceptance: %s", d.User.Status)
	}
	coretest.WantPassword(t, d.User.PasswordHash, "correct horse battery staple")
	if _, err := svc.Invite.Accept(ctx, token, "another long password"); rollcall.ErrorReason(err) != invite.ReasonInvitationUsed {
		t.Fatalf("second use: %v", err)
	}
	if _, err := svc.Invite.Invitation(ctx, "not-a-token"); !rollcall.IsKind(err, rollcall.NotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	_, late := coretest.MustInvite(t, svc, "grace@example.com")
	*now = now.Add(invite.DefaultTTL)
	if _, err := svc.Invite.Accept(ctx, late, "correct horse battery staple"); rollcall.ErrorReason(err) != invite.ReasonInvitationExpired {
		t.Fatalf("expired: %v", err)
	}
	if _, err := svc.Invite.Accept(ctx, "not-a-token", "correct horse battery staple"); !rollcall.IsKind(err, rollcall.NotFound) {
		t.Fatalf("accepting an unknown token: %v", err)
	}
	// Refused passwords are not results of the link; the rest are, in order.
	if got, want := strings.Join(results, " "), "accepted invitation-used invitation-expired not-found"; got != want {
		t.Fatalf("Accepted was told %q, want %q", got, want)
	}
}

// TestOperatorsSeeNoLiveLink: the admin API's and the console's views of the outbox never
// hold a live invitation link, though the queued message does (for the dispatcher).
func TestOperatorsSeeNoLiveLink(t *testing.T) {
	svc, _ := coretest.MustAt(t, sent)
	ctx := context.Background()
	_, token := coretest.MustInvite(t, svc, "ada@example.com")
	ms, err := svc.Operator.Messages(ctx, rollcall.MessageFilter{})
	if err != nil || len(ms) != 1 {
		t.Fatalf("Messages: %v %v", ms, err)
	}
	one, err := svc.Operator.Message(ctx, ms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for what, m := range map[string]*rollcall.Message{"Messages": ms[0], "ConsoleMessage": one} {
		if strings.Contains(m.TextBody+m.HTMLBody, token) || !strings.Contains(m.TextBody, "http://rollcall.test"+rollcall.RedactedLink) ||
			!strings.Contains(m.HTMLBody, rollcall.RedactedLink) {
			t.Errorf("%s shows:\n%s\n%s", what, m.TextBody, m.HTMLBody)
		}
	}
	if _, err := svc.Invite.Invitation(ctx, token); err != nil {
		t.Fatalf("the link itself: %v", err)
	}
}

// TestMailQueued: the dispatcher is told after each commit that queued mail, and only
// then: not for a suppressed invitation, not for a create that failed.
func TestMailQueued(t *testing.T) {
	svc, _ := coretest.MustAt(t, time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	calls := 0
	svc.Core.MailQueued = func() { calls++ }
	ctx := context.Background()
	biz := rollcall.Caller{TenantID: rollcall.DevBusinessID, DirectoryID: rollcall.DevBusinessID}
	in := business.CreateUserInput{Email: "ada@example.com", GivenName: "Ada", FamilyName: "Lovelace", Region: "US"}
	if _, err := svc.Business.CreateUser(ctx, biz, in); err != nil || calls != 1 {
		t.Fatalf("create: %v, %d calls", err, calls)
	}
	if _, err := svc.Business.CreateUser(ctx, biz, in); err == nil || calls != 1 {
		t.Fatalf("duplicate create: %v, %d calls", err, calls)
	}
	in.Email, in.Suppress = "grace@example.com", []string{business.SuppressEmail}
	if _, err := svc.Business.CreateUser(ctx, biz, in); err != nil || calls != 1 {
		t.Fatalf("create with EMAIL suppressed: %v, %d calls", err, calls)
	}
	aws := rollcall.Caller{TenantID: rollcall.DevAccountID}
	acct, err := svc.Chime.CreateAccount(ctx, aws, chime.CreateAccountInput{Name: "Team"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Chime.InviteUsers(ctx, aws, acct.ID, []string{"x@example.com"}, ""); err != nil || calls != 2 {
		t.Fatalf("InviteChimeUsers: %v, %d calls", err, calls)
	}
}
